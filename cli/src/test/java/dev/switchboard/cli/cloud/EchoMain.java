package dev.switchboard.cli.cloud;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A task for CLI tests: echoes TCP lines and UDP datagrams on SWITCHBOARD_PORTS at
 * SWITCHBOARD_BIND_IP.
 */
public final class EchoMain {
  private EchoMain() {}

  public static void main(String[] args) throws Exception {
    String bind = System.getenv("SWITCHBOARD_BIND_IP");
    InetAddress addr = InetAddress.getByName(bind);
    for (String p : System.getenv("SWITCHBOARD_PORTS").trim().split("\\s+")) {
      String[] parts = p.split("/");
      int port = Integer.parseInt(parts[0]);
      if (parts[1].equals("tcp")) {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(addr, port));
        daemon(
            () -> {
              while (true) {
                try {
                  Socket s = ss.accept();
                  daemon(() -> echo(s, bind));
                } catch (Exception e) {
                  return;
                }
              }
            });
      } else {
        DatagramSocket ds = new DatagramSocket(new InetSocketAddress(addr, port));
        daemon(
            () -> {
              byte[] buf = new byte[2048];
              while (true) {
                try {
                  DatagramPacket in = new DatagramPacket(buf, buf.length);
                  ds.receive(in);
                  byte[] out =
                      (bind + ": " + new String(buf, 0, in.getLength(), StandardCharsets.UTF_8))
                          .getBytes(StandardCharsets.UTF_8);
                  ds.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
                } catch (Exception e) {
                  return;
                }
              }
            });
      }
    }
    Thread.currentThread().join();
  }

  private static void echo(Socket s, String bind) {
    try (s) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        s.getOutputStream().write((bind + ": " + line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (Exception e) {
      // The client went away.
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }
}
