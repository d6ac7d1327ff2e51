/**
 * A small certificate authority for Switchboard: a root CA, role-bearing leaf certificates for
 * brokers, controllers and targets, PEM files, and the TLS material brokers and clients build their
 * SSL contexts from.
 */
package dev.switchboard.pki;
