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
 *   latency-ab CONNS SLICE_MS SECS NAME=HOST:PORT...
 *                                    the same ping-pong against several targets, interleaved: time is cut
 *                                    into slices and the slices rotate over the targets (order shifted
 *                                    every cycle), so drift and noise on a shared machine hit all alike
 *   udp-ab CLIENTS SLICE_MS SECS NAME=HOST:PORT...
 *                                    the udp load, interleaved over the targets the same way
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
      case "latency-ab" -> latencyAb(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]),
          Arrays.copyOfRange(a, 4, a.length));
      case "udp-ab" -> udpAb(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]),
          Arrays.copyOfRange(a, 4, a.length));
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

  /** NAME=HOST:PORT arguments. */
  record Target(String name, InetSocketAddress addr) {
    static Target[] parse(String[] args) {
      Target[] t = new Target[args.length];
      for (int i = 0; i < args.length; i++) {
        String[] nv = args[i].split("=", 2);
        int colon = nv[1].lastIndexOf(':');
        t[i] = new Target(nv[0], new InetSocketAddress(nv[1].substring(0, colon),
            Integer.parseInt(nv[1].substring(colon + 1))));
      }
      return t;
    }
  }

  /**
   * Which target owns the slice that contains {@code elapsedMs}: the slices of one cycle visit every
   * target once, and each cycle starts one target later, so no target always follows the same one.
   */
  static int sliceTarget(long elapsedMs, int sliceMs, int targets) {
    long slice = elapsedMs / sliceMs;
    long cycle = slice / targets;
    return (int) ((slice + cycle) % targets);
  }

  static void latencyAb(int conns, int sliceMs, int secs, String[] args) throws Exception {
    Target[] targets = Target.parse(args);
    int n = targets.length;
    long start = System.nanoTime();
    long warmNs = 1_000_000_000L;
    long endNs = secs * 1_000_000_000L;
    long[][][] samples = new long[conns][n][];
    int[][] counts = new int[conns][n];
    List<Thread> ts = new ArrayList<>();
    for (int c = 0; c < conns; c++) {
      int me = c;
      for (int t = 0; t < n; t++) {
        samples[c][t] = new long[Math.max(100_000, 4_000_000 / conns / n)];
      }
      Thread th = new Thread(() -> {
        Socket[] socks = new Socket[n];
        try {
          for (int t = 0; t < n; t++) {
            socks[t] = new Socket(targets[t].addr.getAddress(), targets[t].addr.getPort());
            socks[t].setTcpNoDelay(true);
          }
          byte[] msg = new byte[64];
          byte[] rb = new byte[64];
          while (true) {
            long t0 = System.nanoTime();
            long el = t0 - start;
            if (el >= endNs) {
              break;
            }
            int t = sliceTarget(el / 1_000_000, sliceMs, n);
            Socket s = socks[t];
            s.getOutputStream().write(msg);
            InputStream in = s.getInputStream();
            int got = 0;
            while (got < 64) {
              int r = in.read(rb, got, 64 - got);
              if (r < 0) throw new IOException("eof from " + targets[t].name);
              got += r;
            }
            long t1 = System.nanoTime();
            if (el > warmNs && counts[me][t] < samples[me][t].length) {
              samples[me][t][counts[me][t]++] = t1 - t0;
            }
          }
        } catch (IOException e) {
          System.err.println("latency-ab: " + e);
        } finally {
          for (Socket s : socks) {
            try {
              if (s != null) s.close();
            } catch (IOException ignored) {
            }
          }
        }
      });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) th.join();
    for (int t = 0; t < n; t++) {
      int total = 0;
      for (int c = 0; c < conns; c++) total += counts[c][t];
      long[] merged = new long[total];
      int p = 0;
      for (int c = 0; c < conns; c++) {
        System.arraycopy(samples[c][t], 0, merged, p, counts[c][t]);
        p += counts[c][t];
      }
      Arrays.sort(merged);
      double secsOn = (secs - 1.0) / n;
      System.out.printf("%s p50_us=%.1f p99_us=%.1f p999_us=%.1f rps=%.0f samples=%d%n", targets[t].name,
          merged[total / 2] / 1000.0, merged[(int) (total * 0.99)] / 1000.0, merged[(int) (total * 0.999)] / 1000.0,
          total / secsOn, total);
    }
  }

  static void udpAb(int clients, int sliceMs, int secs, String[] args) throws Exception {
    Target[] targets = Target.parse(args);
    int n = targets.length;
    AtomicLong[] got = new AtomicLong[n];
    for (int t = 0; t < n; t++) got[t] = new AtomicLong();
    long start = System.nanoTime();
    long warmNs = 1_000_000_000L;
    long endNs = secs * 1_000_000_000L;
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread th = new Thread(() -> {
        DatagramSocket[] socks = new DatagramSocket[n];
        int[] inflight = new int[n];
        try {
          DatagramPacket[] out = new DatagramPacket[n];
          for (int t = 0; t < n; t++) {
            socks[t] = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            socks[t].setSoTimeout(50);
            socks[t].setReceiveBufferSize(1 << 20);
            out[t] = new DatagramPacket(new byte[64], 64, targets[t].addr);
          }
          DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
          while (true) {
            long el = System.nanoTime() - start;
            if (el >= endNs) {
              break;
            }
            int t = sliceTarget(el / 1_000_000, sliceMs, n);
            while (inflight[t] < 32) {
              socks[t].send(out[t]);
              inflight[t]++;
            }
            try {
              socks[t].receive(in);
              inflight[t]--;
              if (el > warmNs) got[t].incrementAndGet();
            } catch (SocketTimeoutException e) {
              inflight[t] = 0; // assume lost; refill the window
            }
          }
        } catch (IOException e) {
          System.err.println("udp-ab: " + e);
        } finally {
          for (DatagramSocket s : socks) {
            if (s != null) s.close();
          }
        }
      });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) th.join();
    double secsOn = (secs - 1.0) / n;
    for (int t = 0; t < n; t++) {
      System.out.printf("%s datagrams_per_s=%.0f%n", targets[t].name, got[t].get() / secsOn);
    }
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
