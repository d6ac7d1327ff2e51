package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  static final List<Message> ALL =
      List.of(
          new Message.Hello(Frames.VERSION, Frames.VERSION, "switchboard-test"),
          new Message.HelloOk(1, "broker-us-1"),
          new Message.Ping(42L),
          new Message.Pong(-7L),
          new Message.CodeRequest(),
          new Message.Code("K7M2QX9P4T", 1_700_000_000_000L),
          new Message.Join("K7M2QX9P4T"),
          new Message.Joined("s-1"),
          new Message.Redirect(
              "broker-in-3", "broker-in-3.company.com", 7443, new byte[] {1, 2, 3}),
          new Message.Attach(new byte[] {9, 8}),
          new Message.SessionStart("s-1", "alice"),
          new Message.Data(new byte[] {0, 1, 2, (byte) 255}),
          new Message.Eof(),
          new Message.Close(ErrorCode.IDLE_TIMEOUT, "idle 300s"),
          new Message.MeshHello("broker-us-2"),
          new Message.Claim(5L, "K7M2QX9P4T", "broker-in-3", "s-9"),
          new Message.ClaimResult(5L, null, new byte[] {1}, new byte[] {2}, "alice"),
          new Message.ClaimResult(6L, ErrorCode.CODE_USED, new byte[0], new byte[0], ""),
          new Message.Failures(
              List.of(
                  new Message.Failures.Count(
                      Message.Failures.Kind.ADDRESS, new byte[] {127, 0, 0, 1}, 3),
                  new Message.Failures.Count(
                      Message.Failures.Kind.CERTIFICATE, new byte[32], 0xFFFF))),
          new Message.Failures(List.of()),
          new Message.Error(ErrorCode.CODE_EXPIRED, "code expired 3s ago"));

  @Test
  void everyMessageRoundTripsThroughTheChannelPipeline() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(), new FrameEncoder());
    for (Message m : ALL) {
      assertThat(ch.writeOutbound(m)).isTrue();
      ByteBuf wire = ch.readOutbound();
      assertThat(ch.writeInbound(wire)).isTrue();
      Message back = ch.readInbound();
      assertThat(back).isEqualTo(m);
    }
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void framesSplitAtEveryByteBoundaryStillDecode() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
    byte[] wire =
        StreamFrames.encode(new Message.Redirect("b3", "host", 443, new byte[] {7, 7, 7}));
    for (byte b : wire) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    Message m = ch.readInbound();
    assertThat(m).isEqualTo(new Message.Redirect("b3", "host", 443, new byte[] {7, 7, 7}));
  }

  @Test
  void truncatedFrameWaitsForMoreAndProducesNothing() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
    byte[] wire = StreamFrames.encode(new Message.Join("K7M2QX9P4T"));
    ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, wire.length - 1));
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void truncatedPayloadIsAProtocolError() {
    // Frame length says 2 bytes but a JOIN needs a string length plus the string.
    assertDecodeFails(new byte[] {MessageType.JOIN, 0, 2, 0, 9}, ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void oversizedFrameIsRejectedBeforeItsPayloadArrives() {
    assertDecodeFails(new byte[] {MessageType.DATA, (byte) 0x40, 0x01}, ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void unknownTypeIsAProtocolError() {
    assertDecodeFails(new byte[] {0x55, 0, 0}, ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void trailingBytesAreAProtocolError() {
    assertDecodeFails(new byte[] {MessageType.EOF, 0, 1, 0}, ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void controlCharactersInStringsAreRejected() {
    assertDecodeFails(new byte[] {MessageType.JOIN, 0, 3, 0, 1, 0x07}, ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void garbageNeverDecodesSilentlyAndStopsAtFirstError() {
    Random r = new Random(1234);
    for (int round = 0; round < 500; round++) {
      byte[] junk = new byte[1 + r.nextInt(64)];
      r.nextBytes(junk);
      EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
      try {
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
      } catch (DecoderException e) {
        assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
        // After a failure nothing more is decoded, even a valid frame.
        ch.writeInbound(Unpooled.wrappedBuffer(StreamFrames.encode(new Message.Ping(1))));
        assertThat(ch.inboundMessages()).allMatch(m -> m instanceof Message);
      }
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void failuresAreBoundedAndWellFormed() {
    // 401 counts announced: refused before any count is read.
    assertDecodeFails(
        new byte[] {MessageType.FAILURES, 0, 2, 1, (byte) 145}, ErrorCode.PROTOCOL_ERROR);
    // An address key of 5 bytes.
    assertDecodeFails(
        new byte[] {MessageType.FAILURES, 0, 12, 0, 1, 1, 0, 5, 1, 2, 3, 4, 5, 0, 1},
        ErrorCode.PROTOCOL_ERROR);
    // Kind 3 does not exist.
    assertDecodeFails(
        new byte[] {MessageType.FAILURES, 0, 11, 0, 1, 3, 0, 4, 1, 2, 3, 4, 0, 1},
        ErrorCode.PROTOCOL_ERROR);
    // Zero failures.
    assertDecodeFails(
        new byte[] {MessageType.FAILURES, 0, 11, 0, 1, 1, 0, 4, 1, 2, 3, 4, 0, 0},
        ErrorCode.PROTOCOL_ERROR);
    List<Message.Failures.Count> most = new java.util.ArrayList<>();
    for (int i = 0; i < Message.Failures.MAX_COUNTS; i++) {
      most.add(new Message.Failures.Count(Message.Failures.Kind.CERTIFICATE, new byte[32], 0xFFFF));
    }
    assertThat(StreamFrames.encode(new Message.Failures(most)).length)
        .isLessThanOrEqualTo(Frames.HEADER_BYTES + Frames.MAX_PAYLOAD);
  }

  @Test
  void encoderRefusesPayloadsOverTheLimit() {
    assertThatThrownBy(
            () -> StreamFrames.encode(new Message.Data(new byte[Frames.MAX_PAYLOAD + 1])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(StreamFrames.encode(new Message.Data(new byte[Frames.MAX_PAYLOAD])))
        .hasSize(Frames.MAX_PAYLOAD + Frames.HEADER_BYTES);
  }

  private static void assertDecodeFails(byte[] wire, ErrorCode expected) {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(wire)))
        .isInstanceOf(DecoderException.class)
        .cause()
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(expected));
  }
}
