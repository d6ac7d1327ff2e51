package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationsTest {
  @TempDir Path tmp;

  @Test
  void revokeAppendsSerialsAndTheListAnswersForEachCertificate() throws IOException {
    CertificateAuthority ca = CertificateAuthority.init(tmp.resolve("pki"));
    X509Certificate a = ca.issue(Role.CONTROLLER, "a").certificate();
    X509Certificate b = ca.issue(Role.CONTROLLER, "b").certificate();
    X509Certificate c = ca.issue(Role.TARGET, "c").certificate();

    ca.revoke(a.getSerialNumber(), 0);
    Path file = ca.revoke(b.getSerialNumber(), 1);

    Revocations r = Revocations.load(file, List.of(ca.certificate()));
    assertThat(file).isEqualTo(tmp.resolve("pki").resolve("crl.pem"));
    assertThat(r.isRevoked(a)).isTrue();
    assertThat(r.isRevoked(b)).isTrue();
    assertThat(r.isRevoked(c)).isFalse();
    assertThat(r.size()).isEqualTo(2);
    assertThat(r.crl().getNextUpdate()).isAfter(r.crl().getThisUpdate());
  }

  @Test
  void aListSignedByAnotherCaIsRefusedNamingTheFile() throws IOException {
    CertificateAuthority ours = CertificateAuthority.init(tmp.resolve("ours"));
    CertificateAuthority other = CertificateAuthority.init(tmp.resolve("other"));
    Path foreign =
        other.revoke(other.issue(Role.CONTROLLER, "x").certificate().getSerialNumber(), 0);

    assertThatThrownBy(() -> Revocations.load(foreign, List.of(ours.certificate())))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining(foreign.toString())
        .hasMessageContaining("not signed by the CA");
    // and revoking with our CA must not adopt the foreign list
    Files.copy(foreign, ours.crlFile());
    assertThatThrownBy(() -> ours.revoke(java.math.BigInteger.TEN, 0))
        .isInstanceOf(CredentialException.class);
  }

  @Test
  void aFileWithoutAListIsRefused() throws IOException {
    CertificateAuthority ca = CertificateAuthority.init(tmp.resolve("pki"));
    assertThatThrownBy(() -> Revocations.load(ca.caFile(), List.of(ca.certificate())))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("no revocation list in " + ca.caFile());
  }
}
