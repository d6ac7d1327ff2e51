/** Switchboard pki. */
package dev.switchboard.pki;
