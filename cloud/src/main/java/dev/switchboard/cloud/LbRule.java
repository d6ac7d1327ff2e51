package dev.switchboard.cloud;

/**
 * One load-balancing rule, {@code rule-{port}-{protocol}}, created for (and owned by) one container
 * group, sending to that group's own pool.
 */
public record LbRule(
    String name,
    Protocol protocol,
    int frontendPort,
    int backendPort,
    String probeName,
    String group,
    String pool) {

  /** The most a load balancer's frontend port may be (ARM refuses 65535). */
  public static final int MAX_FRONTEND_PORT = 65534;

  public LbRule {
    // Rules stored before groups had pools of their own.
    pool = pool == null && group != null ? Names.groupPool(group) : pool;
  }

  public static LbRule forPort(ExposedPort p, String probeName, String group) {
    if (p.port() > MAX_FRONTEND_PORT) {
      throw CloudException.invalid(
          "port "
              + p
              + " cannot be load-balanced: frontend ports are 0-"
              + MAX_FRONTEND_PORT
              + " (Azure Load Balancer)");
    }
    return new LbRule(
        p.ruleName(), p.protocol(), p.port(), p.port(), probeName, group, Names.groupPool(group));
  }
}
