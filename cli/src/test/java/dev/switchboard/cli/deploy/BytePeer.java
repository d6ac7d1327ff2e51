package dev.switchboard.cli.deploy;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;

/**
 * One end of a byte check, run inside a namespace: sends N bytes of one seeded stream while reading
 * N bytes and comparing them with another; prints {@code ok sent N received N} or where they
 * differ. {@code BytePeer serve|connect HOST PORT N SEND_SEED EXPECT_SEED}.
 */
public final class BytePeer {
  private BytePeer() {}

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    long n = Long.parseLong(args[3]);
    long sendSeed = Long.parseLong(args[4]);
    long expectSeed = Long.parseLong(args[5]);
    Socket s;
    if (args[0].equals("serve")) {
      try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getByName(host))) {
        System.out.println("listening");
        System.out.flush();
        s = server.accept();
      }
    } else {
      s = new Socket(host, port);
    }
    try (s) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = s.getOutputStream();
                  Random r = new Random(sendSeed);
                  byte[] buf = new byte[64 << 10];
                  for (long left = n; left > 0; left -= buf.length) {
                    r.nextBytes(buf);
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                  }
                  out.flush();
                } catch (Exception e) {
                  System.out.println("send failed: " + e);
                }
              });
      writer.start();
      DataInputStream in = new DataInputStream(s.getInputStream());
      Random r = new Random(expectSeed);
      byte[] want = new byte[64 << 10];
      byte[] got = new byte[want.length];
      for (long off = 0; off < n; off += want.length) {
        int len = (int) Math.min(want.length, n - off);
        r.nextBytes(want);
        in.readFully(got, 0, len);
        if (!Arrays.equals(want, 0, len, got, 0, len)) {
          System.out.println("mismatch in the 64 KiB block at offset " + off);
          System.exit(1);
        }
      }
      writer.join();
      System.out.println("ok sent " + n + " received " + n);
    }
  }
}
