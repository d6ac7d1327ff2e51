package dev.switchboard.lb.internal;

import dev.switchboard.config.Cidr;
import dev.switchboard.config.ConfigException;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * Checks a rule's peer settings: who may send it a PROXY header ({@code trustedProxies}) and the
 * address its backend connections come from ({@code sourceAddress}).
 */
final class RulePeers {
  private RulePeers() {}

  /** {@link #check} for a rule built in Java: an INVALID error naming the rule and the field. */
  static void validate(RuleConfig r) {
    try {
      check(r.protocol(), r.trustedProxies(), r.sourceAddress());
    } catch (ConfigException e) {
      throw new LbException(LbException.Code.INVALID, "rule '" + r.name() + "': " + e.getMessage());
    }
  }

  /** {@link #checkLocal(String)} for every rule that sets a source address. */
  static void checkLocal(LbConfig c) {
    for (RuleConfig r : c.rules()) {
      if (r.sourceAddress() != null) {
        try {
          checkLocal(r.sourceAddress());
        } catch (ConfigException e) {
          throw new LbException(
              LbException.Code.INVALID, "rule '" + r.name() + "': " + e.getMessage());
        }
      }
    }
  }

  /**
   * Rejects settings the data path cannot honour; the exception names the field relative to the
   * rule.
   */
  static void check(Protocol protocol, List<Cidr> trustedProxies, String sourceAddress) {
    if (trustedProxies != null
        && !trustedProxies.isEmpty()
        && protocol != null
        && protocol != Protocol.TCP) {
      // A datagram has no connection to open with a header, and a header in every datagram from
      // a trusted peer would have to be told apart from a client's payload: not supported.
      throw ConfigException.field(
          "trustedProxies",
          "PROXY headers are accepted on tcp rules only, this rule's protocol is "
              + protocol.wireName());
    }
    if (sourceAddress != null) {
      sourceAddress(sourceAddress);
    }
  }

  /** The literal unicast address {@code ip}, or a field error naming {@code sourceAddress}. */
  static InetAddress sourceAddress(String ip) {
    if (!Addresses.isValid(ip)) {
      throw ConfigException.field(
          "sourceAddress", "'" + ip + "' is not an IP address (write a literal like 10.0.2.4)");
    }
    InetAddress a = Addresses.parse(ip);
    if (a.isAnyLocalAddress() || a.isMulticastAddress() || ip.equals("255.255.255.255")) {
      throw ConfigException.field(
          "sourceAddress", "'" + ip + "' is not a unicast address of one interface");
    }
    return a;
  }

  /**
   * Throws a field error unless this host can send from {@code ip} (it is assigned to one of its
   * interfaces; on Linux every 127.x.y.z address is, on {@code lo}). Checked where the balancer
   * runs, not where a config file is read: a CLI may check a file meant for another host.
   */
  static void checkLocal(String ip) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(Addresses.parse(ip), 0));
    } catch (IOException e) {
      throw ConfigException.field(
          "sourceAddress",
          "cannot send from "
              + ip
              + " ("
              + e.getMessage()
              + "): it must be an address of this host");
    }
  }
}
