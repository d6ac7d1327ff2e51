/** Switchboard broker. */
package dev.switchboard.broker;
