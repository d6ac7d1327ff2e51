package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the files against OpenSSL, the tool operators will inspect them with; skipped without it.
 */
class OpenSslInteropTest {
  @TempDir static Path tmp;
  private static CertificateAuthority ca;

  @BeforeAll
  static void setUp() throws IOException {
    assumeTrue(onPath("openssl"), "openssl is not on PATH");
    ca = CertificateAuthority.init(tmp.resolve("pki"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void opensslVerifiesEveryRole(Role role) throws Exception {
    Path cert = write(ca.issue(role, role.id() + "-1"));

    Result r = openssl("verify", "-CAfile", ca.caFile().toString(), cert.toString());
    assertThat(r.code).as(r.output).isZero();
    assertThat(r.output).contains(cert + ": OK");

    String purpose = role == Role.BROKER ? "sslserver" : "sslclient";
    Result p =
        openssl("verify", "-purpose", purpose, "-CAfile", ca.caFile().toString(), cert.toString());
    assertThat(p.code).as(p.output).isZero();

    Result text = openssl("x509", "-text", "-noout", "-in", cert.toString());
    assertThat(text.output).contains("OU = " + role.id()).contains("1.3.6.1.4.1.59999.1.1");
  }

  @Test
  void opensslShowsBrokerSansAndMatchesTheKey() throws Exception {
    IssuedCredential cred =
        ca.issue(
            Role.BROKER,
            "broker-us-1",
            List.of("broker-us-1.company.com", "localhost"),
            List.of("127.0.0.1"),
            Duration.ofDays(90));
    Path cert = write(cred);

    Result text = openssl("x509", "-text", "-noout", "-in", cert.toString());
    assertThat(text.output)
        .contains("CN = broker-us-1")
        .contains("DNS:broker-us-1.company.com, DNS:localhost, IP Address:127.0.0.1")
        .contains("TLS Web Server Authentication, TLS Web Client Authentication")
        .contains("ASN1 OID: prime256v1")
        .contains("ecdsa-with-SHA256")
        .doesNotContain("DirName"); // authorityKeyIdentifier is keyid only

    Result fromKey =
        openssl("pkey", "-in", tmp.resolve("broker-us-1-key.pem").toString(), "-pubout");
    Result fromCert = openssl("x509", "-in", cert.toString(), "-pubkey", "-noout");
    assertThat(fromKey.code).as(fromKey.output).isZero();
    assertThat(fromKey.output).isEqualTo(fromCert.output);
  }

  @Test
  void readsKeysConvertedToSec1ByOpenssl() throws Exception {
    IssuedCredential cred = ca.issue(Role.TARGET, "sec1");
    write(cred);
    Path sec1 = tmp.resolve("sec1-ec.pem");

    Result r =
        openssl("ec", "-in", tmp.resolve("sec1-key.pem").toString(), "-out", sec1.toString());
    assertThat(r.code).as(r.output).isZero();
    assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    ECPrivateKey read = (ECPrivateKey) Pem.readPrivateKey(sec1);
    assertThat(read.getS()).isEqualTo(((ECPrivateKey) cred.privateKey()).getS());
    assertThat(read.getParams().toString()).contains("secp256r1");
  }

  @Test
  void opensslRejectsACertificateFromAnotherCa() throws Exception {
    Path foreign = write(CertificateAuthority.inMemory().issue(Role.TARGET, "foreign"));

    Result r = openssl("verify", "-CAfile", ca.caFile().toString(), foreign.toString());
    assertThat(r.code).isNotZero();
  }

  @Test
  void opensslReadsTheRevocationListAndRefusesTheRevokedCertificate() throws Exception {
    IssuedCredential revoked = ca.issue(Role.CONTROLLER, "revoked-ctl");
    Path cert = write(revoked);
    Path kept = write(ca.issue(Role.CONTROLLER, "kept-ctl"));
    Path crl = ca.revoke(revoked.certificate().getSerialNumber(), 1);

    Result text = openssl("crl", "-in", crl.toString(), "-noout", "-text");
    assertThat(text.code).as(text.output).isZero();
    assertThat(text.output.toUpperCase(java.util.Locale.ROOT))
        .contains(
            revoked.certificate().getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT))
        .contains("KEY COMPROMISE");
    Result refused =
        openssl(
            "verify",
            "-crl_check",
            "-CAfile",
            ca.caFile().toString(),
            "-CRLfile",
            crl.toString(),
            cert.toString());
    assertThat(refused.code).isNotZero();
    assertThat(refused.output).contains("revoked");
    Result ok =
        openssl(
            "verify",
            "-crl_check",
            "-CAfile",
            ca.caFile().toString(),
            "-CRLfile",
            crl.toString(),
            kept.toString());
    assertThat(ok.code).as(ok.output).isZero();
  }

  private static Path write(IssuedCredential cred) throws IOException {
    Path cert = tmp.resolve(cred.name() + ".pem");
    cred.writeTo(cert, tmp.resolve(cred.name() + "-key.pem"));
    return cert;
  }

  private record Result(int code, String output) {}

  private static Result openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
