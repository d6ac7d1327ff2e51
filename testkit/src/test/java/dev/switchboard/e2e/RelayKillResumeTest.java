package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed topology's full path (POP → backbone → regional lb → broker) with every broker in a
 * process of its own: {@code kill -9} of the broker relaying a session in the middle of 100 MB each
 * way, and both sides resume on the region's other broker with every byte intact.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RelayKillResumeTest {
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  @Test
  void hundredMegabytesEachWaySurviveKillMinus9OfTheRelay() throws Exception {
    LocalTopology net =
        started.topology(
            Topology.load(Path.of("..", "examples", "seed-topology.yaml")),
            dir,
            LocalTopology.Options.fastFullPath(207).withBrokerProcesses(true));
    ClientOptions alice = net.client(Role.CONTROLLER, "alice");
    ClientOptions t1 = net.client(Role.TARGET, "t1");
    Controller c =
        Controller.requestCode(
            alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    Session tgt =
        started.register(
            Target.join(
                t1, List.of(net.endpoint("in", "broker-in-3")), c.code(), SessionEvents.NONE));
    Session ctl = started.register(cs.get(60, TimeUnit.SECONDS));
    assertThat(ctl.brokerId()).isEqualTo("broker-in-3");
    SessionResumeTest.Transfer t =
        SessionResumeTest.Transfer.start(new SessionHarness(ctl, tgt), 100 * SessionResumeTest.MB);
    t.awaitProgress(20 * SessionResumeTest.MB);
    long pid = net.pid("broker-in-3");
    net.killHard("broker-in-3");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    t.assertComplete();
    assertThat(ctl.brokerId()).isEqualTo("broker-in-4");
    assertThat(tgt.brokerId()).isEqualTo("broker-in-4");
    assertThat(ctl.resumes()).isEqualTo(1);
    assertThat(tgt.resumes()).isEqualTo(1);
    c.close();
  }
}
