package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The replay buffer resends exactly the unacknowledged bytes, however it wrapped and grew. */
class ReplayBufferTest {
  @Test
  void resendsFromAnyOffsetAfterWrappingAndGrowing() {
    ReplayBuffer b = new ReplayBuffer(256 * 1024);
    Random r = new Random(7);
    byte[] stream = new byte[2_000_000];
    r.nextBytes(stream);
    long acked = 0;
    int sent = 0;
    while (sent < stream.length) {
      int n = Math.min(b.free(), Math.min(stream.length - sent, 1 + r.nextInt(40_000)));
      b.append(stream, sent, n);
      sent += n;
      acked = Math.min(sent, acked + r.nextInt(60_000));
      assertThat(b.ack(acked)).isTrue();
      long from = acked + (sent > acked ? r.nextInt((int) (sent - acked)) : 0);
      byte[] out = new byte[(int) (sent - from)];
      assertThat(b.copy(from, out, 0, out.length)).isEqualTo(out.length);
      for (int i = 0; i < out.length; i++) {
        assertThat(out[i]).isEqualTo(stream[(int) from + i]);
      }
    }
    assertThat(b.allocated()).isLessThanOrEqualTo(256 * 1024);
  }

  @Test
  void anIdleBufferHoldsLittleAndAFullOneRefusesMore() {
    ReplayBuffer b = new ReplayBuffer(64 * 1024);
    assertThat(b.allocated()).isEqualTo(ReplayBuffer.INITIAL);
    b.append(new byte[64 * 1024], 0, 64 * 1024);
    assertThat(b.free()).isZero();
    assertThatThrownBy(() -> b.append(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    assertThat(b.ack(64 * 1024 + 1)).as("acknowledging more than was sent").isFalse();
  }

  @Test
  void theInboundBufferDeliversInOrderWhileItGrows() throws Exception {
    InboundBuffer in = new InboundBuffer(256 * 1024);
    Random r = new Random(3);
    byte[] stream = new byte[1_000_000];
    r.nextBytes(stream);
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int at = 0; at < stream.length; ) {
                  int n = Math.min(stream.length - at, 1 + r.nextInt(20_000));
                  in.append(stream, at, n);
                  at += n;
                }
                in.eof();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    writer.start();
    byte[] got = new byte[stream.length];
    int at = 0;
    byte[] buf = new byte[7_000];
    int n;
    while ((n = in.read(buf, 0, buf.length)) >= 0) {
      System.arraycopy(buf, 0, got, at, n);
      at += n;
    }
    writer.join();
    assertThat(at).isEqualTo(stream.length);
    assertThat(got).isEqualTo(stream);
  }
}
