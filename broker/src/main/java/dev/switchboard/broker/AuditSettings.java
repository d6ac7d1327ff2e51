package dev.switchboard.broker;

import java.nio.file.Path;

/**
 * The session audit log (docs/operations.md, "Session audit log"): one JSON line per relayed
 * session, appended to {@code file}; when the next line would take it past {@code maxBytes} it is
 * renamed to {@code FILE.1} (older ones shift up) and at most {@code keep} rotated files are kept.
 * Lines wait for the writer thread in a queue of {@code queueSize}; beyond that they are dropped
 * and counted, never waited for on an event loop.
 */
public record AuditSettings(Path file, long maxBytes, int keep, int queueSize) {
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_KEEP = 5;
  public static final int DEFAULT_QUEUE_SIZE = 10_000;

  public AuditSettings {
    if (file == null) {
      throw new IllegalArgumentException("the audit file must be named");
    }
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes must be at least 1024");
    }
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1");
    }
    if (queueSize < 1) {
      throw new IllegalArgumentException("queueSize must be at least 1");
    }
  }

  /** The defaults, writing to {@code file}. */
  public static AuditSettings to(Path file) {
    return new AuditSettings(file, DEFAULT_MAX_BYTES, DEFAULT_KEEP, DEFAULT_QUEUE_SIZE);
  }
}
