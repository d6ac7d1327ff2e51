package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  @TempDir Path tmp;

  @Test
  void initWritesCaAndPrivateKey() throws Exception {
    Path dir = tmp.resolve("pki");
    CertificateAuthority ca = CertificateAuthority.init(dir);

    assertThat(ca.caFile()).isEqualTo(dir.resolve("ca.pem"));
    assertThat(Files.readString(dir.resolve("ca-key.pem")))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(Pem.readCertificates(dir.resolve("ca.pem"))).containsExactly(ca.certificate());
  }

  @Test
  void caCertificateIsASelfSignedP256RootValidForTenYears() throws Exception {
    X509Certificate c = CertificateAuthority.inMemory().certificate();

    c.verify(c.getPublicKey());
    assertThat(c.getSubjectX500Principal().getName())
        .isEqualTo("CN=Switchboard Root CA,O=Switchboard");
    assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(c.getPublicKey().toString()).contains("secp256r1");
    assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    boolean[] ku = c.getKeyUsage();
    assertThat(ku[5]).as("keyCertSign").isTrue();
    assertThat(ku[6]).as("cRLSign").isTrue();
    assertThat(ku[0]).as("digitalSignature").isFalse();
    Duration validity = Duration.between(Instant.now(), c.getNotAfter().toInstant());
    assertThat(validity).isBetween(Duration.ofDays(3650), Duration.ofDays(3654));
  }

  @Test
  void initRefusesAnExistingCa() throws Exception {
    CertificateAuthority.init(tmp);
    String before = Files.readString(tmp.resolve("ca.pem"));

    assertThatThrownBy(() -> CertificateAuthority.init(tmp))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(tmp.resolve("ca.pem").toString())
        .hasMessageContaining("a CA already exists");
    assertThat(Files.readString(tmp.resolve("ca.pem"))).isEqualTo(before);
  }

  @Test
  void loadRoundTripsAndIssuesVerifiableCertificates() throws Exception {
    CertificateAuthority created = CertificateAuthority.init(tmp);
    CertificateAuthority loaded = CertificateAuthority.load(tmp);

    assertThat(loaded.certificate()).isEqualTo(created.certificate());
    assertThat(loaded.caFile()).isEqualTo(tmp.resolve("ca.pem"));
    loaded.issue(Role.TARGET, "t1").certificate().verify(created.certificate().getPublicKey());
  }

  @Test
  void loadNamesTheMissingFile() {
    assertThatThrownBy(() -> CertificateAuthority.load(tmp.resolve("nowhere")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("ca.pem");
  }

  @Test
  void loadRejectsAKeyFromAnotherCa() throws Exception {
    CertificateAuthority.init(tmp.resolve("a"));
    CertificateAuthority.init(tmp.resolve("b"));
    Files.copy(
        tmp.resolve("b/ca-key.pem"),
        tmp.resolve("a/ca-key.pem"),
        StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> CertificateAuthority.load(tmp.resolve("a")))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("does not match the CA certificate");
  }

  @Test
  void inMemoryHasNoFile() {
    assertThat(CertificateAuthority.inMemory().caFile()).isNull();
  }
}
