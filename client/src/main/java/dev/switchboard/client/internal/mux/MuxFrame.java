package dev.switchboard.client.internal.mux;

/**
 * One mux frame inside a session's byte stream (docs/protocol.md "Streams inside a session"): type
 * u8, stream id u32, length u16, payload.
 */
public record MuxFrame(int type, int streamId, byte[] payload) {
  public static final int OPEN = 0x01;
  public static final int OPEN_OK = 0x02;
  public static final int OPEN_REFUSED = 0x03;
  public static final int DATA = 0x04;
  public static final int FIN = 0x05;
  public static final int RESET = 0x06;
  public static final int WINDOW = 0x07;
  public static final int RESIZE = 0x08;
  public static final int EXIT = 0x09;

  public static final int HEADER_BYTES = 7;
  public static final int MAX_PAYLOAD = 16384;

  /**
   * The DATA payload a sender puts in a full frame: header and payload then fill exactly one
   * session DATA frame (16381 bytes, one TLS record), so a mux frame never costs two records.
   */
  public static final int DATA_CHUNK = 16 * 1024 - 3 - HEADER_BYTES;

  /** Every stream's initial window, each direction. */
  public static final int WINDOW_BYTES = 256 * 1024;

  /**
   * The most a receiver here grants one stream (its window grows from {@link #WINDOW_BYTES} while
   * its application keeps up): 4 MiB, as much as a session keeps for resending.
   */
  public static final int MAX_WINDOW_BYTES = 4 * 1024 * 1024;

  static String name(int type) {
    return switch (type) {
      case OPEN -> "OPEN";
      case OPEN_OK -> "OPEN_OK";
      case OPEN_REFUSED -> "OPEN_REFUSED";
      case DATA -> "DATA";
      case FIN -> "FIN";
      case RESET -> "RESET";
      case WINDOW -> "WINDOW";
      case RESIZE -> "RESIZE";
      case EXIT -> "EXIT";
      default -> "0x" + Integer.toHexString(type);
    };
  }

  /** The stream id as the unsigned number on the wire. */
  public String id() {
    return Integer.toUnsignedString(streamId);
  }
}
