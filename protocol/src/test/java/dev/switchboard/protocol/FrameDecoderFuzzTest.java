package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes from the network through {@link FrameDecoder}: only a {@link DecoderException} wrapping a
 * {@link ProtocolException} escapes, and every decoded frame re-encodes to the bytes it came from.
 */
class FrameDecoderFuzzTest {
  @FuzzTest
  void decodesOrRefusesAnyByteStream(byte[] input) {
    // The first byte picks where the stream is split in two reads, to cover partial frames.
    int split = input.length == 0 ? 0 : (input[0] & 0xFF) % (input.length + 1);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
    List<Message> decoded = new ArrayList<>();
    ProtocolException refused = null;
    try {
      // Copies: the decoder compacts its cumulation in place, which would rewrite a wrapped input.
      ch.writeInbound(Unpooled.copiedBuffer(input, 0, split));
      drain(ch, decoded);
      ch.writeInbound(Unpooled.copiedBuffer(input, split, input.length - split));
      drain(ch, decoded);
    } catch (DecoderException e) {
      assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
      refused = (ProtocolException) e.getCause();
    }
    ch.finishAndReleaseAll();

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    for (Message m : decoded) {
      again.writeBytes(reencode(m));
    }
    byte[] prefix = Arrays.copyOf(input, again.size());
    if (!lossless(decoded)) {
      return;
    }
    assertThat(again.toByteArray()).as("frames re-encode to their input").isEqualTo(prefix);
    if (refused == null) {
      // What was not decoded is a partial frame, never more than one frame's worth.
      assertThat(input.length - again.size()).isLessThan(Frames.HEADER_BYTES + Frames.MAX_PAYLOAD);
    }
  }

  private static void drain(EmbeddedChannel ch, List<Message> out) {
    for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
      out.add((Message) m);
    }
  }

  static byte[] reencode(Message m) {
    ByteBuf b = Unpooled.buffer();
    MessageCodec.encode(m, b);
    return ByteBufUtil.getBytes(b);
  }

  /**
   * False when a message carries an error code this build does not know: it decodes as INTERNAL
   * (forward compatibility), so its bytes cannot come back unchanged.
   */
  static boolean lossless(List<Message> messages) {
    return messages.stream().noneMatch(FrameDecoderFuzzTest::hasInternal);
  }

  static boolean hasInternal(Message m) {
    ErrorCode c = null;
    if (m instanceof Message.Close x) {
      c = x.reason();
    } else if (m instanceof Message.Error x) {
      c = x.code();
    } else if (m instanceof Message.ClaimResult x) {
      c = x.status();
    }
    return c == ErrorCode.INTERNAL;
  }
}
