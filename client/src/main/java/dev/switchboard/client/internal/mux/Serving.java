package dev.switchboard.client.internal.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.ServicePolicy;
import dev.switchboard.client.mux.StreamHandler;
import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;

/**
 * One accepted OPEN on the target: the policy's verdict, then its handler, on the stream's thread.
 */
final class Serving {
  private Serving() {}

  static void serve(MuxEngine engine, ServicePolicy policy, MuxStreamImpl s) {
    StreamHandler h;
    try {
      h = policy.open(s.service());
    } catch (RefusedException e) {
      engine.refuse(s, e);
      return;
    } catch (IOException | RuntimeException e) {
      engine.refuse(s, new RefusedException(ErrorCode.SERVICE_UNREACHABLE, String.valueOf(e)));
      return;
    }
    s.handler(h);
    try {
      engine.accepted(s);
      h.serve(s);
    } catch (IOException | RuntimeException e) {
      s.reset(ErrorCode.SERVICE_UNREACHABLE, "the target's service failed: " + e.getMessage());
      return;
    }
    // The handler is done: whatever it left open ends here (a no-op for a finished stream).
    try {
      s.output().close();
    } catch (IOException e) {
      // the session is ending
    }
    try {
      s.input().close();
    } catch (IOException e) {
      // the session is ending
    }
  }
}
