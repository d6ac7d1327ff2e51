package dev.switchboard.config;

import java.util.Objects;

/**
 * A configuration mistake: the file (or request) it is in, the path of the field ({@code
 * rules[2].probe.interval}) and the reason. The message is {@code SOURCE: FIELD: REASON}.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String field;
  private final String reason;

  public ConfigException(String source, String field, String reason) {
    super(message(source, field, reason));
    this.source = source;
    this.field = field;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * A mistake in {@code field}, relative to the object being built; a record's compact constructor
   * throws it and {@link ConfigMapper} prefixes the file and the path to that record.
   */
  public static ConfigException field(String field, String reason) {
    return new ConfigException(null, field, reason);
  }

  /** This mistake seen from {@code source}, with {@code parentPath} in front of the field. */
  public ConfigException at(String source, String parentPath) {
    String f =
        field == null || field.isEmpty()
            ? parentPath
            : parentPath == null || parentPath.isEmpty()
                ? field
                : field.startsWith("[") ? parentPath + field : parentPath + "." + field;
    return new ConfigException(source, f, reason);
  }

  /** The file or request, or null when not known yet. */
  public String source() {
    return source;
  }

  /** The field path, or null for the document as a whole. */
  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }

  private static String message(String source, String field, String reason) {
    StringBuilder sb = new StringBuilder();
    if (source != null) {
      sb.append(source).append(": ");
    }
    if (field != null && !field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(reason).toString();
  }
}
