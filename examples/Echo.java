// A task for `switchboard run` on the local provider (README, docs/cloud.md): echoes TCP lines and
// UDP datagrams on every port in SWITCHBOARD_PORTS ("5060/udp 5060/tcp") at SWITCHBOARD_BIND_IP.
// Needs only a JDK: `java examples/Echo.java` compiles and runs it.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

public final class Echo {
  public static void main(String[] args) throws Exception {
    InetAddress bind = InetAddress.getByName(System.getenv("SWITCHBOARD_BIND_IP"));
    for (String p : System.getenv("SWITCHBOARD_PORTS").trim().split("\\s+")) {
      int port = Integer.parseInt(p.substring(0, p.indexOf('/')));
      if (p.endsWith("/tcp")) {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(bind, port));
        start(() -> acceptLoop(server));
      } else {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bind, port));
        start(() -> udpLoop(socket));
      }
    }
    Thread.currentThread().join();
  }

  private static void acceptLoop(ServerSocket server) {
    while (true) {
      try {
        Socket s = server.accept();
        start(() -> echoLines(s));
      } catch (Exception e) {
        return;
      }
    }
  }

  private static void echoLines(Socket s) {
    try (s) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (Exception e) {
      // The client went away.
    }
  }

  private static void udpLoop(DatagramSocket socket) {
    byte[] buf = new byte[65535];
    while (true) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        socket.send(new DatagramPacket(buf, in.getLength(), in.getSocketAddress()));
      } catch (Exception e) {
        return;
      }
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }
}
