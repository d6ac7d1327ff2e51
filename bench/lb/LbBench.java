import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver and backends for bench/lb/run.sh. Modes:
 *   tcp-echo IP PORT                 single-threaded NIO echo server
 *   udp-echo IP PORT                 single-threaded UDP echo server
 *   latency HOST PORT CONNS SECS     ping-pong 64 B on CONNS persistent connections; p50/p99 in us
 *   connrate HOST PORT THREADS SECS  new TCP connection per 16 B request/response
 *   udp HOST PORT CLIENTS SECS       datagrams/s echoed through, 32 in flight per client
 *   failover LBHOST LBPORT           two backends (data 9100, probe 9101 on 127.0.60.1/.2); kills
 *                                    .1's probe port and reports ms until the last new flow reached it
 */
public class LbBench {
  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "tcp-echo" -> tcpEcho(a[1], Integer.parseInt(a[2]));
      case "udp-echo" -> udpEcho(a[1], Integer.parseInt(a[2]));
      case "latency" -> latency(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
      case "connrate" -> connrate(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
      case "udp" -> udp(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
      case "failover" -> failover(a[1], Integer.parseInt(a[2]));
      default -> throw new IllegalArgumentException(a[0]);
    }
  }

  static void tcpEcho(String ip, int port) throws IOException {
    Selector sel = Selector.open();
    ServerSocketChannel ss = ServerSocketChannel.open();
    ss.bind(new InetSocketAddress(ip, port), 4096);
    ss.configureBlocking(false);
    ss.register(sel, SelectionKey.OP_ACCEPT);
    ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
    while (true) {
      sel.select();
      for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
        SelectionKey k = it.next();
        it.remove();
        try {
          if (k.isAcceptable()) {
            SocketChannel c;
            while ((c = ss.accept()) != null) {
              c.configureBlocking(false);
              c.socket().setTcpNoDelay(true);
              c.register(sel, SelectionKey.OP_READ);
            }
          } else if (k.isReadable()) {
            SocketChannel c = (SocketChannel) k.channel();
            buf.clear();
            int n = c.read(buf);
            if (n < 0) {
              k.cancel();
              c.close();
              continue;
            }
            buf.flip();
            while (buf.hasRemaining()) {
              c.write(buf); // small messages: the socket buffer always has room
            }
          }
        } catch (IOException e) {
          k.cancel();
          try {
            k.channel().close();
          } catch (IOException ignored) {
          }
        }
      }
    }
  }

