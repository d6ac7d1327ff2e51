package dev.switchboard.bench.hostile;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.IssuedCredential;
import dev.switchboard.pki.Role;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Issues many client certificates in one JVM from a CA made by {@code switchboard pki init} (one
 * {@code pki issue} per certificate would start ~250 JVMs).
 *
 * <p>Usage: {@code HostilePki DIR PREFIX:ROLE:COUNT...}; writes {@code DIR/PREFIX-N.pem} and {@code
 * DIR/PREFIX-N-key.pem} for N = 1..COUNT.
 */
public final class HostilePki {
  private HostilePki() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    CertificateAuthority ca = CertificateAuthority.load(dir);
    int issued = 0;
    for (int a = 1; a < args.length; a++) {
      String[] f = args[a].split(":");
      Role role = Role.valueOf(f[1].toUpperCase());
      for (int n = 1; n <= Integer.parseInt(f[2]); n++) {
        String name = f[0] + "-" + n;
        Path cert = dir.resolve(name + ".pem");
        if (Files.exists(cert)) {
          continue;
        }
        IssuedCredential c = ca.issue(role, name);
        c.writeTo(cert, dir.resolve(name + "-key.pem"));
        issued++;
      }
    }
    System.out.println("issued " + issued + " certificates in " + dir);
  }
}
