package dev.switchboard.testkit.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for asynchronous closes to finish, then names whatever a test left running. */
public final class LeakWait {
  private LeakWait() {}

  /**
   * What is still there after up to {@code settle} that was not in {@code before}; empty if
   * nothing.
   */
  public static List<String> until(ProcessSnapshot before, Duration settle) {
    AtomicReference<List<String>> leaks = new AtomicReference<>(List.of());
    try {
      Awaitility.await("resources started by the test to close")
          .atMost(settle)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                leaks.set(before.leakedIn(ProcessSnapshot.take()));
                return leaks.get().isEmpty();
              });
    } catch (ConditionTimeoutException e) {
      // reported by the caller with the list of what is still there
    }
    return leaks.get();
  }
}
