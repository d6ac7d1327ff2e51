package dev.switchboard.lb.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lb.LbException;

/** An admin API answer: a status, a content type and a body. */
record AdminResponse(int status, String contentType, String body) {

  static AdminResponse json(int status, JsonNode body) {
    return new AdminResponse(status, "application/json", body.toString() + "\n");
  }

  static AdminResponse text(String body) {
    return new AdminResponse(200, Metrics.contentType(), body);
  }

  /** A JSON error body {@code {"error": CODE, "message": ...}} with the code's HTTP status. */
  static AdminResponse error(LbException.Code code, String message) {
    return json(
        code.httpStatus(),
        ConfigCodec.JSON.createObjectNode().put("error", code.name()).put("message", message));
  }

  /** Maps a refused operation to its HTTP status: 404 missing, 409 conflicts, 400 the rest. */
  static AdminResponse of(LbException e) {
    return error(e.code(), e.getMessage());
  }
}
