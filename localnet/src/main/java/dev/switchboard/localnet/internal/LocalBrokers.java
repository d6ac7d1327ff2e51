package dev.switchboard.localnet.internal;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.pki.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The running brokers of a local topology: in this JVM, or each in a process of its own ({@link
 * BrokerProcess}) started from a config file in {@code DIR/brokers/}.
 */
public final class LocalBrokers implements AutoCloseable {
  private final boolean processes;
  private final Path dir;
  private final Map<String, Broker> inJvm = new ConcurrentHashMap<>();
  private final Map<String, BrokerProcess> procs = new ConcurrentHashMap<>();

  public LocalBrokers(boolean processes, Path dir) {
    this.processes = processes;
    this.dir = dir;
  }

  /** Starts a broker; a process of its own is not waited for (see {@link #awaitHealthy}). */
  public void launch(BrokerConfig c) throws IOException {
    if (!processes) {
      inJvm.put(
          c.id(),
          Broker.start(
              c, TlsMaterial.load(c.caFile(), c.certFile(), c.keyFile()), Clock.systemUTC()));
      return;
    }
    Path file = dir.resolve("brokers").resolve(c.id() + ".json");
    Files.createDirectories(file.getParent());
    BrokerConfigWriter.write(c, file);
    procs.put(
        c.id(),
        BrokerProcess.start(c.id(), file, c.adminListen(), c.admin().tokenFile(), logFile(c.id())));
  }

  /** Waits until a broker process's {@code /healthz} answers; returns at once in this JVM. */
  public void awaitHealthy(String id, Duration max) throws IOException {
    BrokerProcess p = procs.get(id);
    long end = System.nanoTime() + max.toNanos();
    while (p != null && !p.healthy()) {
      if (System.nanoTime() >= end) {
        throw new IOException(
            p + " is not healthy after " + max.toSeconds() + " s; see " + logFile(id));
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting broker " + id);
      }
    }
  }

  public Path logFile(String id) {
    return dir.resolve("brokers").resolve(id + ".log");
  }

  /** Closes a broker; a process is asked to close, then signalled (SIGTERM, SIGKILL). */
  public void stop(String id) {
    Broker b = inJvm.remove(id);
    if (b != null) {
      b.close();
    }
    BrokerProcess p = procs.remove(id);
    if (p != null) {
      p.stop();
    }
  }

  public void drain(String id, Duration deadline) {
    Broker b = inJvm.remove(id);
    if (b != null) {
      b.drainAndClose(deadline);
    }
    BrokerProcess p = procs.remove(id);
    if (p != null) {
      p.drain(deadline);
    }
  }

  /** SIGKILL to a broker process, if it runs; waits until it is gone. */
  public void killHard(String id) {
    BrokerProcess p = procs.remove(id);
    if (p != null) {
      p.killHard();
    }
  }

  /** The pid of a broker process, or -1 if it does not run in one. */
  public long pid(String id) {
    BrokerProcess p = procs.get(id);
    return p == null || !p.alive() ? -1 : p.pid();
  }

  public boolean running(String id) {
    BrokerProcess p = procs.get(id);
    return inJvm.containsKey(id) || (p != null && p.alive());
  }

  /** The broker running in this JVM, or null. */
  public Broker inJvm(String id) {
    return inJvm.get(id);
  }

  public Map<String, Broker> inJvm() {
    return Map.copyOf(inJvm);
  }

  /** The peers a running broker's mesh links to are down, or null if it does not run. */
  public List<String> meshPeersDown(String id) {
    Broker b = inJvm.get(id);
    if (b != null) {
      return b.meshPeersDown();
    }
    BrokerProcess p = procs.get(id);
    return p == null ? null : p.meshPeersDown();
  }

  /** Throws as soon as a broker process has ended (see {@link BrokerProcess#requireRunning}). */
  public void requireRunning() throws IOException {
    for (BrokerProcess p : procs.values()) {
      p.requireRunning();
    }
  }

  @Override
  public void close() {
    inJvm.values().forEach(Broker::close);
    inJvm.clear();
    // Closing their input tells them all at once; each is then waited for (and signalled if slow).
    List<BrokerProcess> ps = new ArrayList<>(procs.values());
    procs.clear();
    ps.forEach(BrokerProcess::closeInput);
    ps.forEach(BrokerProcess::stop);
  }
}
