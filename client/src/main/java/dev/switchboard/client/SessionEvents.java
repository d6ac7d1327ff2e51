package dev.switchboard.client;

import java.util.List;

/** Progress of a session set-up, for people (verbose output) and for timing (the demo). */
public interface SessionEvents {
  default void codeIssued(String code, String brokerId) {}

  default void probed(List<ProbeResult> results) {}

  default void chose(ProbeResult winner) {}

  default void joinSent(String brokerId) {}

  default void joined(String sessionId) {}

  default void redirected(String brokerId, String host, int port) {}

  /** A redirected controller has its TLS connection to the new broker (before ATTACH). */
  default void reconnected(String brokerId) {}

  default void attached(String brokerId) {}

  default void sessionStarted(Session session) {}

  /** The session's relay broke; it is being resumed. */
  default void suspended(Session session) {}

  /** The session runs again, on {@link Session#brokerId()}, in {@link Session#generation()}. */
  default void resumed(Session session) {}

  SessionEvents NONE = new SessionEvents() {};
}
