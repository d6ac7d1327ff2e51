package dev.switchboard.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP forwarder on loopback standing in for the network between clients and brokers: it sends new
 * connections to whichever broker it points at now (a load balancer failing over), and can cut
 * every connection at once with a reset (a laptop changing networks, a broker's host dying).
 */
final class TcpSwitch implements AutoCloseable {
  private final ServerSocket server;
  private final AtomicReference<InetSocketAddress> to;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  TcpSwitch(InetSocketAddress initial) throws IOException {
    this.to = new AtomicReference<>(initial);
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread t = new Thread(this::acceptLoop, "tcp-switch");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** New connections go to {@code target} from now on; open ones stay where they are. */
  void pointAt(InetSocketAddress target) {
    to.set(target);
  }

  /** Resets every connection through the switch, both sides. */
  void cutAll() {
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0); // a reset, as when a network path disappears
        s.close();
      } catch (IOException e) {
        // gone already
      }
    }
    open.clear();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(to.get(), 2000);
        } catch (IOException e) {
          client.setSoLinger(true, 0);
          client.close();
          upstream.close();
          continue;
        }
        open.add(client);
        open.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                }
                to.shutdownOutput();
              } catch (IOException e) {
                try {
                  to.setSoLinger(true, 0);
                  to.close();
                } catch (IOException ignored) {
                  // gone already
                }
              }
            },
            "tcp-switch-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    cutAll();
  }
}
