package dev.switchboard.cloud;

import dev.switchboard.time.Sleeper;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Repeats {@link Cloud#reconcile} for one IP every {@code interval}, reporting each pass, so an
 * IP-based pool follows its container groups' addresses (the Azure side of the loop the local agent
 * runs itself).
 */
public final class ReconcileLoop {
  private final Cloud cloud;
  private final Sleeper sleeper;

  /** {@code sleeper} waits between passes; tests substitute one that changes the world instead. */
  public ReconcileLoop(Cloud cloud, Sleeper sleeper) {
    this.cloud = cloud;
    this.sleeper = sleeper;
  }

  /**
   * Runs {@code passes} passes ({@code 0}: until interrupted); a failed pass is reported and the
   * loop goes on.
   */
  public void run(
      String ipName,
      Duration interval,
      long passes,
      Consumer<ReconcileResult> onPass,
      Consumer<CloudException> onFailure)
      throws InterruptedException {
    for (long i = 0; passes == 0 || i < passes; i++) {
      if (i > 0) {
        sleeper.sleep(interval);
      }
      try {
        onPass.accept(cloud.reconcile(ipName));
      } catch (CloudException e) {
        if (e.kind() != CloudException.Kind.PROVIDER) {
          throw e;
        }
        onFailure.accept(e);
      }
    }
  }
}
