package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RelayScannerTest {

  @Test
  void dataFramesPassWithoutEventsEvenWhenSplitAnywhere() throws Exception {
    RelayScanner s = new RelayScanner();
    byte[] wire =
        concat(
            StreamFrames.encode(new Message.Data(new byte[1000])),
            StreamFrames.encode(new Message.Data(new byte[3])));
    for (int i = 0; i < wire.length; i += 7) {
      ByteBuf b = Unpooled.wrappedBuffer(wire, i, Math.min(7, wire.length - i));
      assertThat(s.scan(b)).isEqualTo(RelayScanner.Event.NONE);
      assertThat(b.readerIndex()).isZero();
    }
  }

  @Test
  void eofAndCloseAreReported() throws Exception {
    RelayScanner s = new RelayScanner();
    assertThat(s.scan(buf(new Message.Data(new byte[] {1}), new Message.Eof())))
        .isEqualTo(RelayScanner.Event.EOF);
    assertThat(s.scan(buf(new Message.Close(ErrorCode.PEER_CLOSED, "bye"))))
        .isEqualTo(RelayScanner.Event.CLOSE);
  }

  @Test
  void closeSplitAcrossReadsIsReportedOnceComplete() throws Exception {
    RelayScanner s = new RelayScanner();
    byte[] wire = StreamFrames.encode(new Message.Close(ErrorCode.PEER_CLOSED, "done here"));
    assertThat(s.scan(Unpooled.wrappedBuffer(wire, 0, 5))).isEqualTo(RelayScanner.Event.NONE);
    assertThat(s.scan(Unpooled.wrappedBuffer(wire, 5, wire.length - 5)))
        .isEqualTo(RelayScanner.Event.CLOSE);
  }

  @Test
  void aKeepalivePingThatCrossedTheStartOfRelayingIsDroppedNotRelayed() throws Exception {
    RelayScanner s = new RelayScanner();
    byte[] ping = StreamFrames.encode(new Message.Ping(0));
    byte[] data = StreamFrames.encode(new Message.Data(new byte[] {7, 8}));
    ByteBuf both = Unpooled.wrappedBuffer(ping, ping, data);
    assertThat(s.scan(both)).isEqualTo(RelayScanner.Event.NONE);
    assertThat(s.leadingPingBytes()).isEqualTo(2 * ping.length);
    assertThat(s.dataBytes()).isEqualTo(2);
  }

  @Test
  void aLeadingPingSplitAcrossReadsIsDroppedWhole() throws Exception {
    RelayScanner s = new RelayScanner();
    byte[] wire =
        concat(
            StreamFrames.encode(new Message.Ping(42)),
            StreamFrames.encode(new Message.Data(new byte[] {1})));
    s.scan(Unpooled.wrappedBuffer(wire, 0, 2));
    assertThat(s.leadingPingBytes()).isEqualTo(2);
    assertThat(s.atBoundary()).isFalse();
    s.scan(Unpooled.wrappedBuffer(wire, 2, wire.length - 2));
    assertThat(s.leadingPingBytes())
        .as("the rest of the PING; the DATA frame is kept")
        .isEqualTo(9);
    assertThat(s.dataBytes()).isEqualTo(1);
  }

  @Test
  void aPingAfterTheFirstRelayedFrameOrOfTheWrongSizeIsRejected() {
    assertThatThrownBy(
            () -> new RelayScanner().scan(buf(new Message.Data(new byte[1]), new Message.Ping(0))))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not allowed while relaying");
    assertThatThrownBy(
            () ->
                new RelayScanner()
                    .scan(Unpooled.wrappedBuffer(new byte[] {MessageType.PING, 0, 9, 0, 0})))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("PING of 9 bytes");
  }

  @Test
  void controlMessagesDataAfterEofAndOversizedFramesAreRejected() {
    assertThatThrownBy(() -> new RelayScanner().scan(buf(new Message.Join("X"))))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not allowed while relaying");
    assertThatThrownBy(
            () -> new RelayScanner().scan(buf(new Message.Eof(), new Message.Data(new byte[1]))))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("DATA after EOF");
    assertThatThrownBy(
            () ->
                new RelayScanner()
                    .scan(Unpooled.wrappedBuffer(new byte[] {MessageType.DATA, (byte) 0xFF, 0})))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
  }

  private static ByteBuf buf(Message... ms) {
    ByteBuf b = Unpooled.buffer();
    for (Message m : ms) {
      MessageCodec.encode(m, b);
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
