/**
 * The loopback rendition of the seed network: POPs, backbone delay, regional and global load
 * balancers.
 */
package dev.switchboard.localnet;
