/** Switchboard lb. */
package dev.switchboard.lb;
