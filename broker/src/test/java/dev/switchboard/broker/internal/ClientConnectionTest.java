package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.pki.Role;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.FrameDecoder;
import dev.switchboard.protocol.FrameEncoder;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.MessageCodec;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The control phase of one client connection, on an {@link EmbeddedChannel} with manual time. */
class ClientConnectionTest {
  private final ManualScheduler time = new ManualScheduler();
  private final BrokerConfig config =
      BrokerConfig.defaults(
          "b1",
          "localhost",
          HostPort.parse("127.0.0.1:0"),
          HostPort.parse("127.0.0.1:0"),
          Path.of("ca.pem"),
          Path.of("cert.pem"),
          Path.of("key.pem"));
  private final BrokerCore core = new BrokerCore(config, null, time.clock(), time);

  @Test
  void helloIsAnsweredWithTheChosenVersionAndBrokerId() throws Exception {
    EmbeddedChannel ch = connect(Role.CONTROLLER);
    ch.writeInbound(hello());
    assertThat(read(ch)).isEqualTo(new Message.HelloOk(Frames.VERSION, "b1"));
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void helloTwiceIsAnUnexpectedMessageAndClosesTheConnection() throws Exception {
    EmbeddedChannel ch = connect(Role.CONTROLLER);
    ch.writeInbound(hello());
    read(ch);
    ch.writeInbound(hello());
    assertRefusedAndClosed(ch, ErrorCode.UNEXPECTED_MESSAGE, "HELLO sent twice");
  }

  @Test
  void joinBeforeHelloIsAnUnexpectedMessageAndClosesTheConnection() throws Exception {
    EmbeddedChannel ch = connect(Role.TARGET);
    ch.writeInbound(new Message.Join("K7M2Q-X9P4T"));
    assertRefusedAndClosed(ch, ErrorCode.UNEXPECTED_MESSAGE, "first message must be HELLO");
  }

  @Test
  void aVersionRangeWithNothingInCommonIsRefused() throws Exception {
    EmbeddedChannel ch = connect(Role.CONTROLLER);
    ch.writeInbound(new Message.Hello(Frames.VERSION + 1, Frames.VERSION + 5, "future"));
    assertRefusedAndClosed(ch, ErrorCode.UNSUPPORTED_VERSION, "broker speaks");
  }

  @Test
  void anUnknownMessageTypeOnTheWireIsAProtocolError() throws Exception {
    EmbeddedChannel ch = connect(Role.CONTROLLER);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x7e, 0, 0}));
    assertRefusedAndClosed(ch, ErrorCode.PROTOCOL_ERROR, "unknown message type 0x7e");
  }

  @Test
  void aBrokerOnlyMessageFromAClientIsRefused() throws Exception {
    EmbeddedChannel ch = connect(Role.CONTROLLER);
    ch.writeInbound(hello());
    read(ch);
    ch.writeInbound(new Message.HelloOk(1, "me"));
    assertRefusedAndClosed(ch, ErrorCode.UNEXPECTED_MESSAGE, "not allowed from a client");
  }

  @Test
  void aRequestTheRoleMayNotMakeGetsAnErrorFrameAndTheConnectionIsClosed() throws Exception {
    EmbeddedChannel ch = connect(Role.TARGET);
    ch.writeInbound(hello());
    read(ch);
    ch.writeInbound(new Message.CodeRequest());
    Message.Error e = (Message.Error) read(ch);
    assertThat(e.code()).isEqualTo(ErrorCode.WRONG_ROLE);
    assertThat(e.message())
        .isEqualTo("a target certificate may not request a connection code; only a controller may");
    assertThat(ch.isActive()).as("nothing useful can follow a wrong role").isFalse();
  }

  @Test
  void theFifthRefusalOnOneConnectionClosesIt() throws Exception {
    EmbeddedChannel ch = connect(Role.TARGET);
    ch.writeInbound(hello());
    read(ch);
    for (int i = 1; i < ClientConnection.MAX_REFUSALS; i++) {
      ch.writeInbound(new Message.Join("not a code " + i));
      assertThat(((Message.Error) read(ch)).code()).isEqualTo(ErrorCode.CODE_UNKNOWN);
      assertThat(ch.isActive()).as("after refusal %d", i).isTrue();
    }
    ch.writeInbound(new Message.Join("not a code either"));
    Message.Error last = (Message.Error) read(ch);
    assertThat(last.code()).isEqualTo(ErrorCode.CODE_UNKNOWN);
    assertThat(last.message()).contains("closing after 5 refused requests");
    assertThat(ch.isActive()).isFalse();
    assertThat(core.metrics.render())
        .containsPattern(
            "switchboard_clients_cut_off_total\\{[^}]*reason=\"too_many_refusals\"\\} 1\\.0");
  }

  @Test
  void aJoinWithAMalformedCodeIsRefusedAndCountsAgainstTheSource() throws Exception {
    EmbeddedChannel ch = connect(Role.TARGET);
    ch.writeInbound(hello());
    read(ch);
    ch.writeInbound(new Message.Join("not a code"));
    Message.Error e = (Message.Error) read(ch);
    assertThat(e.code()).isEqualTo(ErrorCode.CODE_UNKNOWN);
    assertThat(e.message()).contains("not a connection code");
    assertThat(ch.isActive()).isTrue();
    assertThat(core.metrics.render())
        .containsPattern("switchboard_failed_joins_total\\{[^}]*reason=\"code_unknown\"\\} 1\\.0");
  }

  @Test
  void aCodeJoinedAtItsTtlIsRefusedLikeAnUnknownOneAndCountedAsExpired() throws Exception {
    EmbeddedChannel controller = connect(Role.CONTROLLER);
    controller.writeInbound(hello());
    read(controller);
    controller.writeInbound(new Message.CodeRequest());
    Message.Code code = (Message.Code) read(controller);
    assertThat(code.expiresAtMillis())
        .isEqualTo(time.clock().millis() + config.codeTtl().toMillis());

    time.advance(config.codeTtl());
    EmbeddedChannel target = connect(Role.TARGET);
    target.writeInbound(hello());
    read(target);
    target.writeInbound(new Message.Join(code.code()));
    Message.Error e = (Message.Error) read(target);
    assertThat(e.code()).isEqualTo(ErrorCode.CODE_UNKNOWN);
    assertThat(e.message())
        .isEqualTo(
            "no session waits for this code; check it with the controller or ask for a new one");
    assertThat(core.metrics.render())
        .containsPattern("switchboard_failed_joins_total\\{[^}]*reason=\"code_expired\"\\} 1\\.0");

    target.writeInbound(new Message.Join("ABCDE-FGHJK"));
    Message.Error unknown = (Message.Error) read(target);
    assertThat(unknown.code()).isEqualTo(e.code());
    assertThat(unknown.message()).as("a guesser cannot tell").isEqualTo(e.message());
  }

  @Test
  void noRequestWithinTheControlTimeoutIsAHandshakeTimeout() throws Exception {
    EmbeddedChannel ch = connect(Role.CONTROLLER);
    ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    assertRefusedAndClosed(ch, ErrorCode.HANDSHAKE_TIMEOUT, "no request within 60s");
  }

  @Test
  void aCodeRequestWhileDrainingIsRefusedWithTheReason() throws Exception {
    core.draining.set(true);
    EmbeddedChannel ch = connect(Role.CONTROLLER);
    ch.writeInbound(hello());
    read(ch);
    ch.writeInbound(new Message.CodeRequest());
    Message.Error e = (Message.Error) read(ch);
    assertThat(e.code()).isEqualTo(ErrorCode.DRAINING);
    assertThat(e.message()).isEqualTo("broker b1 is draining; connect to another broker");
  }

  /** A connection whose TLS handshake presented a certificate with {@code role}. */
  private EmbeddedChannel connect(Role role) {
    ClientConnection conn = new ClientConnection(core);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.attr(ProxiedSource.KEY).set(new InetSocketAddress("127.0.0.7", 40000));
    ch.pipeline().addLast(new FrameDecoder(), new FrameEncoder(), conn);
    conn.identified(role, role.id() + "-1", new byte[32]);
    return ch;
  }

  private static Message.Hello hello() {
    return new Message.Hello(Frames.MIN_VERSION, Frames.VERSION, "test");
  }

  /** The next frame the broker wrote, decoded as a client would. */
  private static Message read(EmbeddedChannel ch) throws ProtocolException {
    ByteBuf out = ch.readOutbound();
    assertThat(out).as("a frame from the broker").isNotNull();
    try {
      int type = out.readUnsignedByte();
      int length = out.readUnsignedShort();
      assertThat(out.readableBytes()).as("one whole frame").isEqualTo(length);
      return MessageCodec.decode(type, out);
    } finally {
      out.release();
    }
  }

  private static void assertRefusedAndClosed(EmbeddedChannel ch, ErrorCode code, String says)
      throws ProtocolException {
    Message m = read(ch);
    assertThat(m).isInstanceOf(Message.Error.class);
    Message.Error e = (Message.Error) m;
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.message()).contains(says);
    assertThat(ch.isActive()).as("closed after the error").isFalse();
    assertThat((Object) ch.readOutbound()).as("nothing after the error").isNull();
  }
}
