package dev.switchboard.cloud;

import java.util.List;

/**
 * What {@code switchboard run} asks for: a named container group, its image, task and exposed
 * ports, and optionally what the load balancer probes ({@code healthPort}, null for the default).
 */
public record RunSpec(
    String name,
    String image,
    String task,
    boolean bidirectional,
    List<ExposedPort> ports,
    boolean useLoadBalancer,
    RestartPolicy restartPolicy,
    HealthPort healthPort) {

  /** A spec with the default probe (see {@link GroupRouting}). */
  public RunSpec(
      String name,
      String image,
      String task,
      boolean bidirectional,
      List<ExposedPort> ports,
      boolean useLoadBalancer,
      RestartPolicy restartPolicy) {
    this(name, image, task, bidirectional, ports, useLoadBalancer, restartPolicy, null);
  }

  public RunSpec {
    Names.check(name, "container group");
    if (image == null || image.isBlank()) {
      throw CloudException.invalid("an image is required (-im IMAGE)");
    }
    if (image.startsWith("-")) {
      // A container engine would read it as an option of its own.
      throw CloudException.invalid("image name must not start with '-', got '" + image + "'");
    }
    ports = List.copyOf(ports);
    if (!ports.isEmpty() && !bidirectional) {
      throw CloudException.invalid("--expose-port needs --bidirectional");
    }
    if (useLoadBalancer && ports.isEmpty()) {
      throw CloudException.invalid("--use-load-balancer needs at least one --expose-port");
    }
    if (healthPort != null && !useLoadBalancer) {
      throw CloudException.invalid(
          "--health-port needs --use-load-balancer (only the load balancer probes a group)");
    }
    if (restartPolicy == null) {
      restartPolicy = RestartPolicy.ALWAYS;
    }
  }
}
