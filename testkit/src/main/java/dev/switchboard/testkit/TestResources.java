package dev.switchboard.testkit;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LoadBalancer;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.testkit.internal.LeakWait;
import dev.switchboard.testkit.internal.ProcessSnapshot;
import dev.switchboard.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts brokers, load balancers or a whole {@link LocalTopology} for a test, closes them when the
 * test ends (after all tests when registered on a static field), and fails the test if a thread, a
 * listening socket or a child process that appeared meanwhile is still there.
 *
 * <pre>
 * &#64;RegisterExtension static final TestResources started = new TestResources();
 * ...
 * LocalTopology net = started.topology(Topology.load(file), dir, LocalTopology.Options.direct(201));
 * </pre>
 */
public final class TestResources
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** Netty event loops and relays close asynchronously; a loaded 2-core machine needs time. */
  private static final Duration SETTLE = Duration.ofSeconds(20);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Duration settle;
  private ProcessSnapshot before;
  private boolean perClass;

  public TestResources() {
    this(SETTLE);
  }

  /** {@code settle}: how long closes may take before what is still there counts as leaked. */
  public TestResources(Duration settle) {
    this.settle = settle;
  }

  /** Starts a topology that is closed when the test (or class) ends. */
  public LocalTopology topology(Topology topology, Path dir, LocalTopology.Options options)
      throws IOException {
    return register(LocalTopology.start(topology, dir, options));
  }

  /** Starts a broker from its config with the credentials the config names. */
  public Broker broker(BrokerConfig config, Clock clock) throws IOException {
    return register(TestBrokers.start(config, clock));
  }

  /** Starts a load balancer. */
  public LoadBalancer lb(LbConfig config) {
    return register(LoadBalancer.start(config));
  }

  /** Anything else the test starts and wants closed, and checked, with the rest. */
  public synchronized <T extends AutoCloseable> T register(T resource) {
    started.push(resource);
    return resource;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    before = ProcessSnapshot.take();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    closeAndCheck();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      before = ProcessSnapshot.take();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      closeAndCheck();
    }
  }

  private void closeAndCheck() throws Exception {
    Exception failure = closeAll();
    List<String> leaks = LeakWait.until(before, settle);
    if (!leaks.isEmpty()) {
      AssertionError e =
          new AssertionError("left behind after the test: " + String.join(", ", leaks));
      if (failure != null) {
        e.addSuppressed(failure);
      }
      throw e;
    }
    if (failure != null) {
      throw failure;
    }
  }

  private synchronized Exception closeAll() {
    Exception first = null;
    List<AutoCloseable> order = new ArrayList<>(started);
    started.clear();
    for (AutoCloseable c : order) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }
}
