package dev.switchboard.config.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.DurationRange;
import dev.switchboard.config.Durations;
import java.io.IOException;
import java.time.Duration;

/** Reads a {@link Duration} field through {@link Durations}, within its {@link DurationRange}. */
public final class DurationDeserializer extends JsonDeserializer<Duration>
    implements ContextualDeserializer {
  private final Duration min;
  private final Duration max;

  public DurationDeserializer() {
    this(Duration.ZERO, Durations.CEILING);
  }

  private DurationDeserializer(Duration min, Duration max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    DurationRange r = property == null ? null : property.getAnnotation(DurationRange.class);
    if (r == null) {
      return this;
    }
    Duration lo = Durations.parse("min", r.min(), Durations.CEILING);
    Duration hi = Durations.parse("max", r.max(), Durations.CEILING);
    return new DurationDeserializer(lo, hi);
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      throw new Reason(
          p,
          "a duration needs a unit: write "
              + p.getText()
              + "s or "
              + p.getText()
              + "ms, not "
              + p.getText());
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new Reason(p, "must be a duration like 30s, got " + Errors.describe(p));
    }
    try {
      return Durations.parse("", p.getText(), min, max);
    } catch (ConfigException e) {
      throw new Reason(p, e.reason());
    }
  }

  /** A mismatch whose message is already the user-facing reason. */
  static final class Reason extends MismatchedInputException {
    private static final long serialVersionUID = 1L;

    Reason(JsonParser p, String reason) {
      super(p, reason, p.currentLocation());
    }
  }
}
