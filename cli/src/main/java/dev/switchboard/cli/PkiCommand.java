package dev.switchboard.cli;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.IssuedCredential;
import dev.switchboard.pki.Pem;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code switchboard pki}: create the CA, issue role certificates, inspect certificate files. */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = "Manage the certificate authority and its certificates.",
    subcommands = {
      PkiCommand.Init.class,
      PkiCommand.Issue.class,
      PkiRenewCommand.class,
      PkiRevokeCommand.class,
      PkiCommand.Show.class
    })
final class PkiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: init, issue, renew, revoke or show");
  }

  /** {@code pki init}: creates a new root CA. */
  @Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new root CA.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = "pki",
        description = "CA directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
      CertificateAuthority ca;
      try {
        ca = CertificateAuthority.init(dir);
      } catch (FileAlreadyExistsException e) {
        throw new CliException(
            ExitCodes.CONFIG,
            "a CA already exists in " + dir + " (" + e.getFile() + "); refusing to overwrite it");
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.CONFIG, "cannot create the CA in " + dir + ": " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Created CA \""
              + Roles.nameOf(ca.certificate())
              + "\", valid until "
              + ca.certificate().getNotAfter().toInstant());
      out.println("  certificate: " + ca.caFile());
      out.println("  private key: " + dir.resolve("ca-key.pem") + " (mode 0600, keep it secret)");
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code pki issue ROLE}: issues a certificate and key signed by the CA. */
  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = "Issue a certificate for a broker, controller or target.")
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "ROLE",
        converter = RoleConverter.class,
        description = "broker, controller or target.")
    Role role;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        required = true,
        description = "Name (CN) of the holder; also the file name.")
    String name;

    @Option(
        names = "--dns",
        paramLabel = "HOST",
        description = "DNS subject alternative name (repeatable).")
    List<String> dns = new ArrayList<>();

    @Option(
        names = "--ip",
        paramLabel = "ADDR",
        description = "IP subject alternative name (repeatable).")
    List<String> ips = new ArrayList<>();

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = "pki",
        description = "CA directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
        names = "--days",
        paramLabel = "N",
        description =
            "Validity in days (default: 365 for brokers, 90 for controllers and targets).")
    Integer days;

    @Option(
        names = "--out-dir",
        paramLabel = "DIR",
        description = "Where to write the certificate and key (default: the CA directory).")
    Path outDir;

    @Override
    public Integer call() {
      Duration validity = validity(spec, days, role);
      Path target = outDir != null ? outDir : dir;
      Path certFile = target.resolve(name + ".pem");
      Path keyFile = target.resolve(name + "-key.pem");
      CertificateAuthority ca = loadCa(dir);
      IssuedCredential cred = issue(spec, ca, role, name, dns, ips, validity);
      for (Path p : List.of(certFile, keyFile)) {
        if (Files.exists(p)) {
          throw new CliException(
              ExitCodes.CONFIG,
              "refusing to overwrite existing file "
                  + p
                  + " (remove it, or choose another --name or --out-dir)");
        }
      }
      write(cred, certFile, keyFile);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Issued "
              + role.id()
              + " certificate for "
              + name
              + ", valid until "
              + cred.certificate().getNotAfter().toInstant());
      out.println("  certificate: " + certFile);
      out.println("  private key: " + keyFile + " (mode 0600)");
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** Issues a certificate; a name or SAN the CA refuses is a usage error. */
  static IssuedCredential issue(
      CommandSpec spec,
      CertificateAuthority ca,
      Role role,
      String name,
      List<String> dns,
      List<String> ips,
      Duration validity) {
    try {
      return ca.issue(role, name, dns, ips, validity);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Writes a certificate and its 0600 key; a file that cannot be written is exit 3. */
  static void write(IssuedCredential cred, Path certFile, Path keyFile) {
    try {
      cred.writeTo(certFile, keyFile);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.CONFIG,
          "cannot write to " + certFile.toAbsolutePath().getParent() + ": " + e.getMessage(),
          e);
    }
  }

  /** {@code --days}, or the role's default when absent; a usage error below 1. */
  static Duration validity(CommandSpec spec, Integer days, Role role) {
    if (days == null) {
      return CertificateAuthority.defaultValidity(role);
    }
    if (days < 1) {
      throw new ParameterException(spec.commandLine(), "--days must be at least 1, got " + days);
    }
    return Duration.ofDays(days);
  }

  /** The CA in {@code dir}, or exit 3 with a line saying what is missing. */
  static CertificateAuthority loadCa(Path dir) {
    try {
      return CertificateAuthority.load(dir);
    } catch (NoSuchFileException e) {
      throw new CliException(
          ExitCodes.CONFIG,
          "no CA in "
              + dir
              + ": "
              + e.getFile()
              + " not found (create one with 'switchboard pki init --dir "
              + dir
              + "')");
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.CONFIG, "cannot load the CA from " + dir + ": " + e.getMessage(), e);
    }
  }

  /** {@code pki show FILE}: prints what matters about each certificate in a PEM file. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show name, role, SANs and expiry of the certificates in a PEM file.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    Clock clock = Clock.systemUTC();

    @Parameters(index = "0", paramLabel = "FILE", description = "PEM certificate file.")
    Path file;

    @Override
    public Integer call() {
      List<X509Certificate> certs;
      try {
        certs = Pem.readCertificates(file);
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCodes.CONFIG, "file not found: " + file);
      } catch (IOException e) {
        throw new CliException(ExitCodes.CONFIG, e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      for (int i = 0; i < certs.size(); i++) {
        if (i > 0) {
          out.println();
        }
        print(out, certs.get(i));
      }
      out.flush();
      return ExitCodes.OK;
    }

    private void print(PrintWriter out, X509Certificate c) {
      Instant notAfter = c.getNotAfter().toInstant();
      String role =
          c.getBasicConstraints() >= 0 ? "CA" : Roles.roleOf(c).map(Role::id).orElse("(none)");
      out.println("name:    " + Roles.nameOf(c));
      out.println("role:    " + role);
      out.println("subject: " + c.getSubjectX500Principal().getName());
      out.println("issuer:  " + c.getIssuerX500Principal().getName());
      out.println("serial:  " + c.getSerialNumber().toString(16));
      out.println("dns:     " + String.join(", ", sans(c, 2)));
      out.println("ip:      " + String.join(", ", sans(c, 7)));
      out.println(
          "expires: " + notAfter + (notAfter.isBefore(clock.instant()) ? " (EXPIRED)" : ""));
    }

    static List<String> sans(X509Certificate c, int type) {
      List<String> values = new ArrayList<>();
      try {
        Collection<List<?>> all = c.getSubjectAlternativeNames();
        if (all != null) {
          for (List<?> san : all) {
            if (((Integer) san.get(0)) == type) {
              values.add(String.valueOf(san.get(1)));
            }
          }
        }
      } catch (CertificateParsingException e) {
        values.add("(unreadable)");
      }
      return values;
    }
  }

  /** Parses ROLE case-insensitively so a bad role is a usage error with a clear message. */
  static final class RoleConverter implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      try {
        return Role.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
