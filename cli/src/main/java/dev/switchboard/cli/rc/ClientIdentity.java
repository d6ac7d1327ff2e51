package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.pki.TlsMaterial;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options naming a client's certificate: three files, or a PKI folder and a name. */
public final class ClientIdentity {
  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "CA certificate (PEM) that signed the brokers.")
  Path ca;

  @Option(names = "--cert", paramLabel = "FILE", description = "This client's certificate (PEM).")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "This client's private key (PEM).")
  Path key;

  @Option(
      names = "--pki",
      paramLabel = "DIR",
      description = "Instead of --ca/--cert/--key: DIR/ca.pem, DIR/NAME.pem, DIR/NAME-key.pem.")
  Path pki;

  @Option(names = "--name", paramLabel = "NAME", description = "Certificate name inside --pki.")
  String name;

  /** Loads the credential; a missing or broken file is a configuration error (exit 3). */
  ClientOptions load(String defaultName) {
    Path c = ca;
    Path crt = cert;
    Path k = key;
    if (pki != null) {
      String n = name != null ? name : defaultName;
      c = pki.resolve("ca.pem");
      crt = pki.resolve(n + ".pem");
      k = pki.resolve(n + "-key.pem");
    }
    if (c == null || crt == null || k == null) {
      throw new CliException(
          ExitCodes.USAGE, "give --ca, --cert and --key (or --pki DIR [--name NAME])");
    }
    try {
      return ClientOptions.of(TlsMaterial.load(c, crt, k));
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.CONFIG, "file not found: " + e.getFile());
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage());
    }
  }
}
