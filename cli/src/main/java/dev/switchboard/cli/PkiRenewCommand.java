package dev.switchboard.cli;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.IssuedCredential;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pki renew NAME}: re-issues a certificate with a new key, same name, role and SANs. */
@Command(
    name = "renew",
    mixinStandardHelpOptions = true,
    description = {
      "Re-issue a certificate with a new key (same name, role and SANs).",
      "Replaces NAME.pem and NAME-key.pem with a new validity.",
      "The old certificate stays valid until it expires; revoke it if its key may be lost."
    })
final class PkiRenewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the certificate to renew.")
  String name;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "pki",
      description = "CA directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "Validity in days (default: 365 for brokers, 90 for controllers and targets).")
  Integer days;

  @Option(
      names = "--out-dir",
      paramLabel = "DIR",
      description = "Where NAME.pem and NAME-key.pem live (default: the CA directory).")
  Path outDir;

  @Override
  public Integer call() {
    Path target = outDir != null ? outDir : dir;
    Path certFile = target.resolve(name + ".pem");
    Path keyFile = target.resolve(name + "-key.pem");
    CertificateAuthority ca = PkiCommand.loadCa(dir);
    X509Certificate old = PkiRevokeCommand.certificateIssuedBy(ca, certFile);
    Role role =
        Roles.roleOf(old)
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCodes.CONFIG, "the certificate in " + certFile + " has no role"));
    Duration validity = PkiCommand.validity(spec, days, role);
    IssuedCredential cred =
        PkiCommand.issue(
            spec,
            ca,
            role,
            Roles.nameOf(old),
            PkiCommand.Show.sans(old, 2),
            PkiCommand.Show.sans(old, 7),
            validity);
    PkiCommand.write(cred, certFile, keyFile);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Renewed "
            + role.id()
            + " certificate for "
            + cred.name()
            + ", valid until "
            + cred.certificate().getNotAfter().toInstant()
            + " (serial "
            + cred.certificate().getSerialNumber().toString(16)
            + ")");
    out.println("  replaced serial: " + old.getSerialNumber().toString(16));
    out.println("  certificate: " + certFile);
    out.println("  private key: " + keyFile + " (mode 0600)");
    out.flush();
    return ExitCodes.OK;
  }
}
