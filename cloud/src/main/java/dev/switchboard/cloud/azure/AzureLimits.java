package dev.switchboard.cloud.azure;

import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.Tags;

/** What Azure would refuse of a {@code run}, checked before any call (docs/azure.md cites each). */
final class AzureLimits {
  /** Container Instances: ports per IP address of a container group. */
  static final int MAX_PORTS_PER_IP = 5;

  private AzureLimits() {}

  static void check(RunSpec spec) {
    int ports = spec.ports().size();
    String health = "";
    if (spec.useLoadBalancer()) {
      // Builds the rules, which refuses frontend ports above 65534.
      GroupRouting routing = GroupRouting.of(spec.name(), spec.ports(), spec.healthPort());
      if (routing.extraHealthPort(spec.ports(), spec.healthPort()) > 0) {
        ports++;
        health = " (including --health-port " + spec.healthPort().port() + ")";
      }
    }
    if (ports > MAX_PORTS_PER_IP) {
      throw CloudException.invalid(
          "container group "
              + spec.name()
              + " would open "
              + ports
              + " ports"
              + health
              + "; Azure Container Instances allows "
              + MAX_PORTS_PER_IP
              + " per IP address: "
              + String.join(" ", spec.ports().stream().map(ExposedPort::toString).toList()));
    }
    Tags.checkLengths(
        "container group " + spec.name(),
        Tags.containerGroup(spec, "x", spec.useLoadBalancer() ? "x" : null));
  }
}