  static void udpEcho(String ip, int port) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
    ch.bind(new InetSocketAddress(ip, port));
    ByteBuffer buf = ByteBuffer.allocateDirect(2048);
    while (true) {
      buf.clear();
      var from = ch.receive(buf);
      buf.flip();
      ch.send(buf, from);
    }
  }

  static void latency(String host, int port, int conns, int secs) throws Exception {
    long end = System.nanoTime() + secs * 1_000_000_000L;
    long warm = System.nanoTime() + 1_000_000_000L;
    List<long[]> all = new ArrayList<>();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < conns; i++) {
      long[] samples = new long[Math.max(200_000, 3_000_000 / conns)];
      all.add(samples);
      Thread t = new Thread(() -> {
        int n = 0;
        try (Socket s = new Socket(host, port)) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = s.getInputStream();
          byte[] msg = new byte[64];
          byte[] rb = new byte[64];
          while (System.nanoTime() < end && n < samples.length - 1) {
            long t0 = System.nanoTime();
            out.write(msg);
            int got = 0;
            while (got < 64) {
              int r = in.read(rb, got, 64 - got);
              if (r < 0) throw new IOException("eof");
              got += r;
            }
            long t1 = System.nanoTime();
            if (t0 > warm) samples[++n] = t1 - t0;
          }
        } catch (IOException e) {
          System.err.println("latency: " + e);
        }
        samples[0] = n;
      });
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) t.join();
    int total = 0;
    for (long[] s : all) total += (int) s[0];
    long[] merged = new long[total];
    int p = 0;
    for (long[] s : all) {
      System.arraycopy(s, 1, merged, p, (int) s[0]);
      p += (int) s[0];
    }
    Arrays.sort(merged);
    System.out.printf("p50_us=%.1f p99_us=%.1f rps=%.0f%n", merged[total / 2] / 1000.0,
        merged[(int) (total * 0.99)] / 1000.0, total / (secs - 1.0));
  }

  static void connrate(String host, int port, int threads, int secs) throws Exception {
    AtomicLong ok = new AtomicLong();
    AtomicLong err = new AtomicLong();
    long warm = System.nanoTime() + 1_000_000_000L;
    long end = System.nanoTime() + secs * 1_000_000_000L;
    List<Thread> ts = new ArrayList<>();
    InetSocketAddress addr = new InetSocketAddress(host, port);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        byte[] msg = new byte[16];
        byte[] rb = new byte[16];
        while (System.nanoTime() < end) {
          try (Socket s = new Socket()) {
            s.setSoLinger(true, 0); // client RST: no TIME_WAIT pile-up on the driver side
            s.setTcpNoDelay(true);
            s.setSoTimeout(5000);
            s.connect(addr, 5000);
            s.getOutputStream().write(msg);
            int got = 0;
            while (got < 16) {
              int r = s.getInputStream().read(rb, got, 16 - got);
              if (r < 0) throw new IOException("eof");
              got += r;
            }
            if (System.nanoTime() > warm) ok.incrementAndGet();
          } catch (IOException e) {
            err.incrementAndGet();
          }
        }
      });
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) t.join();
    System.out.printf("conn_per_s=%.0f errors=%d%n", ok.get() / (secs - 1.0), err.get());
  }

  static void udp(String host, int port, int clients, int secs) throws Exception {
    AtomicLong got = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    long warm = System.nanoTime() + 1_000_000_000L;
    long end = System.nanoTime() + secs * 1_000_000_000L;
    InetSocketAddress addr = new InetSocketAddress(host, port);
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
          s.setSoTimeout(50);
          s.setReceiveBufferSize(1 << 20);
          byte[] msg = new byte[64];
          DatagramPacket out = new DatagramPacket(msg, msg.length, addr);
          DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
          int inflight = 0;
          while (System.nanoTime() < end) {
            while (inflight < 32) {
              s.send(out);
              sent.incrementAndGet();
              inflight++;
            }
            try {
              s.receive(in);
              inflight--;
              if (System.nanoTime() > warm) got.incrementAndGet();
            } catch (SocketTimeoutException e) {
              inflight = 0; // assume lost; refill the window
            }
          }
        } catch (IOException e) {
          System.err.println("udp: " + e);
        }
      });
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) t.join();
    System.out.printf("datagrams_per_s=%.0f sent=%d%n", got.get() / (secs - 1.0), sent.get());
  }

  /** A backend whose data port records accept times and whose probe port can be killed. */
  static final class FoBackend {
    final ServerSocket data;
    final ServerSocket probe;
    final AtomicLong lastAccept = new AtomicLong();

    FoBackend(String ip) throws IOException {
      data = new ServerSocket();
      data.setReuseAddress(true);
      data.bind(new InetSocketAddress(InetAddress.getByName(ip), 9100), 4096);
      probe = new ServerSocket();
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getByName(ip), 9101), 512);
      daemon(() -> acceptLoop(data, true));
      daemon(() -> acceptLoop(probe, false));
    }

    void acceptLoop(ServerSocket ss, boolean record) {
      while (true) {
        try {
          Socket s = ss.accept();
          if (record) lastAccept.set(System.nanoTime());
          daemon(() -> {
            try (s) {
              byte[] b = new byte[64];
              int n;
              while ((n = s.getInputStream().read(b)) > 0) s.getOutputStream().write(b, 0, n);
            } catch (IOException ignored) {
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    }
  }

  static void daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }

  static void failover(String host, int port) throws Exception {
    FoBackend a = new FoBackend("127.0.60.1");
    FoBackend b = new FoBackend("127.0.60.2");
    Thread.sleep(3000); // let the balancers' probes see both backends up
    AtomicBoolean run = new AtomicBoolean(true);
    AtomicLong reqs = new AtomicLong();
    for (int i = 0; i < 2; i++) {
      daemon(() -> {
        while (run.get()) {
          try (Socket s = new Socket()) {
            s.setSoLinger(true, 0);
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(1);
            s.getInputStream().read();
            reqs.incrementAndGet();
            Thread.sleep(2);
          } catch (Exception ignored) {
          }
        }
      });
    }
    Thread.sleep(2000);
    long death = System.nanoTime();
    a.probe.close(); // the backend "dies" as far as probes can tell; data port keeps accepting
    Thread.sleep(8000);
    run.set(false);
    long last = a.lastAccept.get();
    System.out.printf("failover_ms=%.0f requests=%d%n", Math.max(0, last - death) / 1e6, reqs.get());
    System.exit(0);
  }
}
