package dev.switchboard.cloud;

/**
 * One load-balancing rule, {@code rule-{port}-{protocol}}, created for (and owned by) one container
 * group.
 */
public record LbRule(
    String name,
    Protocol protocol,
    int frontendPort,
    int backendPort,
    String probeName,
    String group) {

  public static LbRule forPort(ExposedPort p, String probeName, String group) {
    return new LbRule(p.ruleName(), p.protocol(), p.port(), p.port(), probeName, group);
  }
}
