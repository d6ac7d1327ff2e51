package dev.switchboard.client.internal.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.protocol.ErrorCode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes mux frames. Every frame read is checked whole (type, length, payload shape,
 * strict UTF-8) before anyone acts on it; a violation is a {@code PROTOCOL_ERROR} with a sentence.
 */
public final class MuxCodec {
  private MuxCodec() {}

  /**
   * The next frame, or null at the end of the stream between two frames.
   *
   * @throws RefusedException {@code PROTOCOL_ERROR} for a malformed frame (and the session's own
   *     reason when the session ends abnormally underneath)
   */
  public static MuxFrame read(DataInputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      return null;
    }
    try {
      int id = in.readInt();
      int length = in.readUnsignedShort();
      if (type < MuxFrame.OPEN || type > MuxFrame.EXIT) {
        throw violation("unknown mux frame type 0x" + Integer.toHexString(type));
      }
      if (length > MuxFrame.MAX_PAYLOAD) {
        throw violation(
            "a mux frame of " + length + " bytes exceeds the limit of " + MuxFrame.MAX_PAYLOAD);
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      MuxFrame f = new MuxFrame(type, id, payload);
      check(f);
      return f;
    } catch (EOFException e) {
      throw violation("the session ended inside a mux frame");
    }
  }

  private static void check(MuxFrame f) throws RefusedException {
    int n = f.payload().length;
    switch (f.type()) {
      case MuxFrame.OPEN -> text(f, 0);
      case MuxFrame.OPEN_OK, MuxFrame.FIN -> expectLength(f, n == 0, "empty");
      case MuxFrame.OPEN_REFUSED, MuxFrame.RESET -> {
        expectLength(f, n >= 2, "at least 2 bytes");
        text(f, 2);
      }
      case MuxFrame.WINDOW -> {
        expectLength(f, n == 4, "4 bytes");
        if (u32(f.payload()) == 0) {
          throw violation("a WINDOW frame on stream " + f.id() + " grants no bytes");
        }
      }
      case MuxFrame.RESIZE, MuxFrame.EXIT -> expectLength(f, n == 4, "4 bytes");
      default -> {
        // DATA: any bytes
      }
    }
  }

  private static void expectLength(MuxFrame f, boolean ok, String what) throws RefusedException {
    if (!ok) {
      throw violation(
          "a "
              + MuxFrame.name(f.type())
              + " frame on stream "
              + f.id()
              + " has "
              + f.payload().length
              + " bytes, expected "
              + what);
    }
  }

  /** The payload from {@code from} as strict UTF-8. */
  public static String text(MuxFrame f, int from) throws RefusedException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(f.payload(), from, f.payload().length - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw violation(
          "a " + MuxFrame.name(f.type()) + " frame on stream " + f.id() + " is not UTF-8");
    }
  }

  public static int u16(byte[] p, int at) {
    return (p[at] & 0xFF) << 8 | p[at + 1] & 0xFF;
  }

  public static long u32(byte[] p) {
    return ((long) (p[0] & 0xFF) << 24 | (p[1] & 0xFF) << 16 | (p[2] & 0xFF) << 8 | p[3] & 0xFF);
  }

  static RefusedException violation(String sentence) {
    return new RefusedException(ErrorCode.PROTOCOL_ERROR, sentence);
  }

  /** Writes a frame's header into {@code buf} at {@code at}; the payload follows it. */
  public static void header(byte[] buf, int at, int type, int streamId, int length) {
    buf[at] = (byte) type;
    buf[at + 1] = (byte) (streamId >>> 24);
    buf[at + 2] = (byte) (streamId >>> 16);
    buf[at + 3] = (byte) (streamId >>> 8);
    buf[at + 4] = (byte) streamId;
    buf[at + 5] = (byte) (length >>> 8);
    buf[at + 6] = (byte) length;
  }

  /** A whole frame with {@code payload}. */
  public static byte[] encode(int type, int streamId, byte[] payload) {
    byte[] b = new byte[MuxFrame.HEADER_BYTES + payload.length];
    header(b, 0, type, streamId, payload.length);
    System.arraycopy(payload, 0, b, MuxFrame.HEADER_BYTES, payload.length);
    return b;
  }

  /** A code and sentence payload (OPEN_REFUSED, RESET), the sentence cut to fit one frame. */
  public static byte[] reason(ErrorCode code, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(text.length, MuxFrame.MAX_PAYLOAD - 2);
    while (n < text.length && n > 0 && (text[n] & 0xC0) == 0x80) {
      n--; // never cut inside a character: the peer checks strict UTF-8
    }
    byte[] p = new byte[2 + n];
    p[0] = (byte) (code.code() >>> 8);
    p[1] = (byte) code.code();
    System.arraycopy(text, 0, p, 2, n);
    return p;
  }

  public static byte[] int32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  public static byte[] twoU16(int a, int b) {
    return new byte[] {(byte) (a >>> 8), (byte) a, (byte) (b >>> 8), (byte) b};
  }
}
