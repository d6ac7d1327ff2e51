package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Relayed bytes through {@link RelayScanner}: only a {@link ProtocolException} escapes, the buffer
 * is never touched, and the verdict does not depend on how the stream was split.
 */
class RelayScannerFuzzTest {
  @FuzzTest
  void scansAnyStreamTheSameWayHoweverItIsSplit(byte[] input) {
    String whole = verdict(input, input.length);
    int split = input.length == 0 ? 1 : 1 + (input[0] & 0xFF) % input.length;
    assertThat(verdict(input, split)).as("split every %d bytes", split).isEqualTo(whole);
  }

  private static String verdict(byte[] input, int chunk) {
    RelayScanner scanner = new RelayScanner();
    int closes = 0;
    for (int i = 0; i < input.length; i += chunk) {
      ByteBuf buf = Unpooled.wrappedBuffer(input, i, Math.min(chunk, input.length - i));
      int reader = buf.readerIndex();
      int writer = buf.writerIndex();
      try {
        if (scanner.scan(buf) == RelayScanner.Event.CLOSE) {
          closes++;
        }
      } catch (ProtocolException e) {
        return "refused " + e.code();
      }
      assertThat(buf.readerIndex()).isEqualTo(reader);
      assertThat(buf.writerIndex()).isEqualTo(writer);
    }
    assertThat(closes).as("CLOSE is reported at most once").isLessThanOrEqualTo(1);
    return "eof=" + scanner.sawEof() + " close=" + scanner.sawClose() + " closes=" + closes;
  }
}
