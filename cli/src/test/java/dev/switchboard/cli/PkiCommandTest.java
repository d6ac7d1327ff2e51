package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Pem;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import dev.switchboard.pki.TlsMaterial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PkiCommandTest {
  @TempDir Path tmp;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = Switchboard.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private String dir() {
    return tmp.resolve("pki").toString();
  }

  @Test
  void initCreatesTheCaAndSaysWhere() throws Exception {
    assertThat(run("pki", "init", "--dir", dir())).isZero();

    Path ca = tmp.resolve("pki/ca.pem");
    Path key = tmp.resolve("pki/ca-key.pem");
    assertThat(out.toString()).contains(ca.toString()).contains(key.toString());
    assertThat(err.toString()).isEmpty();
    assertThat(Pem.readCertificates(ca)).hasSize(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void initRefusesAnExistingCa() throws Exception {
    run("pki", "init", "--dir", dir());
    String before = Files.readString(tmp.resolve("pki/ca.pem"));

    assertThat(run("pki", "init", "--dir", dir())).isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString()).startsWith("switchboard: a CA already exists in " + dir());
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(Files.readString(tmp.resolve("pki/ca.pem"))).isEqualTo(before);
  }

  @Test
  void issueBrokerWritesCertAndKeyThatLoadAsTlsMaterial() throws Exception {
    run("pki", "init", "--dir", dir());

    int code =
        run(
            "pki",
            "issue",
            "broker",
            "--name",
            "broker-us-1",
            "--dns",
            "broker-us-1.company.com",
            "--dns",
            "localhost",
            "--ip",
            "127.0.0.1",
            "--dir",
            dir(),
            "--days",
            "30");

    assertThat(code).as(err.toString()).isZero();
    Path cert = tmp.resolve("pki/broker-us-1.pem");
    Path key = tmp.resolve("pki/broker-us-1-key.pem");
    assertThat(out.toString())
        .contains("Issued broker certificate for broker-us-1")
        .contains(cert.toString())
        .contains(key.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    TlsMaterial m = TlsMaterial.load(tmp.resolve("pki/ca.pem"), cert, key);
    assertThat(m.role()).isEqualTo(Role.BROKER);
    X509Certificate c = m.certificate();
    assertThat(c.getSubjectAlternativeNames())
        .containsExactly(
            List.of(2, "broker-us-1.company.com"),
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"));
    Duration left = Duration.between(Instant.now(), c.getNotAfter().toInstant());
    assertThat(left).isBetween(Duration.ofDays(29), Duration.ofDays(30));
  }

  @Test
  void issueControllerAndTargetWithDefaultsAndOutDir() throws Exception {
    run("pki", "init", "--dir", dir());

    assertThat(run("pki", "issue", "controller", "--name", "alice", "--dir", dir())).isZero();
    assertThat(
            run(
                "pki",
                "issue",
                "TARGET",
                "--name",
                "t1",
                "--dir",
                dir(),
                "--out-dir",
                tmp.resolve("t1-creds").toString()))
        .isZero();

    X509Certificate alice = Pem.readCertificates(tmp.resolve("pki/alice.pem")).get(0);
    assertThat(Roles.roleOf(alice)).contains(Role.CONTROLLER);
    Duration left = Duration.between(Instant.now(), alice.getNotAfter().toInstant());
    assertThat(left).isBetween(Duration.ofDays(89), Duration.ofDays(90));
    X509Certificate t1 = Pem.readCertificates(tmp.resolve("t1-creds/t1.pem")).get(0);
    assertThat(Roles.roleOf(t1)).contains(Role.TARGET);
    assertThat(tmp.resolve("t1-creds/t1-key.pem")).exists();
    CertificateAuthority ca = CertificateAuthority.load(tmp.resolve("pki"));
    t1.verify(ca.certificate().getPublicKey());
  }

  @Test
  void issueRefusesToOverwrite() throws Exception {
    run("pki", "init", "--dir", dir());
    run("pki", "issue", "target", "--name", "t1", "--dir", dir());
    String before = Files.readString(tmp.resolve("pki/t1.pem"));

    assertThat(run("pki", "issue", "target", "--name", "t1", "--dir", dir()))
        .isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString())
        .startsWith(
            "switchboard: refusing to overwrite existing file " + tmp.resolve("pki/t1.pem"));
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(Files.readString(tmp.resolve("pki/t1.pem"))).isEqualTo(before);
  }

  @Test
  void unknownRoleIsAUsageError() {
    assertThat(run("pki", "issue", "admin", "--name", "x", "--dir", dir()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("unknown role 'admin' (expected broker, controller or target)");
  }

  @Test
  void badNameOrSanIsAUsageError() {
    run("pki", "init", "--dir", dir());

    assertThat(run("pki", "issue", "target", "--name", "a/b", "--dir", dir()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("invalid name 'a/b'");
    assertThat(run("pki", "issue", "broker", "--name", "b", "--ip", "nope", "--dir", dir()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("invalid IP address 'nope'");
    assertThat(run("pki", "issue", "broker", "--name", "b", "--days", "0", "--dir", dir()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(tmp.resolve("pki/b.pem")).doesNotExist();
  }

  @Test
  void issueWithoutCaExplainsHowToCreateOne() {
    assertThat(run("pki", "issue", "target", "--name", "t1", "--dir", dir()))
        .isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString())
        .startsWith("switchboard: no CA in " + dir())
        .contains("switchboard pki init --dir " + dir());
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void showPrintsNameRoleSansAndExpiry() {
    run("pki", "init", "--dir", dir());
    run(
        "pki",
        "issue",
        "broker",
        "--name",
        "b1",
        "--dns",
        "localhost",
        "--ip",
        "127.0.0.1",
        "--dir",
        dir());

    assertThat(run("pki", "show", tmp.resolve("pki/b1.pem").toString())).isZero();
    assertThat(out.toString())
        .contains("name:    b1")
        .contains("role:    broker")
        .contains("dns:     localhost")
        .contains("ip:      127.0.0.1")
        .contains("expires: ");
    assertThat(run("pki", "show", tmp.resolve("pki/ca.pem").toString())).isZero();
    assertThat(out.toString()).contains("name:    Switchboard Root CA").contains("role:    CA");
  }

  @Test
  void showOfAMissingFileIsAConfigError() {
    assertThat(run("pki", "show", tmp.resolve("nope.pem").toString())).isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString())
        .isEqualTo(
            "switchboard: file not found: " + tmp.resolve("nope.pem") + System.lineSeparator());
  }

  @Test
  void pkiWithoutSubcommandIsAUsageError() {
    assertThat(run("pki")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Missing subcommand");
  }
}
