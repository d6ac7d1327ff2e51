package dev.switchboard.cloud;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tags of seed 004, exactly: on the public IP, the load balancer and the VNet. */
public final class Tags {
  public static final String MANAGED_BY = "managed_by";
  public static final String MANAGER = "switchboard";
  public static final String HAS_NAT_STACK = "has_nat_stack";
  public static final String HAS_LOAD_BALANCER = "has_load_balancer";
  public static final String LB_NAME = "lb_name";
  public static final String PUBLIC_IP_NAME = "public_ip_name";
  public static final String CREATED_FOR = "created_for";
  public static final String BIDIRECTIONAL_CONTAINERS = "bidirectional_containers";
  public static final String PURPOSE = "purpose";
  public static final String ASSOCIATED_LB = "associated_lb";

  private Tags() {}

  /** Public IP tags; {@code lbName} is null when the IP has no load balancer. */
  public static Map<String, String> publicIp(boolean natStack, String lbName) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put(HAS_NAT_STACK, Boolean.toString(natStack));
    t.put(HAS_LOAD_BALANCER, Boolean.toString(lbName != null));
    if (lbName != null) {
      t.put(LB_NAME, lbName);
    }
    t.put(MANAGED_BY, MANAGER);
    return t;
  }

  /** Load balancer tags. */
  public static Map<String, String> loadBalancer(String publicIpName) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put(MANAGED_BY, MANAGER);
    t.put(PUBLIC_IP_NAME, publicIpName);
    t.put(CREATED_FOR, BIDIRECTIONAL_CONTAINERS);
    return t;
  }

  /** VNet tags for the network created for a load balancer. */
  public static Map<String, String> vnet(String lbName) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put(MANAGED_BY, MANAGER);
    t.put(PURPOSE, "load_balancer");
    t.put(ASSOCIATED_LB, lbName);
    return t;
  }

  /** Tags of the security group of an IP's container subnet. */
  public static Map<String, String> nsg(String lbName) {
    Map<String, String> t = managed();
    t.put(PURPOSE, "load_balancer");
    t.put(ASSOCIATED_LB, lbName);
    return t;
  }

  /** Tag with a group's {@code --health-port}, when it has one. */
  public static final String HEALTH_PORT = "health_port";

  /** The longest tag value Azure Resource Manager accepts. */
  public static final int MAX_VALUE_LENGTH = 256;

  /** Refuses a tag value longer than Azure accepts, naming the tag. */
  public static void checkLengths(String resource, Map<String, String> tags) {
    tags.forEach(
        (k, v) -> {
          if (v != null && v.length() > MAX_VALUE_LENGTH) {
            throw CloudException.invalid(
                resource
                    + ": tag "
                    + k
                    + " would be "
                    + v.length()
                    + " characters; Azure allows "
                    + MAX_VALUE_LENGTH
                    + " (expose fewer ports)");
          }
        });
  }

  /** Tag with a group's exposed ports, so {@code rm} knows which rules the group created. */
  public static final String EXPOSED_PORTS = "exposed_ports";

  /**
   * Container group tags: ownership, its ports, and the IP and load balancer it is published on (if
   * any).
   */
  public static Map<String, String> containerGroup(
      RunSpec spec, String publicIpName, String lbName) {
    Map<String, String> t = managed();
    if (lbName != null) {
      t.put(PUBLIC_IP_NAME, publicIpName);
      t.put(LB_NAME, lbName);
    }
    t.put(
        EXPOSED_PORTS, String.join(" ", spec.ports().stream().map(ExposedPort::toString).toList()));
    if (spec.healthPort() != null) {
      t.put(HEALTH_PORT, spec.healthPort().toString());
    }
    return t;
  }

  /** Tags of NAT stack resources: only the ownership marker. */
  public static Map<String, String> managed() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put(MANAGED_BY, MANAGER);
    return t;
  }

  public static boolean isTrue(Map<String, String> tags, String key) {
    return tags != null && "true".equalsIgnoreCase(tags.get(key));
  }
}
