package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The first bytes of a connection from a trusted proxy through {@link ProxyHeaderHandler}: a
 * malformed header closes the connection (or raises only a {@link DecoderException}), and whatever
 * follows a header reaches the next handler unchanged.
 */
class ProxyHeaderFuzzTest {
  private static final BrokerMetrics METRICS = new BrokerMetrics("fuzz");

  @FuzzTest
  void readsOrRefusesAnyHeader(byte[] input) {
    ByteArrayOutputStream passed = new ByteArrayOutputStream();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            // Every peer trusted: the header path is the one that parses bytes.
            new ProxyHeaderHandler(peer -> true, METRICS),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                passed.writeBytes(ByteBufUtil.getBytes(b));
                b.release();
              }
            });
    // Two reads, split where the first byte says, so partial headers are covered too.
    int split = input.length == 0 ? 0 : (input[0] & 0xFF) % (input.length + 1);
    boolean stillReading;
    try {
      // Copies: the decoder compacts its cumulation in place, which would rewrite a wrapped input.
      ch.writeInbound(Unpooled.copiedBuffer(input, 0, split));
      if (!ch.isOpen()) {
        return; // refused at the first bytes: closed without reading further
      }
      ch.writeInbound(Unpooled.copiedBuffer(input, split, input.length - split));
      if (!ch.isOpen()) {
        return;
      }
      stillReading = ch.pipeline().get(ProxyHeaderHandler.class) != null;
      // Closing decodes what is left of a partial header, so a refusal may come only now.
      ch.finishAndReleaseAll();
    } catch (DecoderException e) {
      return; // refused: the connection is closed
    } finally {
      closeQuietly(ch);
    }
    byte[] after = passed.toByteArray();
    assertThat(after)
        .as("bytes after the header pass unchanged")
        .isEqualTo(Arrays.copyOfRange(input, input.length - after.length, input.length));
    if (after.length > 0) {
      assertThat(stillReading).as("the handler steps out after the header").isFalse();
    }
  }

  private static void closeQuietly(EmbeddedChannel ch) {
    try {
      ch.finishAndReleaseAll();
    } catch (DecoderException e) {
      // already refused; nothing more to check
    }
  }
}
