package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.pki.internal.KeyPairs;
import dev.switchboard.pki.internal.RoleExtension;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class RolesTest {
  @Test
  void extensionAndOuAgreeing() throws Exception {
    assertThat(Roles.roleOf(cert("CN=a, OU=broker, O=Switchboard", "broker")))
        .contains(Role.BROKER);
  }

  @Test
  void extensionAloneIsEnough() throws Exception {
    assertThat(Roles.roleOf(cert("CN=a, O=Switchboard", "target"))).contains(Role.TARGET);
  }

  @Test
  void fallsBackToOu() throws Exception {
    assertThat(Roles.roleOf(cert("CN=a, OU=controller, O=Switchboard", null)))
        .contains(Role.CONTROLLER);
  }

  @Test
  void disagreementMeansNoRole() throws Exception {
    assertThat(Roles.roleOf(cert("CN=a, OU=broker, O=Switchboard", "target"))).isEmpty();
  }

  @Test
  void unknownOrMissingRoleMeansNoRole() throws Exception {
    assertThat(Roles.roleOf(cert("CN=a, OU=admin, O=Switchboard", null))).isEmpty();
    assertThat(Roles.roleOf(cert("CN=a, O=Switchboard", null))).isEmpty();
    assertThat(Roles.roleOf(cert("CN=a, O=Switchboard", "Broker"))).as("ids are exact").isEmpty();
  }

  @Test
  void malformedExtensionMeansNoRole() throws Exception {
    assertThat(Roles.roleOf(cert("CN=a, OU=broker, O=Switchboard", null, true))).isEmpty();
  }

  @Test
  void nameOfIsTheCommonName() throws Exception {
    assertThat(Roles.nameOf(cert("CN=broker-eu-2, OU=broker, O=Switchboard", null)))
        .isEqualTo("broker-eu-2");
    assertThat(Roles.nameOf(cert("O=Switchboard", null))).isEmpty();
  }

  private static X509Certificate cert(String subject, String roleExt) throws Exception {
    return cert(subject, roleExt, false);
  }

  /** A self-signed certificate with an arbitrary subject and role extension. */
  private static X509Certificate cert(String subject, String roleExt, boolean malformed)
      throws Exception {
    KeyPair keys = KeyPairs.generateP256(new SecureRandom());
    X500Principal name = new X500Principal(subject);
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(now),
            Date.from(now.plusSeconds(60)),
            name,
            keys.getPublic());
    if (roleExt != null) {
      b.addExtension(RoleExtension.OID, false, RoleExtension.encode(roleExt));
    }
    if (malformed) {
      b.addExtension(RoleExtension.OID, false, new DERIA5String("broker"));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }
}
