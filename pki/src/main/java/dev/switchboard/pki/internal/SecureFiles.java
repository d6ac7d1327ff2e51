package dev.switchboard.pki.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes PEM text to files: public files 0644, private keys 0600 from the moment they exist. */
public final class SecureFiles {
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  private SecureFiles() {}

  /**
   * Writes {@code text} to a file that must not exist yet (FileAlreadyExistsException if it does).
   */
  public static void writeNew(Path file, String text, boolean secret) throws IOException {
    if (posix(file)) {
      Files.createFile(file, attr(PRIVATE)); // private until written and chmod-ed below
    } else {
      Files.createFile(file);
    }
    Files.write(
        file, text.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
    setMode(file, secret);
  }

  /**
   * Replaces {@code file} atomically with {@code text}; the content is written to a temporary file
   * that is private from creation, so a key is never readable by others, even briefly.
   */
  public static void writeReplacing(Path file, String text, boolean secret) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp =
        posix(dir)
            ? Files.createTempFile(dir, ".tmp-", ".pem", attr(PRIVATE))
            : Files.createTempFile(dir, ".tmp-", ".pem");
    try {
      Files.write(tmp, text.getBytes(StandardCharsets.US_ASCII));
      setMode(tmp, secret);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void setMode(Path file, boolean secret) throws IOException {
    if (posix(file)) {
      Files.setPosixFilePermissions(file, secret ? PRIVATE : PUBLIC);
    }
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attr(Set<PosixFilePermission> perms) {
    return PosixFilePermissions.asFileAttribute(perms);
  }
}
