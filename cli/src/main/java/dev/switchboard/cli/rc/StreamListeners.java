package dev.switchboard.cli.rc;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.MuxBridges;
import dev.switchboard.client.mux.MuxSession;
import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's local listeners: each accepted connection becomes a stream of its own to the
 * listener's service, until {@link #close()}. A refused stream closes its connection and is
 * reported on stderr; the session and the other streams go on.
 */
final class StreamListeners implements AutoCloseable {
  private final MuxSession mux;
  private final PrintWriter err;
  private final List<ServerSocket> servers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  StreamListeners(MuxSession mux, PrintWriter err) {
    this.mux = mux;
    this.err = err;
  }

  /** Starts accepting on {@code server} for {@code service} ("" = the target's default). */
  synchronized void start(ServerSocket server, String service) {
    servers.add(server);
    Thread t = new Thread(() -> acceptLoop(server, service), "switchboard-listener");
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  static String address(ServerSocket s) {
    return HostPort.of((InetSocketAddress) s.getLocalSocketAddress()).toString();
  }

  private void acceptLoop(ServerSocket server, String service) {
    while (true) {
      Socket local;
      try {
        local = server.accept();
      } catch (IOException e) {
        return; // closed: the controller is stopping
      }
      Thread t = new Thread(() -> carry(local, service), "switchboard-local-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void carry(Socket local, String service) {
    String what = service.isEmpty() ? "the target's default service" : service;
    MuxStream s;
    try {
      s = mux.open(service);
    } catch (IOException e) {
      close(local);
      if (e instanceof RefusedException r) {
        say("stream to " + what + " refused: " + r.code().name() + " — " + sentence(r));
      }
      return; // otherwise the session has ended, and the command reports why
    }
    try {
      MuxBridges.socket(s, local);
    } catch (IOException e) {
      close(local);
    }
  }

  static String sentence(RefusedException r) {
    return r.getMessage().substring(r.code().name().length() + 2);
  }

  private void say(String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Stops accepting; connections already carried end with the session. */
  @Override
  public synchronized void close() {
    for (ServerSocket s : servers) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
