package dev.switchboard.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.testkit.TestPki;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the units' ExecReload and KillSignal do, on the processes themselves (systemd is not PID 1
 * here): SIGHUP reloads, SIGTERM drains or stops.
 */
class SignalsIT {
  @TempDir Path dir;

  @Test
  void lbRunReloadsItsFileOnSighupAndKeepsItWhenTheFileIsBad() throws Exception {
    try (ServerSocket echo = echoServer()) {
      int newPort = freePort(); // for the rule the reload adds
      Path cfg = dir.resolve("lb.yaml");
      Files.writeString(
          cfg,
          lbConfig(
              echo.getLocalPort(),
              "  - {name: a, frontend: fe, frontendPort: 0, protocol: tcp, pool: p, backendPort: BACKEND}\n"));
      try (Proc lb = Proc.switchboard("lb", "run", "--config", cfg.toString())) {
        lb.awaitOut("lb: rule a tcp 127.0.0.1:\\d+");
        Files.writeString(
            cfg,
            lbConfig(
                echo.getLocalPort(),
                "  - {name: a, frontend: fe, frontendPort: 0, protocol: tcp, pool: p, backendPort: BACKEND}\n"
                    + "  - {name: b, frontend: fe, frontendPort: "
                    + newPort
                    + ", protocol: tcp, pool: p, backendPort: BACKEND}\n"));
        lb.signal("HUP");
        lb.awaitOut("lb: reloaded " + Pattern.quote(cfg.toString()) + ": 2 rules, 1 pools");
        assertThat(echoThrough(newPort, "after reload")).isEqualTo("after reload");

        Files.writeString(cfg, "rules: [{name: b, frontendPort: ten}]\n");
        lb.signal("HUP");
        lb.awaitErr("lb: reload of " + cfg + " failed, the running config is kept: ");
        assertThat(lb.process().isAlive()).isTrue();
        assertThat(echoThrough(newPort, "still there")).isEqualTo("still there");

        lb.process().destroy(); // SIGTERM: the shutdown hook closes the lb
        assertThat(lb.awaitExit()).as("128 + SIGTERM, the unit's SuccessExitStatus").isEqualTo(143);
      }
    }
  }

  @Test
  void brokerServesARenewedCertificateAfterSighupAndDrainsOnSigterm() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path cfg = Brokers.config(pki, "broker-sig-1", dir);
    try (Proc b =
        Proc.switchboard("broker", "--config", cfg.toString(), "--drain-deadline", "5s")) {
      Matcher m =
          b.awaitOut(
              "clients 127\\.0\\.0\\.1:(\\d+) \\(mTLS\\), admin http://127\\.0\\.0\\.1:(\\d+)/");
      int port = Integer.parseInt(m.group(1));
      int admin = Integer.parseInt(m.group(2));
      BigInteger first = servedSerial(port);

      BigInteger renewed = pki.broker("broker-sig-1").certificate().getSerialNumber();
      b.signal("HUP");
      await().atMost(Duration.ofSeconds(30)).until(() -> servedSerial(port).equals(renewed));
      assertThat(renewed).isNotEqualTo(first);
      assertThat(b.process().isAlive()).as("SIGHUP must not stop the broker").isTrue();

      Files.writeString(pki.certFile("broker-sig-1"), "not a certificate\n");
      b.signal("HUP");
      b.awaitErr("broker: certificate reload failed, the running one is kept: ");
      assertThat(servedSerial(port)).isEqualTo(renewed);

      Session[] s = Brokers.session(pki, "broker-sig-1", port);
      b.process().destroy(); // SIGTERM: drain
      await().atMost(Duration.ofSeconds(30)).until(() -> Brokers.healthz(admin) == 503);
      assertThat(Brokers.exchange(s[0], s[1], "while draining"))
          .isEqualTo("while draining|while draining");
      assertThat(b.awaitExit()).as("128 + SIGTERM, the unit's SuccessExitStatus").isEqualTo(143);
      // BROKER_SHUTDOWN, or PEER_LOST when the process exits before that frame is flushed.
      assertThatThrownBy(() -> s[0].input().read()).isInstanceOf(RefusedException.class);
    }
  }

  private static String lbConfig(int backendPort, String rules) {
    return ("admin: {address: 127.0.0.1, port: 0}\n"
            + "frontends:\n  - {name: fe, ip: 127.0.0.1}\n"
            + "pools:\n  - name: p\n    backends:\n      - {ip: 127.0.0.1, name: echo}\n"
            + "rules:\n"
            + rules)
        .replace("BACKEND", Integer.toString(backendPort));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static ServerSocket echoServer() throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                  c.getInputStream().transferTo(c.getOutputStream());
                } catch (IOException e) {
                  // closed
                }
              }
            },
            "echo");
    t.setDaemon(true);
    t.start();
    return s;
  }

  private static String echoThrough(int port, String text) throws IOException {
    try (Socket c = new Socket()) {
      c.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      c.setSoTimeout(10_000);
      c.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      c.shutdownOutput();
      return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The serial of the certificate the broker presents (TLS 1.3: seen before our own is asked). */
  private static BigInteger servedSerial(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(null, new TrustManager[] {new TrustAll()}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  /** Accepts any server: the test reads the certificate, it does not trust it. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
