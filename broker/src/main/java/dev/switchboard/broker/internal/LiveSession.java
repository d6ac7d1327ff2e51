package dev.switchboard.broker.internal;

/**
 * A running session as {@code GET /sessions} lists it; the fields mean what they mean in {@link
 * AuditRecord} (docs/operations.md, "Live sessions").
 */
record LiveSession(
    String sessionId,
    String broker,
    String ownerBroker,
    AuditRecord.Party controller,
    AuditRecord.Party target,
    String start,
    long bytesControllerToTarget,
    long bytesTargetToController) {}
