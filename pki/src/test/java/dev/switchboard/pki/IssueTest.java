package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IssueTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final CertificateAuthority ca = CertificateAuthority.inMemory();

  @ParameterizedTest
  @EnumSource(Role.class)
  void issuedCertificateVerifiesAndCarriesItsRole(Role role) throws Exception {
    IssuedCredential cred = ca.issue(role, "node-1");
    X509Certificate c = cred.certificate();

    c.verify(ca.certificate().getPublicKey());
    assertThat(cred.role()).isEqualTo(role);
    assertThat(cred.name()).isEqualTo("node-1");
    assertThat(Roles.roleOf(c)).contains(role);
    assertThat(Roles.nameOf(c)).isEqualTo("node-1");
    assertThat(c.getSubjectX500Principal().getName())
        .isEqualTo("CN=node-1,OU=" + role.id() + ",O=Switchboard");
    assertThat(c.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(c.getNonCriticalExtensionOIDs()).contains(Roles.ROLE_EXTENSION_OID);
  }

  @Test
  void certificateFromAnotherCaDoesNotVerify() {
    X509Certificate foreign = CertificateAuthority.inMemory().issue(Role.BROKER, "b").certificate();

    assertThatThrownBy(() -> foreign.verify(ca.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void brokerCertificateIsForServerAndClientWithSans() throws Exception {
    X509Certificate c =
        ca.issue(
                Role.BROKER,
                "broker-us-1",
                List.of("broker-us-1.company.com", "localhost"),
                List.of("127.0.0.1", "::1"),
                Duration.ofDays(30))
            .certificate();

    assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(c.getSubjectAlternativeNames())
        .containsExactly(
            List.of(2, "broker-us-1.company.com"),
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1"));
  }

  @ParameterizedTest
  @EnumSource(
      value = Role.class,
      names = {"CONTROLLER", "TARGET"})
  void clientCertificatesAreForClientAuthOnly(Role role) throws Exception {
    X509Certificate c = ca.issue(role, "alice").certificate();

    assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(c.getSubjectAlternativeNames()).isNull();
  }

  @Test
  void everyLeafHasTheRequiredExtensionsAndSerial() {
    X509Certificate c = ca.issue(Role.TARGET, "t1").certificate();

    assertThat(c.getBasicConstraints()).isEqualTo(-1);
    assertThat(c.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(c.getKeyUsage()[5]).as("keyCertSign").isFalse();
    assertThat(c.getExtensionValue("2.5.29.35")).as("authorityKeyIdentifier").isNotNull();
    assertThat(c.getExtensionValue("2.5.29.14")).as("subjectKeyIdentifier").isNotNull();
    assertThat(c.getSerialNumber().signum()).isPositive();
    assertThat(c.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void serialsDiffer() {
    assertThat(ca.issue(Role.TARGET, "a").certificate().getSerialNumber())
        .isNotEqualTo(ca.issue(Role.TARGET, "a").certificate().getSerialNumber());
  }

  @Test
  void validityStartsFiveMinutesEarlyAndDefaultsTo90DaysForClientsAndAYearForBrokers() {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    CertificateAuthority fixed = ca.withClock(Clock.fixed(now, ZoneOffset.UTC));

    X509Certificate c = fixed.issue(Role.CONTROLLER, "alice").certificate();

    assertThat(c.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(5)));
    assertThat(c.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(90)));
    X509Certificate b = fixed.issue(Role.BROKER, "b1").certificate();
    assertThat(b.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(365)));
  }

  @Test
  void validityIsCappedAtTheCaExpiry() {
    X509Certificate c =
        ca.issue(Role.TARGET, "t", List.of(), List.of(), Duration.ofDays(365 * 50)).certificate();

    assertThat(c.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "a/b", "émile", "x,OU=broker"})
  void invalidNamesAreRejected(String name) {
    assertThatThrownBy(() -> ca.issue(Role.TARGET, name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid name '" + name + "'");
  }

  @Test
  void nameLengthIsLimitedTo64() {
    assertThat(ca.issue(Role.TARGET, "a".repeat(64)).name()).hasSize(64);
    assertThatThrownBy(() -> ca.issue(Role.TARGET, "a".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidSansAndValidityAreRejected() {
    Duration d = Duration.ofDays(1);
    assertThatThrownBy(() -> ca.issue(Role.BROKER, "b", List.of("bad host"), List.of(), d))
        .hasMessage("invalid DNS name 'bad host'");
    assertThatThrownBy(() -> ca.issue(Role.BROKER, "b", List.of(), List.of("example.com"), d))
        .hasMessage("invalid IP address 'example.com'");
    assertThatThrownBy(() -> ca.issue(Role.BROKER, "b", List.of(), List.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
