/**
 * Load harnesses and JMH benchmarks; nothing here runs during {@code ./mvnw verify}.
 *
 * <p>Entry points: {@link dev.switchboard.bench.RelayThroughputBench} (one session through a broker
 * vs a direct TLS connection) and {@link dev.switchboard.bench.IdleSessionsBench} (broker memory
 * and file descriptors per idle session). {@code bench/broker/run.sh} runs both.
 */
package dev.switchboard.bench;
