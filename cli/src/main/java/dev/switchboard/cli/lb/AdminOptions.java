package dev.switchboard.cli.lb;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where an {@code lb} command finds the admin API and the file holding its bearer token. */
final class AdminOptions {
  static final String TOKEN_ENV = "SWITCHBOARD_LB_ADMIN_TOKEN_FILE";

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      defaultValue = LbCommand.DEFAULT_ADMIN,
      description = "Admin API address (default: ${DEFAULT-VALUE}).")
  String admin;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      defaultValue = "${env:" + TOKEN_ENV + ":-lb-admin.token}",
      description =
          "File with the lb's admin token (default: $"
              + TOKEN_ENV
              + ", else lb-admin.token in the current folder; 'lb run' creates it beside its"
              + " config file). The token itself is never an argument.")
  Path tokenFile;

  AdminClient client() {
    return new AdminClient(admin, tokenFile);
  }
}
