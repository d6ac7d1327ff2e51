package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Pem;
import dev.switchboard.pki.Revocations;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PkiRevokeRenewCommandTest {
  @TempDir Path tmp;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();
  private Path dir;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = Switchboard.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @BeforeEach
  void ca() {
    dir = tmp.resolve("pki");
    assertThat(run("pki", "init", "--dir", dir.toString())).isZero();
  }

  private X509Certificate cert(String name) throws Exception {
    return Pem.readCertificates(dir.resolve(name + ".pem")).get(0);
  }

  private Revocations crl() throws Exception {
    CertificateAuthority ca = CertificateAuthority.load(dir);
    return Revocations.load(dir.resolve("crl.pem"), List.of(ca.certificate()));
  }

  @Test
  void revokeByFileAndBySerialListsBothInTheSignedList() throws Exception {
    run("pki", "issue", "controller", "--name", "alice", "--dir", dir.toString());
    run("pki", "issue", "controller", "--name", "bob", "--dir", dir.toString());
    run("pki", "issue", "target", "--name", "t1", "--dir", dir.toString());

    String alice = dir.resolve("alice.pem").toString();
    assertThat(run("pki", "revoke", "--dir", dir.toString(), "--reason", "key-compromise", alice))
        .isZero();
    assertThat(out.toString()).contains("Revoked alice").contains("crl.pem (1 revoked)");
    String bobSerial = cert("bob").getSerialNumber().toString(16);
    assertThat(run("pki", "revoke", "--dir", dir.toString(), "--serial", bobSerial)).isZero();

    assertThat(crl().isRevoked(cert("alice"))).isTrue();
    assertThat(crl().isRevoked(cert("bob"))).isTrue();
    assertThat(crl().isRevoked(cert("t1"))).isFalse();
  }

  @Test
  void revokeRefusesAForeignCertificateMissingFilesAndBadArguments() throws Exception {
    CertificateAuthority other = CertificateAuthority.init(tmp.resolve("other"));
    other.issue(Role.CONTROLLER, "eve").writeTo(tmp.resolve("eve.pem"), tmp.resolve("eve-key.pem"));

    assertThat(run("pki", "revoke", "--dir", dir.toString(), tmp.resolve("eve.pem").toString()))
        .isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString()).contains("was not issued by the CA in");
    assertThat(run("pki", "revoke", "--dir", dir.toString(), tmp.resolve("nope.pem").toString()))
        .isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString()).contains("file not found");
    assertThat(run("pki", "revoke", "--dir", dir.toString(), "--serial", "xyz"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("pki", "revoke", "--dir", dir.toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(run("pki", "revoke", "--dir", dir.toString(), "--serial", "1f", "--reason", "bored"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(dir.resolve("crl.pem")).doesNotExist();
  }

  @Test
  void renewKeepsNameRoleAndSansWithANewKeyAndValidity() throws Exception {
    run(
        "pki",
        "issue",
        "broker",
        "--name",
        "b1",
        "--dns",
        "b1.example",
        "--ip",
        "127.0.0.1",
        "--days",
        "3",
        "--dir",
        dir.toString());
    X509Certificate before = cert("b1");
    Instant oldExpiry = before.getNotAfter().toInstant();

    assertThat(run("pki", "renew", "--dir", dir.toString(), "b1")).isZero();

    X509Certificate after = cert("b1");
    assertThat(out.toString()).contains("Renewed broker certificate for b1");
    assertThat(Roles.roleOf(after)).contains(Role.BROKER);
    assertThat(Roles.nameOf(after)).isEqualTo("b1");
    assertThat(after.getSubjectAlternativeNames())
        .containsExactlyElementsOf(before.getSubjectAlternativeNames());
    assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
    assertThat(after.getPublicKey()).isNotEqualTo(before.getPublicKey());
    assertThat(Duration.between(oldExpiry, after.getNotAfter().toInstant()))
        .isGreaterThan(Duration.ofDays(360));
    assertThat(CertificateAuthority.load(dir).certificate()).isNotNull();
    dev.switchboard.pki.TlsMaterial.load(
        dir.resolve("ca.pem"), dir.resolve("b1.pem"), dir.resolve("b1-key.pem"));
  }

  @Test
  void renewOfAMissingCertificateExitsThree() {
    assertThat(run("pki", "renew", "--dir", dir.toString(), "ghost")).isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString()).contains("file not found").contains("ghost.pem");
  }
}
