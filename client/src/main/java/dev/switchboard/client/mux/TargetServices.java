package dev.switchboard.client.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.internal.mux.ExecHandler;
import dev.switchboard.client.internal.mux.TcpHandler;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The target's allow-list: TCP services it connects each stream to (the first is the default
 * service), or a command it runs per stream, and optionally a "shell" handler. Anything else is
 * refused with {@code SERVICE_NOT_ALLOWED}; a TCP service that does not answer with {@code
 * SERVICE_UNREACHABLE}. TCP services match exactly as given ({@code localhost:22} is not {@code
 * 127.0.0.1:22}).
 */
public final class TargetServices implements ServicePolicy {
  private final List<HostPort> tcp;
  private final String exec;
  private final Supplier<StreamHandler> shell;

  private TargetServices(List<HostPort> tcp, String exec, Supplier<StreamHandler> shell) {
    this.tcp = List.copyOf(tcp);
    this.exec = exec;
    this.shell = shell;
  }

  /** Exactly these TCP services; the first is the default. */
  public static TargetServices tcp(List<HostPort> allowed) {
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("no TCP service to allow");
    }
    return new TargetServices(allowed, null, null);
  }

  /** One process of {@code command} per stream, as the default and only service. */
  public static TargetServices exec(String command) {
    return new TargetServices(List.of(), command, null);
  }

  /**
   * Only "shell" (also the default service): each stream a new handler from {@code handlers}, e.g.
   * a pseudo-terminal.
   */
  public static TargetServices shell(Supplier<StreamHandler> handlers) {
    return new TargetServices(List.of(), null, handlers);
  }

  /** Also offers "shell", each stream served by a new handler from {@code handlers}. */
  public TargetServices withShell(Supplier<StreamHandler> handlers) {
    return new TargetServices(tcp, exec, handlers);
  }

  @Override
  public StreamHandler open(String service) throws IOException {
    if (service.isEmpty()) {
      if (exec == null && tcp.isEmpty()) {
        return shell.get();
      }
      return exec != null ? ExecHandler.start(exec) : TcpHandler.connect(tcp.get(0));
    }
    if (service.equals("shell") && shell != null) {
      return shell.get();
    }
    if (service.startsWith("tcp:")) {
      HostPort hp;
      try {
        hp = HostPort.parse(service.substring(4));
      } catch (IllegalArgumentException e) {
        throw notAllowed(service);
      }
      if (tcp.contains(hp)) {
        return TcpHandler.connect(hp);
      }
    }
    throw notAllowed(service);
  }

  private RefusedException notAllowed(String service) {
    return new RefusedException(
        ErrorCode.SERVICE_NOT_ALLOWED,
        "the target does not offer '" + service + "' (it offers " + describe() + ")");
  }

  /** What this target offers, for people: e.g. {@code tcp:127.0.0.1:22 (default), tcp:...}. */
  public String describe() {
    String list =
        exec != null
            ? "the command '" + exec + "' (default)"
            : tcp.stream()
                .map(h -> "tcp:" + h + (h == tcp.get(0) ? " (default)" : ""))
                .collect(Collectors.joining(", "));
    if (shell == null) {
      return list;
    }
    return list.isEmpty() ? "shell (default)" : list + ", shell";
  }
}
