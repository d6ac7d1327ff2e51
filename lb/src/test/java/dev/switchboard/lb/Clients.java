package dev.switchboard.lb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Blocking test clients with bounded waits, so a broken load balancer fails a test instead of
 * hanging it.
 */
final class Clients {
  static final int TIMEOUT_MS = 5000;

  private Clients() {}

  /** Connects from {@code srcIp}, sends one line, returns the backend IP that answered. */
  static String tcp(InetSocketAddress lb, String srcIp, String msg) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(srcIp), 0));
      s.connect(lb, TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      s.getOutputStream().write((msg + "\n").getBytes(StandardCharsets.UTF_8));
      String line =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      if (line == null) {
        throw new IOException("connection closed without a reply");
      }
      if (!line.endsWith(" " + msg)) {
        throw new IOException("unexpected reply: " + line);
      }
      return line.substring(0, line.indexOf(' '));
    }
  }

  static DatagramSocket udpSocket(String srcIp) throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(srcIp), 0));
    s.setSoTimeout(TIMEOUT_MS);
    return s;
  }

  /** Sends one datagram and returns the reply's text (or throws on timeout). */
  static String udp(DatagramSocket s, InetSocketAddress lb, String msg) throws IOException {
    byte[] b = msg.getBytes(StandardCharsets.UTF_8);
    s.send(new DatagramPacket(b, b.length, lb));
    byte[] buf = new byte[65535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
  }
}
