package dev.switchboard.cloud;

/** A subnet, delegated to a service (container groups) when {@code delegation} is not null. */
public record Subnet(String name, String addressPrefix, String delegation) {
  /** The delegation seed 004 asks for. */
  public static final String CONTAINER_GROUPS = "Microsoft.ContainerInstance/containerGroups";

  /** The delegation's own name, as in the seed. */
  public static final String DELEGATION_NAME = "aciDelegation";
}
