package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Frame payloads through {@link MessageCodec#decode}: a message or a {@link ProtocolException}, and
 * a decoded message encodes back to the same payload.
 */
class MessageCodecFuzzTest {
  @FuzzTest
  void decodesOrRefusesAnyPayload(byte[] input) throws ProtocolException {
    if (input.length == 0 || input.length - 1 > Frames.MAX_PAYLOAD) {
      return; // the frame decoder never hands out a payload beyond the limit
    }
    int type = input[0] & 0xFF;
    ByteBuf payload = Unpooled.wrappedBuffer(input, 1, input.length - 1);
    Message m;
    try {
      m = MessageCodec.decode(type, payload);
    } catch (ProtocolException e) {
      assertThat(e.code()).isIn(ErrorCode.PROTOCOL_ERROR, ErrorCode.FRAME_TOO_LARGE);
      return;
    }
    assertThat(m.type()).isEqualTo(type);
    byte[] frame = FrameDecoderFuzzTest.reencode(m);
    byte[] again = Arrays.copyOfRange(frame, Frames.HEADER_BYTES, frame.length);
    Message back = MessageCodec.decode(type, Unpooled.wrappedBuffer(again));
    assertThat(back).isEqualTo(m);
    if (!FrameDecoderFuzzTest.hasInternal(m)) {
      assertThat(again).isEqualTo(Arrays.copyOfRange(input, 1, input.length));
    }
  }
}
