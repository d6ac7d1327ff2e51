package dev.switchboard.client.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.internal.mux.MuxEngine;
import dev.switchboard.client.internal.mux.Transport;
import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Any number of streams inside one {@link Session} (docs/protocol.md "Streams inside a session").
 * The controller {@linkplain #open opens} streams; the target serves them through a {@link
 * ServicePolicy}. A stream that is refused or reset ends alone; the session and the other streams
 * go on. A malformed frame from the peer ends the session with {@code PROTOCOL_ERROR}.
 */
public final class MuxSession implements AutoCloseable {
  private final MuxEngine engine;
  private final boolean controller;

  private MuxSession(MuxEngine engine, boolean controller) {
    this.engine = engine;
    this.controller = controller;
  }

  /** The controller's side of {@code s}. */
  public static MuxSession controller(Session s) {
    return new MuxSession(MuxEngine.controller(transport(s)), true);
  }

  /** The target's side of {@code s}: each stream the controller opens goes to {@code policy}. */
  public static MuxSession target(Session s, ServicePolicy policy) {
    return new MuxSession(MuxEngine.target(transport(s), policy), false);
  }

  private static Transport transport(Session s) {
    return new Transport() {
      @Override
      public InputStream input() {
        return s.input();
      }

      @Override
      public OutputStream output() {
        return s.output();
      }

      @Override
      public void abort(ErrorCode code, String message) {
        s.abort(code, message);
      }

      @Override
      public void finish() {
        s.close();
      }
    };
  }

  /**
   * Opens a stream to {@code service} ("" for the target's default, "tcp:HOST:PORT", "shell") and
   * waits for the target's answer.
   *
   * @throws RefusedException if the target refused this stream (e.g. {@code SERVICE_NOT_ALLOWED},
   *     {@code SERVICE_UNREACHABLE}), or with the reason if the session has ended
   */
  public MuxStream open(String service) throws IOException {
    return engine.open(service);
  }

  /** Streams open now, in either direction. */
  public int openStreams() {
    return engine.openStreams();
  }

  /** Whether the session has ended (then {@link #awaitEnd()} returns at once). */
  public boolean hasEnded() {
    return engine.hasEnded();
  }

  /** Waits for the session to end: null when it ended cleanly, else the reason. */
  public RefusedException awaitEnd() throws InterruptedException {
    return engine.awaitEnd();
  }

  /**
   * Ends the session cleanly: streams still open are reset, the session half-closes, and this waits
   * (bounded) for the peer's half-close, after which both sides see a complete session.
   */
  @Override
  public void close() {
    engine.close(controller ? "the controller ended the session" : "the target ended the session");
  }
}
