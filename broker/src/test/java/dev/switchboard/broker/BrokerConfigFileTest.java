package dev.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake in a broker config file is reported with the file, the field and the reason. */
class BrokerConfigFileTest {
  private static final String BASE =
      String.join(
          "\n",
          "id: b1",
          "listen: {client: 127.0.0.1:7443, admin: 127.0.0.1:7480}",
          "tls: {ca: ca.pem, cert: b1.pem, key: b1-key.pem}",
          "");

  @TempDir Path dir;

  @Test
  void theExampleLoadsWithItsValues() throws Exception {
    BrokerConfig c = BrokerConfigFile.load(Path.of("..", "examples", "broker.yaml"));
    assertThat(c.id()).isEqualTo("broker-us-1");
    assertThat(c.codeTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.controlTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.failedJoinsPerAddressPerMinute()).isEqualTo(10);
    assertThat(c.failedJoinsPerCertificatePerMinute()).isEqualTo(10);
    assertThat(c.joinsInFlightPerSource()).isEqualTo(8);
    assertThat(c.caFile())
        .isEqualTo(Path.of("..", "examples").toAbsolutePath().resolve("pki/ca.pem"));
  }

  @Test
  void defaultsAndAMeshWithRegistration() throws Exception {
    Path f =
        write(
            BASE.replace(
                    "admin: 127.0.0.1:7480}", "admin: 127.0.0.1:7480," + " mesh: 127.0.0.1:7444}")
                + "peers: [{id: b2, hostname: b2.example, client: b2.example:7443, mesh: b2.example:7444}]\n"
                + "register: {admin: 127.0.0.1:9100, pools: [region], ttl: 2s}\n");
    BrokerConfig c = BrokerConfigFile.load(f);
    assertThat(c.hostname()).isEqualTo("localhost");
    assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.peers()).singleElement().satisfies(p -> assertThat(p.id()).isEqualTo("b2"));
    assertThat(c.registration().ttl()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.registration().ip()).isEqualTo("127.0.0.1");
    assertThat(c.registration().tokenFile())
        .isEqualTo(dir.toAbsolutePath().resolve("lb-admin.token"));
    assertThat(c.caFile()).isEqualTo(dir.toAbsolutePath().resolve("ca.pem"));
  }

  @Test
  void backupPoolsAreOptionalAndKeptApartFromThePools() throws Exception {
    BrokerConfig without =
        BrokerConfigFile.load(write(BASE + "register: {admin: 127.0.0.1:9100, pools: [b-b1]}\n"));
    assertThat(without.registration().backupPools()).isEmpty();
    BrokerConfig with =
        BrokerConfigFile.load(
            write(
                BASE
                    + "register: {admin: 127.0.0.1:9100, pools: [b-b1, region],"
                    + " backupPools: [b-b2]}\n"));
    assertThat(with.registration().pools()).containsExactly("b-b1", "region");
    assertThat(with.registration().backupPools()).containsExactly("b-b2");
  }

  @Test
  void theAdminListenerDefaultsToLoopbackWithATokenBesideTheFile() throws Exception {
    Path f =
        write(
            "id: b1\nlisten: {client: 127.0.0.1:7443}\ntls: {ca: ca.pem, cert: c.pem, key: k.pem}\n");
    BrokerConfig c = BrokerConfigFile.load(f);
    assertThat(c.adminListen().toString()).isEqualTo("127.0.0.1:7480");
    assertThat(c.admin().tokenFile()).isEqualTo(dir.toAbsolutePath().resolve("admin.token"));
    assertThat(c.admin().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.admin().maxConnections()).isEqualTo(64);
    assertThat(c.admin().maxConnectionsPerSource()).isEqualTo(8);
  }

  @Test
  void theRevocationListIsOptionalAndRelativeToTheFile() throws Exception {
    BrokerConfig without =
        BrokerConfigFile.load(
            write(
                "id: b1\nlisten: {client: 127.0.0.1:7443}\n"
                    + "tls: {ca: ca.pem, cert: c.pem, key: k.pem}\n"));
    BrokerConfig with =
        BrokerConfigFile.load(
            write(
                "id: b1\nlisten: {client: 127.0.0.1:7443}\n"
                    + "tls: {ca: ca.pem, cert: c.pem, key: k.pem, crl: pki/crl.pem}\n"));
    assertThat(without.crlFile()).isNull();
    assertThat(with.crlFile()).isEqualTo(dir.toAbsolutePath().resolve("pki/crl.pem"));
  }

  @Test
  void adminTokenFileTimeoutAndCapAreRead() throws Exception {
    Path f =
        write(
            BASE
                + "admin: {tokenFile: secrets/admin.token, maxConnections: 8,"
                + " maxConnectionsPerSource: 3}\n"
                + "timeouts: {adminRequest: 3s}\n");
    BrokerConfig c = BrokerConfigFile.load(f);
    assertThat(c.admin().tokenFile())
        .isEqualTo(dir.toAbsolutePath().resolve("secrets/admin.token"));
    assertThat(c.admin().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.admin().maxConnections()).isEqualTo(8);
    assertThat(c.admin().maxConnectionsPerSource()).isEqualTo(3);
    Path zero = write(BASE + "admin: {maxConnections: 0}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(zero))
        .hasMessage(zero + ": admin.maxConnections: must be 1-10000, got 0");
  }

  @Test
  void aWrongTypeIsNotReadAsADefault() throws Exception {
    Path f = write(BASE + "codes: {failedJoinsPerAddressPerMinute: ten}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            f
                + ": codes.failedJoinsPerAddressPerMinute: expected an integer,"
                + " got the string \"ten\"");
  }

  @Test
  void proxyProtocolNeedsTrustedProxiesWrittenAsAddressBlocks() throws Exception {
    Path f = write(BASE + "proxyProtocol: true\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .hasMessageStartingWith(f + ": trustedProxies: proxyProtocol: true needs the addresses");
    Path g = write(BASE + "proxyProtocol: true\ntrustedProxies: [10.0.1.4/32, lb.example.com]\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(g))
        .hasMessageContaining("trustedProxies[1]")
        .hasMessageContaining("not an address block");
    Path h = write(BASE + "proxyProtocol: true\ntrustedProxies: [10.0.1.0/24]\n");
    BrokerConfig c = BrokerConfigFile.load(h);
    assertThat(c.proxyProtocol()).isTrue();
    assertThat(c.trustedProxies()).extracting(Object::toString).containsExactly("10.0.1.0/24");
  }

  @Test
  void joinLimitsPerCertificateAndInFlightLoadWithinTheirBounds() throws Exception {
    BrokerConfig c =
        BrokerConfigFile.load(
            write(
                BASE
                    + "codes: {failedJoinsPerCertificatePerMinute: 4, joinsInFlightPerSource: 2}"));
    assertThat(c.failedJoinsPerCertificatePerMinute()).isEqualTo(4);
    assertThat(c.joinsInFlightPerSource()).isEqualTo(2);
    assertThat(c.failedJoinsPerAddressPerMinute()).as("default").isEqualTo(10);
    Path f = write(BASE + "codes: {joinsInFlightPerSource: 0}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .hasMessage(f + ": codes.joinsInFlightPerSource: must be 1-10000, got 0");
  }

  @Test
  void theAuditLogIsOffUnlessAFileIsNamedAndItsBoundsAreChecked() throws Exception {
    assertThat(BrokerConfigFile.load(write(BASE)).audit()).isNull();
    BrokerConfig c =
        BrokerConfigFile.load(write(BASE + "audit: {file: logs/sessions.jsonl, keep: 3}\n"));
    assertThat(c.audit().file()).isEqualTo(dir.toAbsolutePath().resolve("logs/sessions.jsonl"));
    assertThat(c.audit().keep()).isEqualTo(3);
    assertThat(c.audit().maxBytes()).as("default").isEqualTo(64L * 1024 * 1024);
    assertThat(c.audit().queueSize()).as("default").isEqualTo(10_000);
    Path f = write(BASE + "audit: {file: a.jsonl, maxBytes: 100}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .hasMessage(f + ": audit.maxBytes: must be 1024-1099511627776, got 100");
    Path g = write(BASE + "audit: {keep: 2}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(g))
        .hasMessage(g + ": audit.file: required field is missing");
  }

  @Test
  void anUnknownKeyIsRefused() throws Exception {
    Path f = write(BASE + "timeouts: {handshake: 10s, idel: 5m}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .hasMessage(
            f
                + ": timeouts.idel: unknown field; expected one of [adminRequest, control, handshake, idle, resumeWindow]");
  }

  @Test
  void anOutOfRangeDurationNamesItsBound() throws Exception {
    Path f = write(BASE + "timeouts: {handshake: 3000000s}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .hasMessage(f + ": timeouts.handshake: must be at most 10m, got 3000000s");
    Path g = write(BASE + "timeouts: {idle: 300}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(g))
        .hasMessage(g + ": timeouts.idle: a duration needs a unit: write 300s or 300ms, not 300");
  }

  @Test
  void aMissingRequiredField() throws Exception {
    Path f = write(BASE.replace("cert: b1.pem, ", ""));
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .hasMessage(f + ": tls.cert: required field is missing");
    Path g = write(BASE + "register: {admin: 127.0.0.1:9100, pools: []}\n");
    assertThatThrownBy(() -> BrokerConfigFile.load(g))
        .hasMessage(g + ": register.pools: lists no pool");
  }

  @Test
  void aBadAddressNamesTheField() throws Exception {
    Path f = write(BASE.replace("client: 127.0.0.1:7443", "client: 127.0.0.1"));
    assertThatThrownBy(() -> BrokerConfigFile.load(f))
        .hasMessage(f + ": listen.client: address '127.0.0.1' is not HOST:PORT");
  }

  private Path write(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "broker", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }
}
