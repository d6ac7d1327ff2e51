package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class BatchingSocketTest {

  @Test
  void outsideABatchEveryFlushLeavesAtOnce() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        BatchingSocket client = connect(server);
        Socket peer = server.accept()) {
      OutputStream out = client.getOutputStream();
      out.write(new byte[] {1, 2, 3});
      out.flush(); // as the JDK's TLS layer does after every handshake message and record
      assertThat(readWithin(peer, 3, 2000)).isEqualTo(3);
    }
  }

  @Test
  void insideABatchNothingLeavesUntilTheBatchEnds() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        BatchingSocket client = connect(server);
        Socket peer = server.accept()) {
      OutputStream out = client.getOutputStream();
      client.beginBatch();
      for (int record = 0; record < 4; record++) {
        out.write(new byte[16 * 1024]);
        out.flush();
      }
      assertThat(readWithin(peer, 1, 300)).as("bytes visible before the batch ended").isZero();
      client.endBatch();
      assertThat(readWithin(peer, 64 * 1024, 2000)).isEqualTo(64 * 1024);
    }
  }

  @Test
  void aBatchLargerThanTheBufferStillArrivesWholeAndInOrder() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        BatchingSocket client = connect(server);
        Socket peer = server.accept()) {
      int total = BatchingSocket.MAX_BATCH * 3 + 123;
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = client.getOutputStream();
                  client.beginBatch();
                  for (int i = 0; i < total; i += 1000) {
                    byte[] chunk = new byte[Math.min(1000, total - i)];
                    for (int j = 0; j < chunk.length; j++) {
                      chunk[j] = (byte) (i + j);
                    }
                    out.write(chunk);
                    out.flush();
                  }
                  client.endBatch();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      InputStream in = peer.getInputStream();
      for (int i = 0; i < total; i++) {
        assertThat(in.read()).as("byte %d", i).isEqualTo((i) & 0xFF);
      }
      writer.join();
    }
  }

  @Test
  void closeSendsWhatAnUnfinishedBatchGathered() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      BatchingSocket client = connect(server);
      try (Socket peer = server.accept()) {
        client.beginBatch();
        client.getOutputStream().write(new byte[] {7, 8});
        client.close(); // e.g. a TLS close_notify written inside a batch
        InputStream in = peer.getInputStream();
        assertThat(in.read()).isEqualTo(7);
        assertThat(in.read()).isEqualTo(8);
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  private static BatchingSocket connect(ServerSocket server) throws IOException {
    BatchingSocket s = new BatchingSocket();
    s.connect(server.getLocalSocketAddress(), 2000);
    return s;
  }

  /** Reads up to {@code want} bytes, giving up after {@code millis} without progress. */
  private static int readWithin(Socket s, int want, int millis) throws IOException {
    s.setSoTimeout(millis);
    byte[] buf = new byte[want];
    int got = 0;
    try {
      while (got < want) {
        int n = s.getInputStream().read(buf, got, want - got);
        if (n < 0) {
          break;
        }
        got += n;
      }
    } catch (SocketTimeoutException e) {
      // nothing more arrived in time
    }
    return got;
  }
}
