package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/** Frame reading and writing for blocking streams (the client library's side of the codec). */
public final class StreamFrames {
  private StreamFrames() {}

  /** The complete frame for {@code m} as bytes, ready for one write. */
  public static byte[] encode(Message m) {
    ByteBuf b = Unpooled.buffer(64);
    MessageCodec.encode(m, b);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  /**
   * Reads one frame and decodes it.
   *
   * @throws EOFException if the stream ends before a complete frame
   * @throws ProtocolException if the frame is oversized or malformed
   */
  public static Message read(DataInputStream in) throws IOException, ProtocolException {
    int type = in.readUnsignedByte();
    int length = in.readUnsignedShort();
    if (length > Frames.MAX_PAYLOAD) {
      throw new ProtocolException(
          ErrorCode.FRAME_TOO_LARGE, "frame of " + length + " bytes from broker");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return MessageCodec.decode(type, Unpooled.wrappedBuffer(payload));
  }
}
