package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * Splits the inbound byte stream into frames and decodes each into a {@link Message}. A malformed
 * or oversized frame raises a {@link DecoderException} whose cause is a {@link ProtocolException};
 * after that the decoder discards all further input (the connection is being closed).
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private boolean failed;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < Frames.HEADER_BYTES) {
      return;
    }
    int start = in.readerIndex();
    int type = in.getUnsignedByte(start);
    int length = in.getUnsignedShort(start + 1);
    if (length > Frames.MAX_PAYLOAD) {
      fail(
          in,
          new ProtocolException(
              ErrorCode.FRAME_TOO_LARGE,
              "frame of " + length + " bytes exceeds the " + Frames.MAX_PAYLOAD + "-byte limit"));
    }
    if (in.readableBytes() < Frames.HEADER_BYTES + length) {
      return;
    }
    in.skipBytes(Frames.HEADER_BYTES);
    ByteBuf payload = in.readSlice(length);
    try {
      out.add(MessageCodec.decode(type, payload));
    } catch (ProtocolException e) {
      fail(in, e);
    }
  }

  private void fail(ByteBuf in, ProtocolException e) {
    failed = true;
    in.skipBytes(in.readableBytes());
    throw new DecoderException(e);
  }
}
