package dev.switchboard.cloud;

/** When a container group's task is started again after it exits (Azure's restartPolicy). */
public enum RestartPolicy {
  ALWAYS("Always"),
  ON_FAILURE("OnFailure"),
  NEVER("Never");

  private final String wireName;

  RestartPolicy(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether a task that exited with {@code exitCode} is started again. */
  public boolean restarts(int exitCode) {
    return this == ALWAYS || (this == ON_FAILURE && exitCode != 0);
  }

  public static RestartPolicy parse(String s) {
    for (RestartPolicy p : values()) {
      if (p.wireName.equalsIgnoreCase(s) || p.name().equalsIgnoreCase(s.replace('-', '_'))) {
        return p;
      }
    }
    throw CloudException.invalid(
        "restart policy must be Always, OnFailure or Never, got '" + s + "'");
  }
}
