package dev.switchboard.cloud.azure;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupNetworkProtocol;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSubnetId;
import com.azure.resourcemanager.containerinstance.models.ContainerNetworkProtocol;
import com.azure.resourcemanager.containerinstance.models.ContainerPort;
import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import com.azure.resourcemanager.containerinstance.models.IpAddress;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.Port;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.Protocol;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.Tags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the ARM body of a container group from a {@link RunSpec}; no I/O. */
final class ContainerResources {
  static final String EXPOSED_PORTS = Tags.EXPOSED_PORTS;

  static final double CPU = 1.0;
  static final double MEMORY_GB = 1.5;

  private ContainerResources() {}

  /**
   * The group body: with {@code subnetId} it is private in that subnet (load-balancer mode),
   * otherwise it gets a public IP of its own when bidirectional (the old mode); {@code healthPort}
   * &gt; 0 adds that TCP port if missing.
   */
  static ContainerGroupInner group(
      RunSpec spec,
      String location,
      String subnetId,
      String publicIpName,
      String lbName,
      int healthPort) {
    List<ExposedPort> ports = new ArrayList<>(spec.ports());
    if (healthPort > 0
        && ports.stream().noneMatch(p -> p.port() == healthPort && p.protocol() == Protocol.TCP)) {
      ports.add(new ExposedPort(healthPort, Protocol.TCP));
    }
    List<EnvironmentVariable> env = new ArrayList<>();
    env.add(new EnvironmentVariable().withName("SWITCHBOARD_GROUP").withValue(spec.name()));
    env.add(
        new EnvironmentVariable().withName("SWITCHBOARD_PORTS").withValue(portList(spec.ports())));
    if (healthPort > 0) {
      env.add(
          new EnvironmentVariable()
              .withName("SWITCHBOARD_HEALTH_PORT")
              .withValue(Integer.toString(healthPort)));
    }
    Container c =
        new Container()
            .withName(spec.name())
            .withImage(spec.image())
            .withPorts(
                ports.stream()
                    .map(
                        p ->
                            new ContainerPort()
                                .withPort(p.port())
                                .withProtocol(
                                    ContainerNetworkProtocol.fromString(p.protocol().name())))
                    .toList())
            .withEnvironmentVariables(env)
            .withResources(
                new ResourceRequirements()
                    .withRequests(new ResourceRequests().withCpu(CPU).withMemoryInGB(MEMORY_GB)));
    if (spec.task() != null) {
      c.withCommand(List.of("/bin/sh", "-c", spec.task()));
    }
    ContainerGroupInner g =
        new ContainerGroupInner()
            .withContainers(List.of(c))
            .withOsType(OperatingSystemTypes.LINUX)
            .withRestartPolicy(
                ContainerGroupRestartPolicy.fromString(spec.restartPolicy().wireName()));
    List<Port> groupPorts =
        ports.stream()
            .map(
                p ->
                    new Port()
                        .withPort(p.port())
                        .withProtocol(
                            ContainerGroupNetworkProtocol.fromString(p.protocol().name())))
            .toList();
    if (subnetId != null) {
      g.withIpAddress(
          new IpAddress().withType(ContainerGroupIpAddressType.PRIVATE).withPorts(groupPorts));
      g.withSubnetIds(List.of(new ContainerGroupSubnetId().withId(subnetId)));
    } else if (spec.bidirectional() && !ports.isEmpty()) {
      g.withIpAddress(
          new IpAddress().withType(ContainerGroupIpAddressType.PUBLIC).withPorts(groupPorts));
    }
    g.withLocation(location);
    g.withTags(tags(spec, publicIpName, lbName));
    return g;
  }

  static Map<String, String> tags(RunSpec spec, String publicIpName, String lbName) {
    return Tags.containerGroup(spec, publicIpName, lbName);
  }

  static String portList(List<ExposedPort> ports) {
    return ports.stream().map(ExposedPort::toString).collect(Collectors.joining(" "));
  }

  /** Parses the {@link #EXPOSED_PORTS} tag back. */
  static List<ExposedPort> parsePorts(String tag) {
    if (tag == null || tag.isBlank()) {
      return List.of();
    }
    return Arrays.stream(tag.trim().split("\\s+"))
        .map(p -> p.split("/"))
        .map(p -> new ExposedPort(Integer.parseInt(p[0]), Protocol.parse(p[1])))
        .toList();
  }
}
