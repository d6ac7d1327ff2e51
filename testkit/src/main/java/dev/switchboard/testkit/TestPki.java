package dev.switchboard.testkit;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.IssuedCredential;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A throwaway CA on disk with helpers to issue broker and client credentials for tests. */
public final class TestPki {
  private final Path dir;
  private final CertificateAuthority ca;

  private TestPki(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  public static TestPki create(Path dir) throws IOException {
    return new TestPki(dir, CertificateAuthority.init(dir));
  }

  public CertificateAuthority ca() {
    return ca;
  }

  public Path dir() {
    return dir;
  }

  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  /**
   * Issues a broker certificate valid for {@code hostname}, localhost and 127.0.0.1, written to
   * disk.
   */
  public TlsMaterial broker(String id, String... hostnames) throws IOException {
    List<String> dns = new ArrayList<>(List.of(hostnames));
    dns.add("localhost");
    return write(ca.issue(Role.BROKER, id, dns, List.of("127.0.0.1"), Duration.ofDays(2)));
  }

  public TlsMaterial controller(String name) throws IOException {
    return write(ca.issue(Role.CONTROLLER, name));
  }

  public TlsMaterial target(String name) throws IOException {
    return write(ca.issue(Role.TARGET, name));
  }

  public ClientOptions controllerOptions(String name) throws IOException {
    return ClientOptions.of(controller(name));
  }

  public ClientOptions targetOptions(String name) throws IOException {
    return ClientOptions.of(target(name));
  }

  public Path certFile(String name) {
    return dir.resolve(name + ".pem");
  }

  public Path keyFile(String name) {
    return dir.resolve(name + "-key.pem");
  }

  private TlsMaterial write(IssuedCredential c) throws IOException {
    c.writeTo(certFile(c.name()), keyFile(c.name()));
    return TlsMaterial.load(caFile(), certFile(c.name()), keyFile(c.name()));
  }
}
