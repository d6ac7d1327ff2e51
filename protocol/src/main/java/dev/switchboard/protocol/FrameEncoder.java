package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Encodes {@link Message}s as frames; other outbound objects (raw relay bytes) pass through. */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Message> {
  public FrameEncoder() {
    super(Message.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
    MessageCodec.encode(msg, out);
  }
}
