package dev.switchboard.cloud.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A task for end-to-end tests: echoes every TCP line and UDP datagram on the ports in {@code
 * SWITCHBOARD_PORTS}, bound to {@code SWITCHBOARD_BIND_IP}, prefixed with that address so a test
 * sees which start answered; listens on {@code SWITCHBOARD_HEALTH_PORT} too; exits 0 on SIGTERM (a
 * clean stop), so only a crash (SIGKILL) is a failure.
 */
public final class EchoTask {
  private EchoTask() {}

  public static void main(String[] args) throws Exception {
    String bind = System.getenv("SWITCHBOARD_BIND_IP");
    InetAddress addr = InetAddress.getByName(bind);
    Set<Integer> tcp = new HashSet<>();
    for (String p : System.getenv("SWITCHBOARD_PORTS").trim().split("\\s+")) {
      String[] parts = p.split("/");
      int port = Integer.parseInt(parts[0]);
      if (parts[1].equals("tcp")) {
        tcp.add(port);
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(addr, port));
        daemon(() -> acceptLoop(ss, bind));
      } else {
        DatagramSocket ds = new DatagramSocket(new InetSocketAddress(addr, port));
        daemon(() -> udpLoop(ds, bind));
      }
    }
    String health = System.getenv("SWITCHBOARD_HEALTH_PORT");
    if (health != null && !tcp.contains(Integer.parseInt(health))) {
      ServerSocket hs = new ServerSocket();
      hs.setReuseAddress(true);
      hs.bind(new InetSocketAddress(addr, Integer.parseInt(health)));
      daemon(() -> acceptLoop(hs, bind));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(0)));
    System.out.println("echo task listening on " + bind + " " + System.getenv("SWITCHBOARD_PORTS"));
    Thread.currentThread().join();
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }

  private static void acceptLoop(ServerSocket ss, String bind) {
    while (true) {
      try {
        Socket s = ss.accept();
        daemon(() -> echo(s, bind));
      } catch (Exception e) {
        return;
      }
    }
  }

  private static void echo(Socket s, String bind) {
    try (s) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        out.write((bind + ": " + line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (Exception e) {
      // The client went away.
    }
  }

  private static void udpLoop(DatagramSocket ds, String bind) {
    byte[] buf = new byte[2048];
    while (true) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        ds.receive(p);
        byte[] reply =
            (bind + ": " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        ds.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
      } catch (Exception e) {
        return;
      }
    }
  }
}
