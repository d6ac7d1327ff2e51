package dev.switchboard.client.mux;

import java.io.IOException;

/**
 * The target's decision on each stream the controller opens: which handler serves it, or why not.
 * Called on a thread of the stream's own, so it may block (e.g. to connect).
 */
public interface ServicePolicy {
  /**
   * The handler for {@code service}.
   *
   * @throws dev.switchboard.client.RefusedException to refuse the stream with its code and sentence
   *     (e.g. {@code SERVICE_NOT_ALLOWED}); any other exception refuses it with {@code
   *     SERVICE_UNREACHABLE} and the exception's message. Either way only this stream ends.
   */
  StreamHandler open(String service) throws IOException;
}
