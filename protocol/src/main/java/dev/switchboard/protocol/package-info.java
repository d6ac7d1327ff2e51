/** Wire format of client-broker and broker-broker messages. */
package dev.switchboard.protocol;
