package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The lb's two PROXY-header gates on arbitrary first bytes of a connection: {@link
 * ProxyHeaderReader} (a trusted proxy's v2 header) either refuses by closing or names a client and
 * hands on exactly the bytes after the header; {@link ProxyScreen} (everyone else) closes a
 * connection that opens with a PROXY signature and passes anything else unchanged.
 */
class ProxyHandlingFuzzTest {
  private static final byte[] V1 = "PROXY".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] V2 = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  /** What reaches the handler after the gate: bytes, and whether a client was named. */
  private static final class Sink extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream passed = new ByteArrayOutputStream();
    ProxyHeaderReader.Proxied proxied;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      passed.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ProxyHeaderReader.Proxied p) {
        proxied = p;
      }
    }
  }

  @FuzzTest
  void aTrustedProxysHeaderIsReadOrRefused(byte[] input) {
    Sink sink = new Sink();
    EmbeddedChannel ch =
        new TcpLikeChannel(new ProxyHeaderReader(Duration.ofSeconds(10), counter("invalid")), sink);
    try {
      writeInTwo(ch, input);
      ch.runPendingTasks(); // the reader steps out on a task of its own
      byte[] after = sink.passed.toByteArray();
      if (!ch.isOpen()) {
        assertThat(sink.proxied).as("a refused connection names nobody").isNull();
        return;
      }
      if (sink.proxied == null) {
        assertThat(after).as("nothing passes before the header is whole").isEmpty();
        return;
      }
      assertThat(after)
          .as("bytes after the header pass unchanged")
          .isEqualTo(Arrays.copyOfRange(input, input.length - after.length, input.length));
      assertThat(ch.pipeline().get(ProxyHeaderReader.class)).as("stepped out").isNull();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @FuzzTest
  void aClientsOwnHeaderIsRefusedAndAnythingElsePasses(byte[] input) {
    Sink sink = new Sink();
    EmbeddedChannel ch = new EmbeddedChannel(new ProxyScreen(counter("forged")), sink);
    try {
      writeInTwo(ch, input);
      byte[] after = sink.passed.toByteArray();
      if (startsWith(input, V1) || startsWith(input, V2)) {
        assertThat(ch.isOpen()).as("a forged header closes the connection").isFalse();
        assertThat(after).as("none of it reaches the backend").isEmpty();
      } else if (startsWith(V1, input) || startsWith(V2, input)) {
        assertThat(ch.isOpen()).as("still undecided").isTrue();
        assertThat(after).as("held back until it can be told apart").isEmpty();
      } else {
        assertThat(ch.isOpen()).isTrue();
        assertThat(after).as("passes unchanged").isEqualTo(input);
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** Addresses as a TCP connection has them (a LOCAL header keeps the connection's own). */
  private static final class TcpLikeChannel extends EmbeddedChannel {
    TcpLikeChannel(ChannelHandler... handlers) {
      super(handlers);
    }

    @Override
    protected SocketAddress localAddress0() {
      return new InetSocketAddress("127.0.90.1", 443);
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return new InetSocketAddress("127.0.90.2", 40000);
    }
  }

  /** Two reads, split where the first byte says, so headers cut in two are covered too. */
  private static void writeInTwo(EmbeddedChannel ch, byte[] input) {
    int split = input.length == 0 ? 0 : (input[0] & 0xFF) % (input.length + 1);
    // Copies: decoders compact their cumulation in place, which would rewrite a wrapped input.
    ch.writeInbound(Unpooled.copiedBuffer(input, 0, split));
    if (ch.isOpen()) {
      ch.writeInbound(Unpooled.copiedBuffer(input, split, input.length - split));
    }
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static Counter counter(String name) {
    return Counter.builder().name("fuzz_" + name).build();
  }
}
