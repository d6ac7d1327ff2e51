package dev.switchboard.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginShellTest {
  @TempDir Path dir;

  @Test
  void shellFromTheEnvironmentWinsWhenItCanRun() throws Exception {
    Path passwd = passwd("ada:x:1000:1000::/home/ada:/bin/sh\n");
    assertThat(LoginShell.find(Map.of("SHELL", "/bin/bash"), "ada", passwd)).isEqualTo("/bin/bash");
  }

  @Test
  void otherwiseTheUsersPasswdEntry() throws Exception {
    Path passwd =
        passwd("root:x:0:0:root:/root:/bin/sh\nada:x:1000:1000:Ada:/home/ada:/bin/bash\n");
    assertThat(LoginShell.find(Map.of("SHELL", "/no/such/shell"), "ada", passwd))
        .isEqualTo("/bin/bash");
    assertThat(LoginShell.find(Map.of(), "ada", passwd)).isEqualTo("/bin/bash");
  }

  @Test
  void otherwiseBinSh() throws Exception {
    Path passwd = passwd("ada:x:1000:1000::/home/ada:\nbob:x:1001:1001::/home/bob:/bin/bash\n");
    assertThat(LoginShell.find(Map.of(), "ada", passwd)).isEqualTo("/bin/sh");
    assertThat(LoginShell.find(Map.of(), "carol", passwd)).isEqualTo("/bin/sh");
    assertThat(LoginShell.find(Map.of(), "ada", dir.resolve("missing"))).isEqualTo("/bin/sh");
  }

  private Path passwd(String text) throws Exception {
    return Files.writeString(dir.resolve("passwd"), text);
  }
}
