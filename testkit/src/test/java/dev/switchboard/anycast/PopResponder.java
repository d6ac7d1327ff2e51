package dev.switchboard.anycast;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a POP's frontend inside a namespace: answers every connection with the POP's name.
 */
public final class PopResponder {
  private PopResponder() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket s =
        new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getByName(args[0]))) {
      while (true) {
        try (Socket c = s.accept();
            OutputStream out = c.getOutputStream()) {
          out.write((args[2] + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }
}
