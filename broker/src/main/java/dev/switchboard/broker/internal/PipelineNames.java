package dev.switchboard.broker.internal;

/** Names of the client pipeline's handlers, so the session switch can find them. */
final class PipelineNames {
  static final String PROXY = "proxy";
  static final String TLS = "tls";
  static final String IDLE = "idle";
  static final String DECODER = "decoder";
  static final String ENCODER = "encoder";
  static final String CONTROL = "control";
  static final String RELAY = "relay";

  private PipelineNames() {}
}
