package dev.switchboard.config.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.switchboard.config.ConfigException;
import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Jackson's exceptions into {@link ConfigException}s a user can act on. */
public final class Errors {
  private static final Pattern MISSING =
      Pattern.compile("Missing required creator property '([^']+)'");

  private Errors() {}

  /**
   * The mistake {@code e} reports, from {@code source}; {@code tree} (may be null) is the document,
   * in which a misspelled key is blamed before the missing field it was meant to be.
   */
  public static ConfigException translate(
      String source, IOException e, JsonNode tree, ObjectMapper mapper) {
    ConfigException c = translate(source, e);
    if (tree != null
        && "required field is missing".equals(c.reason())
        && e instanceof JsonMappingException m
        && !m.getPath().isEmpty()) {
      List<JsonMappingException.Reference> refs = m.getPath();
      JsonMappingException.Reference last = refs.get(refs.size() - 1);
      Object from = last.getFrom();
      Class<?> owner = from instanceof Class<?> k ? k : from == null ? null : from.getClass();
      JsonNode parent = tree;
      for (JsonMappingException.Reference r : refs.subList(0, refs.size() - 1)) {
        parent =
            r.getFieldName() != null ? parent.path(r.getFieldName()) : parent.path(r.getIndex());
      }
      if (owner != null && parent.isObject()) {
        Set<String> known = new TreeSet<>();
        mapper
            .getDeserializationConfig()
            .introspect(mapper.constructType(owner))
            .findProperties()
            .forEach(p -> known.add(p.getName()));
        for (Iterator<String> it = parent.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          if (!known.contains(k)) {
            String at = path(m);
            at = at.contains(".") ? at.substring(0, at.lastIndexOf('.') + 1) + k : k;
            return new ConfigException(source, at, "unknown field; expected one of " + known);
          }
        }
      }
    }
    return c;
  }

  private static ConfigException translate(String source, IOException e) {
    if (!(e instanceof JsonMappingException)) {
      return syntax(source, e);
    }
    JsonMappingException m = (JsonMappingException) e;
    String path = path(m);
    for (Throwable c = m.getCause(); c != null; c = c.getCause()) {
      if (c instanceof ConfigException ce) {
        return ce.at(source, path);
      }
    }
    if (m instanceof UnrecognizedPropertyException u) {
      return new ConfigException(
          source,
          path,
          "unknown field; expected one of "
              + new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList()));
    }
    if (m instanceof DurationDeserializer.Reason) {
      return new ConfigException(source, path, m.getOriginalMessage());
    }
    Matcher missing = MISSING.matcher(m.getOriginalMessage());
    if (missing.find()) {
      String f = path.endsWith(missing.group(1)) ? path : join(path, missing.group(1));
      return new ConfigException(source, f, "required field is missing");
    }
    if (m.getOriginalMessage().startsWith("Cannot map `null` into type")
        && m.getProcessor() instanceof JsonParser p
        && p.currentToken() != JsonToken.VALUE_NULL) {
      // FAIL_ON_NULL_FOR_PRIMITIVES also fires for an absent primitive: a required field.
      return new ConfigException(source, path, "required field is missing");
    }
    Throwable cause = m.getCause();
    if (cause instanceof InputCoercionException r) {
      return new ConfigException(source, path, r.getOriginalMessage());
    }
    if (cause instanceof StreamReadException r) {
      return syntax(source, r);
    }
    if (cause != null && !(cause instanceof JacksonException)) {
      return new ConfigException(source, path, String.valueOf(cause.getMessage()));
    }
    if (m instanceof MismatchedInputException mi
        && mi.getTargetType() != null
        && m.getProcessor() instanceof JsonParser p) {
      return new ConfigException(
          source, path, "expected " + expected(mi.getTargetType()) + ", got " + describe(p));
    }
    return new ConfigException(source, path, m.getOriginalMessage());
  }

  private static ConfigException syntax(String source, IOException e) {
    String msg = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
    return new ConfigException(
        source,
        null,
        "not valid YAML/JSON" + where(e) + ": " + String.valueOf(msg).replace('\n', ' '));
  }

  /** What the parser is looking at, in a user's words: {@code the string "ten"}. */
  public static String describe(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "nothing";
    }
    try {
      switch (t) {
        case VALUE_STRING:
          return "the string \"" + p.getText() + "\"";
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          return "the number " + p.getText();
        case VALUE_TRUE:
        case VALUE_FALSE:
          return p.getText();
        case VALUE_NULL:
          return "nothing (null)";
        case START_OBJECT:
        case FIELD_NAME:
          return "a mapping";
        case START_ARRAY:
          return "a list";
        default:
          return t.asString() == null ? t.name() : t.asString();
      }
    } catch (IOException e) {
      return t.name();
    }
  }

  private static String expected(Class<?> type) {
    if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == short.class
        || type == Short.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  /** {@code rules[2].probe.interval} from Jackson's reference chain. */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String join(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  private static String where(IOException e) {
    if (e instanceof JacksonException j
        && j.getLocation() != null
        && j.getLocation() != JsonLocation.NA
        && j.getLocation().getLineNr() > 0) {
      return " (line " + j.getLocation().getLineNr() + ")";
    }
    return "";
  }
}
