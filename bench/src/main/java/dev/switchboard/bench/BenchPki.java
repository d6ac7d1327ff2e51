package dev.switchboard.bench;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.testkit.TestPki;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The benchmark's throwaway PKI on disk: one broker, one controller and one target credential,
 * shared by every process of a run (all controllers use one certificate, all targets another).
 */
final class BenchPki {
  static final String BROKER = "broker-bench-1";
  static final String CONTROLLER = "bench-controller";
  static final String TARGET = "bench-target";

  private BenchPki() {}

  /** Creates the CA and the three credentials in {@code dir}. */
  static TestPki create(Path dir) throws IOException {
    TestPki pki = TestPki.create(dir);
    pki.broker(BROKER);
    pki.controller(CONTROLLER);
    pki.target(TARGET);
    return pki;
  }

  static TlsMaterial load(Path dir, String name) throws IOException {
    return TlsMaterial.load(
        dir.resolve("ca.pem"), dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
  }

  static ClientOptions options(Path dir, String name) throws IOException {
    return ClientOptions.of(load(dir, name));
  }
}
