/**
 * Prometheus exposition shared by the broker and the lb: one JVM registry per process, the text
 * format.
 */
package dev.switchboard.metrics;
