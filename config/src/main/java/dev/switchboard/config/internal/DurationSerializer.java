package dev.switchboard.config.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.switchboard.config.Durations;
import java.io.IOException;
import java.time.Duration;

/** Writes a {@link Duration} in the syntax {@link Durations#parse} reads back. */
public final class DurationSerializer extends StdSerializer<Duration> {
  private static final long serialVersionUID = 1L;

  public DurationSerializer() {
    super(Duration.class);
  }

  @Override
  public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    gen.writeString(Durations.format(value));
  }
}
