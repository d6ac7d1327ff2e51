package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
  @TempDir Path tmp;

  @Test
  void loadsFilesWrittenByTheCa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(tmp);
    IssuedCredential cred = ca.issue(Role.BROKER, "b1");
    cred.writeTo(tmp.resolve("b1.pem"), tmp.resolve("b1-key.pem"));

    TlsMaterial m = TlsMaterial.load(ca.caFile(), tmp.resolve("b1.pem"), tmp.resolve("b1-key.pem"));

    assertThat(m.caCertificate()).isEqualTo(ca.certificate());
    assertThat(m.certificate()).isEqualTo(cred.certificate());
    assertThat(m.privateKey().getEncoded()).isEqualTo(cred.privateKey().getEncoded());
    assertThat(m.role()).isEqualTo(Role.BROKER);
  }

  @Test
  void managersHoldTheKeyAndTrustOnlyTheCa() {
    CertificateAuthority ca = CertificateAuthority.inMemory();
    TlsMaterial m = TlsMaterial.of(ca.certificate(), ca.issue(Role.CONTROLLER, "alice"));

    X509KeyManager km = (X509KeyManager) m.keyManagerFactory().getKeyManagers()[0];
    String alias = km.getClientAliases("EC", null)[0];
    assertThat(km.getCertificateChain(alias)).containsExactly(m.certificate());
    X509TrustManager tm = (X509TrustManager) m.trustManagerFactory().getTrustManagers()[0];
    assertThat(tm.getAcceptedIssuers()).containsExactly(ca.certificate());
    assertThat(m.role()).isEqualTo(Role.CONTROLLER);
  }

  @Test
  void aBundleOfTwoRootsTrustsCertificatesFromEither() throws Exception {
    CertificateAuthority oldCa = CertificateAuthority.init(tmp.resolve("old"));
    CertificateAuthority newCa = CertificateAuthority.init(tmp.resolve("new"));
    Path bundle = tmp.resolve("bundle.pem");
    Files.writeString(bundle, Files.readString(oldCa.caFile()) + Files.readString(newCa.caFile()));
    newCa.issue(Role.BROKER, "b1").writeTo(tmp.resolve("b1.pem"), tmp.resolve("b1-key.pem"));

    TlsMaterial m = TlsMaterial.load(bundle, tmp.resolve("b1.pem"), tmp.resolve("b1-key.pem"));

    assertThat(m.caCertificates()).containsExactly(oldCa.certificate(), newCa.certificate());
    X509TrustManager tm = (X509TrustManager) m.trustManagerFactory().getTrustManagers()[0];
    assertThat(tm.getAcceptedIssuers())
        .containsExactlyInAnyOrder(oldCa.certificate(), newCa.certificate());
    tm.checkClientTrusted(
        new java.security.cert.X509Certificate[] {oldCa.issue(Role.CONTROLLER, "a").certificate()},
        "EC");
    tm.checkClientTrusted(
        new java.security.cert.X509Certificate[] {newCa.issue(Role.CONTROLLER, "b").certificate()},
        "EC");
  }

  @Test
  void rejectsAKeyThatDoesNotMatchTheCertificate() throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(tmp);
    ca.issue(Role.TARGET, "t1").writeTo(tmp.resolve("t1.pem"), tmp.resolve("t1-key.pem"));
    ca.issue(Role.TARGET, "t2").writeTo(tmp.resolve("t2.pem"), tmp.resolve("t2-key.pem"));

    assertThatThrownBy(
            () -> TlsMaterial.load(ca.caFile(), tmp.resolve("t1.pem"), tmp.resolve("t2-key.pem")))
        .isInstanceOf(CredentialException.class)
        .hasMessage(
            "the private key in "
                + tmp.resolve("t2-key.pem")
                + " does not match the certificate in "
                + tmp.resolve("t1.pem"));
  }

  @Test
  void rejectsACertificateFromAnotherCa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(tmp.resolve("ca"));
    CertificateAuthority.inMemory()
        .issue(Role.TARGET, "t1")
        .writeTo(tmp.resolve("t1.pem"), tmp.resolve("t1-key.pem"));

    assertThatThrownBy(
            () -> TlsMaterial.load(ca.caFile(), tmp.resolve("t1.pem"), tmp.resolve("t1-key.pem")))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("was not issued by the CA in " + ca.caFile());
  }

  @Test
  void namesTheMissingOrBrokenFile() throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(tmp);
    ca.issue(Role.TARGET, "t1").writeTo(tmp.resolve("t1.pem"), tmp.resolve("t1-key.pem"));
    Files.writeString(tmp.resolve("empty.pem"), "");

    assertThatThrownBy(
            () -> TlsMaterial.load(ca.caFile(), tmp.resolve("nope.pem"), tmp.resolve("t1-key.pem")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("nope.pem");
    assertThatThrownBy(
            () -> TlsMaterial.load(ca.caFile(), tmp.resolve("t1.pem"), tmp.resolve("empty.pem")))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining(tmp.resolve("empty.pem").toString());
  }

  @Test
  void rejectsACertificateWithoutRole() throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(tmp);
    // The CA's own certificate is signed by the CA but carries no role.
    Files.writeString(tmp.resolve("ca-key-copy.pem"), Files.readString(tmp.resolve("ca-key.pem")));

    assertThatThrownBy(
            () -> TlsMaterial.load(ca.caFile(), ca.caFile(), tmp.resolve("ca-key-copy.pem")))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("has no Switchboard role");
  }
}
