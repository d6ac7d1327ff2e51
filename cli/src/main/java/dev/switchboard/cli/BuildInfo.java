package dev.switchboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What this jar was built from: the properties the build writes into {@code
 * switchboard-build.properties} (git commit, commit time, build time). A jar built outside a git
 * checkout says "unknown" rather than failing.
 */
public final class BuildInfo implements IVersionProvider {
  static final String RESOURCE = "/switchboard-build.properties";

  private final Properties props;

  public BuildInfo() {
    this(load());
  }

  BuildInfo(Properties props) {
    this.props = props;
  }

  /** One line, e.g. {@code switchboard 0.1.0 (commit 1a2b3c4, built 2026-11-30T16:20:00Z)}. */
  public String line() {
    String commit = get("git.commit.id.abbrev");
    if ("true".equals(props.getProperty("git.dirty"))) {
      commit += " with local changes";
    }
    return "switchboard "
        + get("git.build.version")
        + " (commit "
        + commit
        + ", committed "
        + get("git.commit.time")
        + ", built "
        + get("git.build.time")
        + ")";
  }

  @Override
  public String[] getVersion() {
    return new String[] {line()};
  }

  private String get(String key) {
    String v = props.getProperty(key);
    return v == null || v.isBlank() ? "unknown" : v;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
    }
    return p;
  }
}
