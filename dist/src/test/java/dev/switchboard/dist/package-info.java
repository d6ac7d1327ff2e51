/** Tests of what operators install: the container image and the systemd units. */
package dev.switchboard.dist;
