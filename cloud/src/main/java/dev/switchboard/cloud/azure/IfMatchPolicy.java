package dev.switchboard.cloud.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;
import reactor.core.publisher.Mono;

/**
 * Sends {@code If-Match} on the PUT of a read-modify-write, so ARM answers 412 instead of
 * overwriting a change made since the read. Only the PUT: the poll and final GET of a long-running
 * operation carry the same context but must not be conditional.
 */
final class IfMatchPolicy implements HttpPipelinePolicy {
  private static final String KEY = "switchboard-if-match";

  /** The context of a PUT that must match {@code etag}; no condition when it is null. */
  static Context context(String etag) {
    return etag == null ? Context.NONE : new Context(KEY, etag);
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext call, HttpPipelineNextPolicy next) {
    if (call.getHttpRequest().getHttpMethod() == HttpMethod.PUT) {
      call.getData(KEY)
          .ifPresent(
              etag -> call.getHttpRequest().setHeader(HttpHeaderName.IF_MATCH, etag.toString()));
    }
    return next.process();
  }
}
