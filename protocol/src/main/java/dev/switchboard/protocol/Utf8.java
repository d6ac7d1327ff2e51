package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 for wire strings: one string has one encoding, so a decoded field re-encodes. */
final class Utf8 {
  private Utf8() {}

  /**
   * Reads {@code length} bytes of {@code in} as UTF-8; malformed input is refused with {@code
   * code}, never replaced.
   */
  static String read(ByteBuf in, int length, ErrorCode code) throws ProtocolException {
    if (length > in.readableBytes()) {
      throw new IndexOutOfBoundsException("string of " + length + " bytes past the end");
    }
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(in.nioBuffer(in.readerIndex(), length))
              .toString();
      in.skipBytes(length);
      return s;
    } catch (CharacterCodingException e) {
      throw new ProtocolException(code, "string field is not valid UTF-8");
    }
  }
}
