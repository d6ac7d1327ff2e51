/** Switchboard cli. */
package dev.switchboard.cli;
