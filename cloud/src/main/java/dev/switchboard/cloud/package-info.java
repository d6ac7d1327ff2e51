/** Switchboard cloud provisioning. */
package dev.switchboard.cloud;
