package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path dir;

  @Test
  void createsAnOwnerOnlyFileAtFirstUseAndReusesItAfter() throws Exception {
    Path f = dir.resolve("sub/admin.token");
    BearerToken first = TokenFile.loadOrCreate(f);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-------");
    String text = Files.readString(f).strip();
    assertThat(text).matches("[A-Za-z0-9_-]{43}");
    assertThat(first.matchesHeader("Bearer " + text)).isTrue();
    BearerToken again = TokenFile.loadOrCreate(f);
    assertThat(again.matchesHeader("Bearer " + text)).isTrue();
    assertThat(Files.readString(f).strip()).isEqualTo(text);
    try (var files = Files.list(f.getParent())) {
      assertThat(files).containsExactly(f); // no temporary file left behind
    }
  }

  @Test
  void twoFilesGetDifferentTokens() throws Exception {
    BearerToken a = TokenFile.loadOrCreate(dir.resolve("a"));
    String b = Files.readString(dir.resolve("a")).strip();
    TokenFile.loadOrCreate(dir.resolve("b"));
    assertThat(a.matchesHeader("Bearer " + Files.readString(dir.resolve("b")).strip())).isFalse();
    assertThat(a.matchesHeader("Bearer " + b)).isTrue();
  }

  @Test
  void refusesAFileOthersMayRead() throws Exception {
    Path f = dir.resolve("admin.token");
    TokenFile.loadOrCreate(f);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> TokenFile.loadOrCreate(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("rw-r-----")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void refusesAFileWithoutATokenWithoutPrintingIt() throws Exception {
    Path f = dir.resolve("admin.token");
    Files.writeString(f, "short secret\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> TokenFile.read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString())
        .hasMessageNotContaining("short secret");
  }

  @Test
  void aMissingFileIsNamedWhenOnlyReading() {
    Path f = dir.resolve("none.token");
    assertThatThrownBy(() -> TokenFile.read(f)).hasMessageContaining(f.toString());
  }

  @Test
  void matchesOnlyTheBearerSchemeWithTheExactToken() {
    BearerToken t = BearerToken.of("abcdefghijklmnopqrstuvwxyz0123456789\n");
    assertThat(t.matchesHeader("Bearer abcdefghijklmnopqrstuvwxyz0123456789")).isTrue();
    assertThat(t.matchesHeader("bearer abcdefghijklmnopqrstuvwxyz0123456789")).isTrue();
    assertThat(t.matchesHeader("Bearer abcdefghijklmnopqrstuvwxyz012345678")).isFalse();
    assertThat(t.matchesHeader("Bearer abcdefghijklmnopqrstuvwxyz01234567890")).isFalse();
    assertThat(t.matchesHeader("Basic abcdefghijklmnopqrstuvwxyz0123456789")).isFalse();
    assertThat(t.matchesHeader(null)).isFalse();
    assertThat(t.header()).isEqualTo("Bearer abcdefghijklmnopqrstuvwxyz0123456789");
    assertThat(t.toString()).doesNotContain("abcdef");
  }
}
