package dev.switchboard.cloud;

import java.util.regex.Pattern;

/**
 * Names of the resources created for a public IP or container group, derived as seed 004 derives
 * them.
 */
public final class Names {
  private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?");

  private Names() {}

  /**
   * Checks a user-given name: lower-case letters, digits and inner hyphens, at most 52 characters.
   */
  public static String check(String name, String what) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw CloudException.invalid(
          what + " name '" + name + "' must be 1-52 lower-case letters, digits or inner hyphens");
    }
    return name;
  }

  public static String loadBalancer(String ipName) {
    return ipName + "-lb";
  }

  public static String vnet(String ipName) {
    return ipName + "-lb-vnet";
  }

  public static String subnet(String ipName) {
    return ipName + "-lb-subnet";
  }

  /** The network security group of an IP's container subnet. */
  public static String nsg(String ipName) {
    return ipName + "-lb-nsg";
  }

  public static String frontend(String ipName) {
    return ipName + "-frontend";
  }

  public static String backendPool(String ipName) {
    return ipName + "-backend-pool";
  }

  public static String natGateway(String ipName) {
    return ipName + "-nat";
  }

  public static String natVnet(String ipName) {
    return ipName + "-nat-vnet";
  }

  public static String natSubnet(String ipName) {
    return ipName + "-nat-subnet";
  }

  /** The health probe of one container group (each group has its own). */
  public static String probe(String groupName) {
    return "probe-" + groupName;
  }

  /** The backend pool of one container group: its rules send traffic to it alone. */
  public static String groupPool(String groupName) {
    return "pool-" + groupName;
  }

  /** The backend address entry a container group's private IP is registered under. */
  public static String backendAddress(String groupName) {
    return groupName + "-backend-address";
  }
}
