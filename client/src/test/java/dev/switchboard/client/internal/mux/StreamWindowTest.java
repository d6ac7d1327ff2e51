package dev.switchboard.client.internal.mux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream's receive window: 256 KiB to start (the protocol's), grown while the application keeps
 * up so one stream is not limited to 256 KiB per round trip, never grown for a reader that stalls.
 */
class StreamWindowTest {
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private PipedOutputStream peer;
  private MuxEngine engine;
  private MuxStreamImpl stream;
  private long credit = MuxFrame.WINDOW_BYTES; // what the peer may still send, as the peer sees it
  private int parsed;

  @BeforeEach
  void start() throws IOException {
    peer = new PipedOutputStream();
    InputStream fromPeer = new PipedInputStream(peer);
    engine =
        MuxEngine.controller(
            new Transport() {
              @Override
              public InputStream input() {
                return fromPeer;
              }

              @Override
              public OutputStream output() {
                return sent;
              }

              @Override
              public void abort(ErrorCode code, String message) {}
            });
    stream = new MuxStreamImpl(engine, 2, "");
  }

  @AfterEach
  void stop() throws IOException {
    peer.close(); // the engine's reader ends
  }

  @Test
  void aReaderThatKeepsUpGrowsItsWindowToTheMaximum() throws IOException {
    for (int round = 0; round < 40; round++) {
      sendWhatTheWindowAllows();
      readAll();
    }
    assertThat(sendWhatTheWindowAllows())
        .as("bytes the peer may have in flight once the window has grown")
        .isEqualTo(MuxFrame.MAX_WINDOW_BYTES);
  }

  @Test
  void aReaderThatFallsBehindKeepsTheInitialWindow() throws IOException {
    for (int round = 0; round < 40; round++) {
      long buffered = stream.input().available();
      assertThat(buffered + sendWhatTheWindowAllows())
          .as("bytes buffered here plus in flight, round %d", round)
          .isEqualTo(MuxFrame.WINDOW_BYTES);
      byte[] half = new byte[MuxFrame.WINDOW_BYTES / 2];
      int n = 0;
      while (n < half.length) {
        n += stream.input().read(half, n, half.length - n); // reads half, the rest stays queued
      }
      assertThat(stream.input().available()).isGreaterThan(0);
    }
  }

  /** Delivers DATA up to the peer's credit; returns how many bytes that was. */
  private long sendWhatTheWindowAllows() throws IOException {
    collectGrants();
    long total = 0;
    while (credit > 0) {
      int n = (int) Math.min(credit, MuxFrame.DATA_CHUNK);
      assertThat(stream.deliver(new byte[n])).as("within the granted window").isTrue();
      credit -= n;
      total += n;
    }
    assertThat(stream.deliver(new byte[1])).as("one byte past the window").isFalse();
    return total;
  }

  private void readAll() throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (stream.input().available() > 0) {
      stream.input().read(buf);
    }
    collectGrants();
  }

  private void collectGrants() throws IOException {
    byte[] all;
    synchronized (sent) {
      all = sent.toByteArray();
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, parsed, all.length));
    MuxFrame f;
    while (in.available() > 0 && (f = MuxCodec.read(in)) != null) {
      if (f.type() == MuxFrame.WINDOW && f.streamId() == 2) {
        credit += MuxCodec.u32(f.payload());
      }
    }
    parsed = all.length;
  }
}
