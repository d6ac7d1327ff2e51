package dev.switchboard.broker;

import dev.switchboard.protocol.HostPort;

/**
 * Another broker of the mesh: its id, the hostname and client address controllers are redirected
 * to, and the address of its mesh listener.
 */
public record PeerConfig(
    String id, String hostname, HostPort clientAddress, HostPort meshAddress) {}
