package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir Path tmp;
  private final CertificateAuthority ca = CertificateAuthority.inMemory();

  @Test
  void certificateAndKeyRoundTrip() throws Exception {
    IssuedCredential cred = ca.issue(Role.CONTROLLER, "alice");
    Path cert = tmp.resolve("alice.pem");
    Path key = tmp.resolve("alice-key.pem");
    Files.writeString(cert, Pem.toPem(cred.certificate()));
    Files.writeString(key, Pem.toPem(cred.privateKey()));

    assertThat(Pem.readCertificates(cert)).containsExactly(cred.certificate());
    PrivateKey read = Pem.readPrivateKey(key);
    assertThat(read.getEncoded()).isEqualTo(cred.privateKey().getEncoded());
    assertThat(Pem.toPem(cred.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Pem.toPem(cred.certificate()))
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("\n-----END CERTIFICATE-----\n");
    assertThat(Pem.toPem(cred.certificate()).lines()).allMatch(l -> l.length() <= 64);
  }

  @Test
  void writeToWritesLeafOnlyAndAPrivateKeyFile() throws Exception {
    IssuedCredential cred = ca.issue(Role.TARGET, "t1");
    Path cert = tmp.resolve("out/t1.pem");
    Path key = tmp.resolve("out/t1-key.pem");
    cred.writeTo(cert, key);

    assertThat(Pem.readCertificates(cert)).containsExactly(cred.certificate());
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
        .isEqualTo("rw-r--r--");
    assertThat(Files.list(tmp.resolve("out"))).hasSize(2); // no temporary files left behind
  }

  @Test
  void readsSec1EcKeysAndSkipsOtherBlocks() throws Exception {
    IssuedCredential cred = ca.issue(Role.TARGET, "t1");
    // SEC1 as OpenSSL writes it: the curve inside the ECPrivateKey structure.
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(cred.privateKey().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey withCurve =
        new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
    StringWriter sec1 = new StringWriter();
    try (PemWriter w = new PemWriter(sec1)) {
      w.writeObject(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
    }
    assertThat(sec1.toString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    Path file = tmp.resolve("combined.pem");
    Files.writeString(file, Pem.toPem(cred.certificate()) + sec1);

    java.security.interfaces.ECPrivateKey read =
        (java.security.interfaces.ECPrivateKey) Pem.readPrivateKey(file);
    assertThat(read.getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) cred.privateKey()).getS());
    assertThat(read.getParams().toString()).contains("secp256r1");
    assertThat(Pem.readCertificates(file)).containsExactly(cred.certificate());
  }

  @Test
  void readsChainsInOrder() throws Exception {
    X509Certificate leaf = ca.issue(Role.BROKER, "b").certificate();
    Path file = tmp.resolve("chain.pem");
    Files.writeString(file, Pem.toPem(leaf) + Pem.toPem(ca.certificate()));

    assertThat(Pem.readCertificates(file)).containsExactly(leaf, ca.certificate());
  }

  @Test
  void errorsNameTheFile() throws Exception {
    Path garbage = tmp.resolve("garbage.pem");
    Files.writeString(garbage, "hello\n");
    Path broken = tmp.resolve("broken.pem");
    Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> Pem.readCertificates(garbage))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("no certificate in " + garbage);
    assertThatThrownBy(() -> Pem.readPrivateKey(garbage))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("no private key in " + garbage);
    assertThatThrownBy(() -> Pem.readCertificates(broken))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("cannot read certificates from " + broken);
    assertThatThrownBy(() -> Pem.readCertificates(tmp.resolve("missing.pem")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing.pem");
  }
}
