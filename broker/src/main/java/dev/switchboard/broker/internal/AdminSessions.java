package dev.switchboard.broker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's live sessions: {@code GET /sessions} lists this broker's relayed sessions and
 * {@code POST /sessions/ID/end} ends one for an operator. The caller has checked the token.
 */
final class AdminSessions {
  /** An operator's reason goes to both clients inside a CLOSE (strings there are 1 KiB at most). */
  static final int MAX_REASON = 200;

  private static final Logger log = LoggerFactory.getLogger(AdminSessions.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern END = Pattern.compile("/sessions/([A-Za-z0-9._-]{1,128})/end");

  private final BrokerCore core;

  AdminSessions(BrokerCore core) {
    this.core = core;
  }

  static boolean handles(String path) {
    return path.equals("/sessions") || path.startsWith("/sessions/");
  }

  FullHttpResponse handle(FullHttpRequest req, String path) {
    if (path.equals("/sessions")) {
      if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, null, "only GET lists sessions");
      }
      return list();
    }
    Matcher m = END.matcher(path);
    if (!m.matches()) {
      return error(
          HttpResponseStatus.NOT_FOUND,
          null,
          "not found; try GET /sessions or POST /sessions/ID/end");
    }
    if (!req.method().equals(HttpMethod.POST)) {
      return error(HttpResponseStatus.METHOD_NOT_ALLOWED, null, "only POST ends a session");
    }
    String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null
        || !type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
      return error(
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          null,
          "the body needs Content-Type: application/json, got "
              + (type == null ? "none" : "'" + type + "'"));
    }
    String reason;
    try {
      reason = reason(req);
    } catch (BadField e) {
      return error(HttpResponseStatus.BAD_REQUEST, e.field, e.getMessage());
    }
    String id = m.group(1);
    for (RelaySession s : core.sessions) {
      if (s.id().equals(id)) {
        s.endByOperator(reason);
        log.info("session {} ended by an operator through the admin API", id);
        ObjectNode ok =
            JSON.createObjectNode().put("sessionId", id).put("broker", core.config.id());
        return json(HttpResponseStatus.OK, ok);
      }
    }
    return error(
        HttpResponseStatus.NOT_FOUND,
        null,
        "no live session " + id + " on broker " + core.config.id() + " (it may have ended)");
  }

  private FullHttpResponse list() {
    ObjectNode body = JSON.createObjectNode().put("broker", core.config.id());
    var sessions = body.putArray("sessions");
    for (RelaySession s : core.sessions) {
      sessions.addPOJO(s.live());
    }
    return json(HttpResponseStatus.OK, body);
  }

  /** The body's {@code reason}: optional, at most {@value #MAX_REASON} characters, printable. */
  private static String reason(FullHttpRequest req) throws BadField {
    JsonNode body;
    try {
      body = JSON.readTree(new ByteBufInputStream(req.content().duplicate()));
    } catch (IOException e) {
      throw new BadField("body", "is not JSON");
    }
    if (body == null || !body.isObject()) {
      throw new BadField("body", "must be a JSON object like {\"reason\": \"TEXT\"}");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("reason")) {
        throw new BadField(f, "is not a field of this request (only reason)");
      }
    }
    JsonNode r = body.get("reason");
    if (r == null || r.isNull()) {
      return "";
    }
    if (!r.isTextual()) {
      throw new BadField("reason", "must be a string");
    }
    String reason = r.asText();
    if (reason.codePointCount(0, reason.length()) > MAX_REASON) {
      throw new BadField("reason", "is longer than " + MAX_REASON + " characters");
    }
    if (reason.codePoints().anyMatch(AdminSessions::isControl)) {
      // Shown on both sides' terminals and written to logs: no escapes, newlines or bidi tricks.
      throw new BadField("reason", "must not contain control or formatting characters");
    }
    return reason.strip();
  }

  private static boolean isControl(int cp) {
    int t = Character.getType(cp);
    return t == Character.CONTROL
        || t == Character.FORMAT
        || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR;
  }

  private static FullHttpResponse error(HttpResponseStatus status, String field, String message) {
    ObjectNode e =
        JSON.createObjectNode()
            .put("error", status.reasonPhrase().toUpperCase(Locale.ROOT).replace(' ', '_'));
    if (field != null) {
      e.put("field", field);
    }
    return json(status, e.put("message", field == null ? message : field + " " + message));
  }

  private static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an admin answer could not be serialized", e);
    }
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes, new byte[] {'\n'}));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  /** A request field with a bad value; the message starts after the field's name. */
  private static final class BadField extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;

    BadField(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }
}
