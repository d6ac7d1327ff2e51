package dev.switchboard.pki;

import dev.switchboard.pki.internal.CertificateBuilder;
import dev.switchboard.pki.internal.CertificateBuilder.LeafSpec;
import dev.switchboard.pki.internal.CrlBuilder;
import dev.switchboard.pki.internal.KeyPairs;
import dev.switchboard.pki.internal.Names;
import dev.switchboard.pki.internal.SecureFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The Switchboard root CA: an EC P-256 key and self-signed certificate that issues role-bearing
 * leaf certificates; immutable and safe to share between threads.
 */
public final class CertificateAuthority {
  /**
   * Default validity of controller and target certificates: short, so a lost key stops working soon
   * even if nobody revokes it; {@code pki renew} re-issues them.
   */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);

  /** Default validity of broker certificates, which are renewed by operators, not users. */
  public static final Duration DEFAULT_BROKER_VALIDITY = Duration.ofDays(365);

  /** How long a revocation list stays current; brokers keep using an older one (docs/pki.md). */
  public static final Duration CRL_VALIDITY = Duration.ofDays(30);

  /** The revocation list's file name in the CA directory. */
  public static final String CRL_FILE = "crl.pem";

  static final String CA_FILE = "ca.pem";
  static final String CA_KEY_FILE = "ca-key.pem";
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Path caFile;
  private final Clock clock;
  private final SecureRandom random;

  private CertificateAuthority(
      X509Certificate certificate, PrivateKey key, Path caFile, Clock clock, SecureRandom random) {
    this.certificate = certificate;
    this.key = key;
    this.caFile = caFile;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Creates a new CA in {@code dir}: {@code ca.pem} and {@code ca-key.pem} (mode 0600), valid for
   * 10 years; refuses if either file already exists.
   */
  public static CertificateAuthority init(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path caFile = dir.resolve(CA_FILE);
    Path keyFile = dir.resolve(CA_KEY_FILE);
    for (Path p : List.of(caFile, keyFile)) {
      if (Files.exists(p)) {
        throw new FileAlreadyExistsException(
            p.toString(), null, "a CA already exists here; refusing to overwrite it");
      }
    }
    CertificateAuthority ca = create(Clock.systemUTC(), new SecureRandom(), caFile);
    SecureFiles.writeNew(keyFile, Pem.toPem(ca.key), true);
    SecureFiles.writeNew(caFile, Pem.toPem(ca.certificate), false);
    return ca;
  }

  /**
   * Loads the CA from {@code dir/ca.pem} and {@code dir/ca-key.pem}.
   *
   * @throws java.nio.file.NoSuchFileException naming the missing file
   * @throws CredentialException if a file is unparseable, not a CA, or the key does not match
   */
  public static CertificateAuthority load(Path dir) throws IOException {
    Path caFile = dir.resolve(CA_FILE);
    Path keyFile = dir.resolve(CA_KEY_FILE);
    X509Certificate cert = Pem.readCertificates(caFile).get(0);
    if (cert.getBasicConstraints() < 0) {
      throw new CredentialException(
          caFile + " is not a CA certificate (basicConstraints CA:false)");
    }
    PrivateKey key = Pem.readPrivateKey(keyFile);
    if (!KeyPairs.matches(key, cert.getPublicKey())) {
      throw new CredentialException(
          "the private key in " + keyFile + " does not match the CA certificate in " + caFile);
    }
    return new CertificateAuthority(cert, key, caFile, Clock.systemUTC(), new SecureRandom());
  }

  /** A fresh CA that lives only in memory, for tests. */
  public static CertificateAuthority inMemory() {
    return create(Clock.systemUTC(), new SecureRandom(), null);
  }

  /** This CA reading time from {@code clock} when issuing (for tests). */
  public CertificateAuthority withClock(Clock clock) {
    return new CertificateAuthority(
        certificate, key, caFile, Objects.requireNonNull(clock), random);
  }

  private static CertificateAuthority create(Clock clock, SecureRandom random, Path caFile) {
    KeyPair keys = KeyPairs.generateP256(random);
    Instant now = clock.instant();
    Instant notAfter = now.atOffset(ZoneOffset.UTC).plusYears(10).toInstant();
    X509Certificate cert = CertificateBuilder.root(keys, now.minus(BACKDATE), notAfter, random);
    return new CertificateAuthority(cert, keys.getPrivate(), caFile, clock, random);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Where the CA certificate lives ({@code dir/ca.pem}), or null for an in-memory CA. */
  public Path caFile() {
    return caFile;
  }

  /**
   * Issues a fresh key and certificate for {@code name} in {@code role}, with the given DNS and IP
   * subject alternative names, valid from 5 minutes ago for {@code validity} (capped at the CA's
   * own expiry).
   *
   * @throws IllegalArgumentException for an invalid name, DNS name, IP literal or validity
   */
  public IssuedCredential issue(
      Role role, String name, List<String> dnsNames, List<String> ipAddresses, Duration validity) {
    Objects.requireNonNull(role, "role");
    Names.checkName(name);
    List<String> dns = List.copyOf(dnsNames == null ? List.of() : dnsNames);
    List<String> ips = List.copyOf(ipAddresses == null ? List.of() : ipAddresses);
    dns.forEach(Names::checkDnsName);
    ips.forEach(Names::checkIpAddress);
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      notAfter = caNotAfter;
    }
    KeyPair keys = KeyPairs.generateP256(random);
    LeafSpec spec =
        new LeafSpec(name, role.id(), role == Role.BROKER, dns, ips, now.minus(BACKDATE), notAfter);
    X509Certificate cert =
        CertificateBuilder.leaf(spec, keys.getPublic(), certificate, key, random);
    return new IssuedCredential(cert, keys.getPrivate(), role, name);
  }

  /** Issues a certificate without subject alternative names, valid for the role's default. */
  public IssuedCredential issue(Role role, String name) {
    return issue(role, name, List.of(), List.of(), defaultValidity(role));
  }

  /** {@link #DEFAULT_BROKER_VALIDITY} for brokers, {@link #DEFAULT_VALIDITY} for clients. */
  public static Duration defaultValidity(Role role) {
    return role == Role.BROKER ? DEFAULT_BROKER_VALIDITY : DEFAULT_VALIDITY;
  }

  /**
   * Adds {@code serial} to the revocation list {@code crl.pem} beside the CA certificate (created
   * if absent), re-signed now and current for {@link #CRL_VALIDITY}; the file is replaced
   * atomically so a broker reloading it never sees half a list.
   *
   * @param reason an RFC 5280 CRLReason code (0 unspecified, 1 keyCompromise, 4 superseded, ...)
   * @return the path of the revocation list
   * @throws IllegalStateException for an in-memory CA
   * @throws CredentialException if the existing list is unreadable or not signed by this CA
   */
  public Path revoke(BigInteger serial, int reason) throws IOException {
    if (caFile == null) {
      throw new IllegalStateException("an in-memory CA has no revocation list file");
    }
    Objects.requireNonNull(serial, "serial");
    CrlBuilder.checkReason(reason);
    Path crlFile = crlFile();
    X509CRL previous = null;
    if (Files.exists(crlFile)) {
      previous = Revocations.load(crlFile, List.of(certificate)).crl();
    }
    Instant now = clock.instant();
    X509CRL crl =
        CrlBuilder.withEntry(
            previous, serial, reason, certificate, key, now, now.plus(CRL_VALIDITY));
    SecureFiles.writeReplacing(crlFile, Pem.toPem(crl), false);
    return crlFile;
  }

  /** Where this CA's revocation list lives ({@code dir/crl.pem}); null for an in-memory CA. */
  public Path crlFile() {
    return caFile == null ? null : caFile.resolveSibling(CRL_FILE);
  }
}
