package dev.switchboard.cli;

import sun.misc.Signal;

/**
 * SIGHUP as "reload" (systemd's {@code ExecReload=kill -HUP}) for the long-running commands. By
 * default the JVM treats SIGHUP like SIGTERM: it would run the shutdown hooks and stop the process.
 */
public final class Signals {
  private static final Object LOCK = new Object();

  private Signals() {}

  /**
   * Runs {@code reload} on each SIGHUP, one at a time, instead of stopping the process; a no-op
   * where the JVM does not let SIGHUP be handled (it is ignored there, e.g. under {@code nohup}).
   */
  public static void onHangup(Runnable reload) {
    try {
      // Each signal runs on a thread of its own: the lock keeps two quick SIGHUPs from overlapping.
      Signal.handle(
          new Signal("HUP"),
          s -> {
            synchronized (LOCK) {
              reload.run();
            }
          });
    } catch (IllegalArgumentException e) {
      // Already ignored by the parent (nohup) or used by the VM: nothing to do.
    }
  }
}
