package dev.switchboard.cli.rc;

import dev.switchboard.protocol.HostPort;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --forward [LOCAL_HOST:]LOCAL_PORT:TARGET_HOST:TARGET_PORT}: a local listener whose
 * connections become streams to "tcp:TARGET_HOST:TARGET_PORT" (LOCAL_HOST defaults to 127.0.0.1, as
 * with {@code ssh -L}).
 */
record Forward(HostPort local, HostPort target) {
  private static final String HOST = "(\\[[^\\]]+\\]|[^:\\[\\]]+)";
  private static final Pattern FULL = Pattern.compile(HOST + ":(\\d+):" + HOST + ":(\\d+)");
  private static final Pattern SHORT = Pattern.compile("(\\d+):" + HOST + ":(\\d+)");

  /** Parses one option value; IllegalArgumentException with what is wrong. */
  static Forward parse(String spec) {
    Matcher m = FULL.matcher(spec);
    if (m.matches()) {
      return new Forward(
          HostPort.parse(m.group(1) + ":" + m.group(2)),
          HostPort.parse(m.group(3) + ":" + m.group(4)));
    }
    m = SHORT.matcher(spec);
    if (m.matches()) {
      return new Forward(
          HostPort.parse("127.0.0.1:" + m.group(1)), HostPort.parse(m.group(2) + ":" + m.group(3)));
    }
    throw new IllegalArgumentException(
        "expected [LOCAL_HOST:]LOCAL_PORT:TARGET_HOST:TARGET_PORT, got '" + spec + "'");
  }

  String service() {
    return "tcp:" + target;
  }
}
