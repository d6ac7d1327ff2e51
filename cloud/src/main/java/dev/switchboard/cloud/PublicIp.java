package dev.switchboard.cloud;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A public IP resource: a name, an address that stays the same for its life, and the seed's tags.
 */
public record PublicIp(String name, String address, Map<String, String> tags) {
  public PublicIp {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  public boolean hasLoadBalancer() {
    return Tags.isTrue(tags, Tags.HAS_LOAD_BALANCER);
  }

  public boolean hasNatStack() {
    return Tags.isTrue(tags, Tags.HAS_NAT_STACK);
  }

  /** The load balancer named by the {@code lb_name} tag, or null. */
  public String lbName() {
    return tags.get(Tags.LB_NAME);
  }

  /**
   * The {@code ip ls} label: {@code [with Load Balancer]}, {@code [with NAT stack]} or {@code
   * [standalone]}.
   */
  public String label() {
    if (hasLoadBalancer()) {
      return "[with Load Balancer]";
    }
    return hasNatStack() ? "[with NAT stack]" : "[standalone]";
  }
}
