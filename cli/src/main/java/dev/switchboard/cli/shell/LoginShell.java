package dev.switchboard.cli.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The user's shell, the way login(1) and sshd find it: $SHELL, else /etc/passwd, else /bin/sh. */
final class LoginShell {
  static final String FALLBACK = "/bin/sh";

  private LoginShell() {}

  static String find(Map<String, String> env, String user, Path passwd) {
    String shell = env.get("SHELL");
    if (shell != null && Files.isExecutable(Path.of(shell))) {
      return shell;
    }
    return fromPasswd(user, passwd).filter(s -> Files.isExecutable(Path.of(s))).orElse(FALLBACK);
  }

  /** The 7th field of the user's line; an unreadable file counts as no entry. */
  static Optional<String> fromPasswd(String user, Path passwd) {
    List<String> lines;
    try {
      lines = Files.readAllLines(passwd, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String line : lines) {
      String[] f = line.split(":", -1);
      if (f.length >= 7 && f[0].equals(user) && !f[6].isBlank()) {
        return Optional.of(f[6]);
      }
    }
    return Optional.empty();
  }
}
