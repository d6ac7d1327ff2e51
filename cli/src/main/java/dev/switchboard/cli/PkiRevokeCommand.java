package dev.switchboard.cli;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Pem;
import dev.switchboard.pki.Revocations;
import dev.switchboard.pki.Roles;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pki revoke}: adds a certificate to the CA's signed revocation list, {@code crl.pem}. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke a certificate (add it to the CA's revocation list).",
      "Adds its serial to the signed list DIR/crl.pem.",
      "Brokers whose tls.crl names that file refuse it within seconds, without a restart."
    })
final class PkiRevokeCommand implements Callable<Integer> {
  /** RFC 5280 reason codes by the names the command accepts. */
  private static final List<String> REASONS =
      List.of(
          "unspecified",
          "key-compromise",
          "ca-compromise",
          "affiliation-changed",
          "superseded",
          "cessation-of-operation");

  @Spec CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  Which which;

  static final class Which {
    @Parameters(paramLabel = "FILE", description = "PEM certificate to revoke.")
    Path file;

    @Option(names = "--serial", paramLabel = "HEX", description = "Serial number to revoke.")
    String serial;
  }

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "pki",
      description = "CA directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--reason",
      paramLabel = "REASON",
      defaultValue = "unspecified",
      description =
          "unspecified, key-compromise, ca-compromise, affiliation-changed, superseded or"
              + " cessation-of-operation (default: ${DEFAULT-VALUE}).")
  String reason;

  @Override
  public Integer call() {
    int code = REASONS.indexOf(reason.toLowerCase(Locale.ROOT));
    if (code < 0) {
      throw new ParameterException(spec.commandLine(), "unknown --reason: " + reason);
    }
    CertificateAuthority ca = PkiCommand.loadCa(dir);
    BigInteger serial;
    String what;
    if (which.file != null) {
      X509Certificate cert = certificateIssuedBy(ca, which.file);
      serial = cert.getSerialNumber();
      what = Roles.nameOf(cert);
    } else {
      serial = parseSerial(which.serial);
      what = "serial";
    }
    Path crl;
    int count;
    try {
      crl = ca.revoke(serial, code);
      count = Revocations.load(crl, List.of(ca.certificate())).size();
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, "cannot revoke: " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Revoked " + what + " " + serial.toString(16) + " (" + reason + ")");
    out.println("  revocation list: " + crl + " (" + count + " revoked)");
    out.flush();
    return ExitCodes.OK;
  }

  private BigInteger parseSerial(String hex) {
    String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    try {
      BigInteger s = new BigInteger(h.replace(":", ""), 16);
      if (s.signum() > 0) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(
        spec.commandLine(), "--serial must be a positive hexadecimal number, got " + hex);
  }

  /** The certificate in {@code file}; exit 3 unless this CA signed it. */
  static X509Certificate certificateIssuedBy(CertificateAuthority ca, Path file) {
    X509Certificate cert;
    try {
      cert = Pem.readCertificates(file).get(0);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.CONFIG, "file not found: " + file);
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage(), e);
    }
    try {
      cert.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CliException(
          ExitCodes.CONFIG,
          "the certificate in " + file + " was not issued by the CA in " + ca.caFile());
    }
    return cert;
  }
}
