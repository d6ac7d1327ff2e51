package dev.switchboard.cloud;

/** One IP-based backend pool member: a container group's current private address in a VNet. */
public record BackendAddress(String name, String ipAddress, String virtualNetwork) {}
