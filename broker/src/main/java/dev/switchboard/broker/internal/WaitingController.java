package dev.switchboard.broker.internal;

/** A controller connection that holds a code and waits for its target. */
public interface WaitingController {
  /** The controller's name (certificate CN). */
  String name();

  /** SHA-256 of the controller's certificate, to bind redirect tickets to it. */
  byte[] fingerprint();

  boolean isConnected();

  /** The target joined on this broker: start relaying between the two. */
  void pairLocally(ClientConnection target, String sessionId);

  /** The target joined on another broker: send the controller there with this ticket. */
  void redirect(String brokerId, String host, int port, byte[] ticket);
}
