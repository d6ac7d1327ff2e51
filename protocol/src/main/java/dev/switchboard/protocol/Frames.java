package dev.switchboard.protocol;

/** Framing constants: every frame is {@code type:u8 length:u16 payload[length]} (big-endian). */
public final class Frames {
  /** Bytes in a frame header. */
  public static final int HEADER_BYTES = 3;

  /** Largest payload any frame may carry (docs/protocol.md, "Limits"). */
  public static final int MAX_PAYLOAD = 16 * 1024;

  /** Highest protocol version this build speaks. */
  public static final int VERSION = 2;

  /** Lowest protocol version this build speaks. */
  public static final int MIN_VERSION = 2;

  private Frames() {}
}
