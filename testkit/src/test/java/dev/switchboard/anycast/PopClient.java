package dev.switchboard.anycast;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Connects to the anycast address from inside a client namespace and prints who answered. */
public final class PopClient {
  private PopClient() {}

  public static void main(String[] args) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 2000);
      System.out.print(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
