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

  static AdminResponse error(int status, String code, String message) {
    return json(
        status, ConfigCodec.JSON.createObjectNode().put("error", code).put("message", message));
  }

  /** Maps a refused operation to its HTTP status: 404 missing, 409 conflicts, 400 the rest. */
  static AdminResponse of(LbException e) {
    switch (e.code()) {
      case LbException.NOT_FOUND:
        return error(404, e.code(), e.getMessage());
      case LbException.DUPLICATE_NAME:
      case LbException.DUPLICATE_RULE:
      case LbException.PORT_IN_USE:
      case LbException.IN_USE:
        return error(409, e.code(), e.getMessage());
      default:
        return error(400, e.code(), e.getMessage());
    }
  }
}
