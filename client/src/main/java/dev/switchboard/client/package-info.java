/** Switchboard client. */
package dev.switchboard.client;
