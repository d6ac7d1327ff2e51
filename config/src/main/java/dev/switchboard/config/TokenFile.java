package dev.switchboard.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * A control plane's {@link BearerToken} in a file only its owner may read (0600): the server
 * creates it at first start, clients read it. The token itself never reaches a command line.
 */
public final class TokenFile {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> NOT_OWNER =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenFile() {}

  /**
   * The token in {@code file}, first writing a new random one (32 bytes, base64url) with mode 0600
   * when there is no file; two processes racing to create it end up with the same token.
   *
   * @throws ConfigException naming the file if group or others may access it, or if it does not
   *     hold a token
   * @throws IOException if it cannot be read or written
   */
  public static BearerToken loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file);
    }
    return read(file);
  }

  /**
   * The token in an existing {@code file}.
   *
   * @throws ConfigException naming the file if group or others may access it, or if it does not
   *     hold a token
   * @throws IOException if it is missing or cannot be read
   */
  public static BearerToken read(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    String text;
    try {
      if (posix != null) {
        Set<PosixFilePermission> perms = posix.readAttributes().permissions();
        perms.retainAll(NOT_OWNER);
        if (!perms.isEmpty()) {
          throw new ConfigException(
              file.toString(),
              null,
              "the token file may be accessed by group or others ("
                  + PosixFilePermissions.toString(posix.readAttributes().permissions())
                  + "); run chmod 600 "
                  + file);
        }
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no token file");
    }
    try {
      return BearerToken.of(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file.toString(), null, e.getMessage());
    }
  }

  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n";
    boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    Path tmp =
        posix
            ? Files.createTempFile(
                dir, ".token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dir, ".token", ".tmp");
    try {
      Files.writeString(tmp, token, StandardCharsets.US_ASCII);
      // A hard link appears complete or not at all and never replaces a file another process
      // created meanwhile; that process's token then wins.
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException e) {
      // created concurrently: read() below returns the other process's token
    } catch (UnsupportedOperationException e) {
      Files.move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
