package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension fails a test that leaves a socket, a thread or a process behind, and only then. */
class TestResourcesTest {

  @Test
  void aTestThatClosesWhatItStartedPasses() {
    Events events = run(ClosesEverything.class);
    events.assertStatistics(s -> s.succeeded(1).failed(0));
  }

  @Test
  void aListeningSocketLeftOpenFailsTheTestNamingTheAddress() {
    Events events = run(LeaksListeningSocket.class);
    events.assertStatistics(s -> s.failed(1));
    assertThat(failureMessage(events))
        .contains("left behind after the test")
        .contains("tcp listening on 127.0.0.1:");
    LeaksListeningSocket.close();
  }

  @Test
  void aBoundUdpSocketLeftOpenFailsTheTest() {
    Events events = run(LeaksUdpSocket.class);
    assertThat(failureMessage(events)).contains("udp bound to 127.0.0.1:");
    LeaksUdpSocket.close();
  }

  @Test
  void aThreadStillRunningFailsTheTestNamingTheThread() {
    Events events = run(LeaksThread.class);
    assertThat(failureMessage(events)).contains("thread 'leaky-worker'");
    LeaksThread.STOP.countDown();
  }

  @Test
  void aChildProcessStillRunningFailsTheTest() {
    Events events = run(LeaksProcess.class);
    assertThat(failureMessage(events)).contains("child process").contains("sleep");
    LeaksProcess.child.destroyForcibly();
  }

  @Test
  void registeredResourcesAreClosedBeforeTheCheck() {
    Events events = run(RegistersSocket.class);
    events.assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(RegistersSocket.socket.isClosed()).isTrue();
  }

  private static Events run(Class<?> c) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(
            "junit.jupiter.conditions.deactivate", "org.junit.*DisabledCondition")
        .selectors(selectClass(c))
        .execute()
        .testEvents();
  }

  private static String failureMessage(Events events) {
    return events.failed().stream()
        .map(
            e ->
                e.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable)
                    .map(Throwable::getMessage)
                    .orElse(""))
        .findFirst()
        .orElse("(no failure)");
  }

  // The classes below run only inside the engine above (nested static, not picked up by surefire).

  static class ClosesEverything {
    @RegisterExtension final TestResources started = new TestResources(Duration.ofSeconds(1));

    @Test
    void test() throws Exception {
      try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        assertThat(s.getLocalPort()).isPositive();
      }
    }
  }

  static class LeaksListeningSocket {
    @RegisterExtension final TestResources started = new TestResources(Duration.ofSeconds(1));
    static ServerSocket socket;

    @Test
    void test() throws Exception {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    static void close() {
      try {
        socket.close();
      } catch (Exception ignored) {
        // test cleanup
      }
    }
  }

  static class LeaksUdpSocket {
    @RegisterExtension final TestResources started = new TestResources(Duration.ofSeconds(1));
    static DatagramSocket socket;

    @Test
    void test() throws Exception {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    static void close() {
      socket.close();
    }
  }

  static class LeaksThread {
    @RegisterExtension final TestResources started = new TestResources(Duration.ofSeconds(1));
    static final CountDownLatch STOP = new CountDownLatch(1);

    @Test
    void test() {
      Thread t =
          new Thread(
              () -> {
                try {
                  STOP.await();
                } catch (InterruptedException ignored) {
                  Thread.currentThread().interrupt();
                }
              },
              "leaky-worker");
      t.setDaemon(true);
      t.start();
    }
  }

  static class LeaksProcess {
    @RegisterExtension final TestResources started = new TestResources(Duration.ofSeconds(1));
    static Process child;

    @Test
    void test() throws Exception {
      child = new ProcessBuilder("sleep", "60").start();
    }
  }

  static class RegistersSocket {
    @RegisterExtension final TestResources started = new TestResources(Duration.ofSeconds(1));
    static ServerSocket socket;

    @Test
    void test() throws Exception {
      socket = started.register(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }
  }
}
