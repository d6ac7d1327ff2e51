package dev.switchboard.cloud.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The ARM stub's checks of a PUT body against the limits docs/azure.md cites. */
final class Limits {
  private Limits() {}

  /** Why ARM would refuse the body (or why no traffic would flow), or null. */
  static String refusal(String key, JsonNode body, Function<String, ObjectNode> resourceAt) {
    if (body == null) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = body.path("tags").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> t = it.next();
      if (t.getValue().asText().length() > 256) {
        return "InvalidTagValueLength: tag " + t.getKey() + " is longer than 256 characters";
      }
    }
    JsonNode props = body.path("properties");
    if (key.contains("/containergroups/")) {
      if (props.path("ipAddress").path("ports").size() > 5) {
        return "the IP address of a container group may open at most 5 ports";
      }
      for (JsonNode s : props.path("subnetIds")) {
        String id = s.path("id").asText();
        ObjectNode vnet = resourceAt.apply(id.substring(0, id.indexOf("/subnets/")));
        String subnet = id.substring(id.lastIndexOf('/') + 1);
        boolean guarded = false;
        if (vnet != null) {
          for (JsonNode sn : vnet.path("properties").path("subnets")) {
            if (sn.path("name").asText().equalsIgnoreCase(subnet)) {
              guarded = sn.path("properties").path("networkSecurityGroup").has("id");
            }
          }
        }
        if (!guarded) {
          return "subnet "
              + subnet
              + " has no network security group: no inbound traffic would"
              + " reach the group (stub check)";
        }
      }
    }
    if (key.contains("/loadbalancers/")) {
      for (JsonNode r : props.path("loadBalancingRules")) {
        int port = r.path("properties").path("frontendPort").asInt();
        if (port < 0 || port > 65534) {
          return "frontendPort " + port + " of " + r.path("name").asText() + " is not in 0-65534";
        }
      }
      for (JsonNode p : props.path("probes")) {
        String proto = p.path("properties").path("protocol").asText();
        if (!Set.of("Tcp", "Http", "Https").contains(proto)) {
          return "probe " + p.path("name").asText() + ": protocol " + proto + " is not supported";
        }
      }
    }
    return null;
  }
}
