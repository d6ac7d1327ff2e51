package dev.switchboard.lb.internal;

import dev.switchboard.config.BearerToken;
import dev.switchboard.lb.LbException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.NetUtil;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether an admin request may reach the router: probe reads ({@code GET /healthz}, {@code
 * GET /metrics}, {@code GET /rules/NAME/health}) are open; everything else needs a {@code Host}
 * naming this API, the bearer token, and a JSON (or YAML) body type.
 */
final class AdminGuard {
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*");
  private static final Pattern RULE_HEALTH = Pattern.compile("/+rules/+[^/]+/+health/*");
  private static final Set<String> BODY_TYPES =
      Set.of("application/json", "application/yaml", "application/x-yaml");

  private final BearerToken token;
  private final InetAddress configured;
  private final Set<String> names;
  private final CounterDataPoint unauthorized;
  private final CounterDataPoint misdirected;
  private final CounterDataPoint unsupported;

  AdminGuard(BearerToken token, String address, List<String> hosts, Metrics metrics) {
    this.token = token;
    this.unauthorized = metrics.adminRefused.labelValues("unauthorized");
    this.misdirected = metrics.adminRefused.labelValues("misdirected");
    this.unsupported = metrics.adminRefused.labelValues("unsupported_media_type");
    this.configured = Addresses.parse(address);
    this.names = hosts.stream().map(AdminGuard::lower).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether {@code s} is a DNS name (no port, no IP literal check) for {@code admin.hosts}. */
  static boolean isHostName(String s) {
    return s.length() <= 253 && HOST_NAME.matcher(s).matches();
  }

  /** The read-only probe endpoints every client may call without the token. */
  static boolean isProbe(HttpMethod m, String path) {
    return (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD))
        && (path.equals("/healthz")
            || path.equals("/metrics")
            || RULE_HEALTH.matcher(path).matches());
  }

  /**
   * Why {@code req}, received on a connection whose local end is {@code local}, must be refused, or
   * null when it may proceed.
   */
  LbException refusal(FullHttpRequest req, String path, InetSocketAddress local) {
    if (isProbe(req.method(), path)) {
      return null;
    }
    String host = req.headers().get(HttpHeaderNames.HOST);
    if (!hostAllowed(host, local)) {
      misdirected.inc();
      return new LbException(
          LbException.Code.MISDIRECTED,
          "Host '"
              + (host == null ? "" : host)
              + "' is not this admin API; use its address and port, localhost, or a name listed"
              + " in admin.hosts");
    }
    if (!token.matchesHeader(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      // Known paths and unknown ones answer alike: nothing to map out without the token.
      unauthorized.inc();
      return new LbException(
          LbException.Code.UNAUTHORIZED,
          "this endpoint needs the lb admin token in the header Authorization: Bearer TOKEN"
              + " (never in the URL); see docs/lb.md");
    }
    if (req.content().isReadable() && !bodyTypeAllowed(req.headers().get("Content-Type"))) {
      unsupported.inc();
      return new LbException(
          LbException.Code.UNSUPPORTED_MEDIA_TYPE,
          "a request body needs Content-Type: application/json (or application/yaml), got "
              + (req.headers().contains("Content-Type")
                  ? "'" + req.headers().get("Content-Type") + "'"
                  : "none"));
    }
    return null;
  }

  private boolean hostAllowed(String host, InetSocketAddress local) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String name;
    int port;
    int colon = host.lastIndexOf(':');
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0) {
        return false;
      }
      name = host.substring(1, end);
      String rest = host.substring(end + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        return false;
      }
      port = rest.isEmpty() ? 80 : port(rest.substring(1));
    } else if (colon >= 0 && host.indexOf(':') == colon) {
      name = host.substring(0, colon);
      port = port(host.substring(colon + 1));
    } else {
      name = host;
      port = 80;
    }
    if (port != local.getPort()) {
      return false;
    }
    name = lower(name);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.equals("localhost") || names.contains(name)) {
      return true;
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(name);
    if (ip == null) {
      return false; // a DNS name nobody configured: what a rebinding page sends
    }
    // An IP literal can only be the origin of a page served by this API itself.
    try {
      InetAddress a = InetAddress.getByAddress(ip);
      return a.isLoopbackAddress()
          || a.equals(configured)
          || a.equals(local.getAddress())
          || configured.isAnyLocalAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static int port(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(s);
  }

  private static boolean bodyTypeAllowed(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type = lower((semi < 0 ? contentType : contentType.substring(0, semi)).strip());
    return BODY_TYPES.contains(type);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
