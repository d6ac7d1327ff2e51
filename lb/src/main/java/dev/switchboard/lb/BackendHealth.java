package dev.switchboard.lb;

import java.time.Duration;
import java.util.Optional;

/**
 * The state of one backend as seen by one rule: {@code up} per its probe (always true without a
 * probe), whether it is draining, when its lease ends if it has one, and its priority.
 */
public record BackendHealth(
    String rule,
    String pool,
    String ip,
    String name,
    int port,
    boolean up,
    boolean draining,
    Optional<Duration> leaseRemaining,
    long activeConnections,
    int priority) {}
