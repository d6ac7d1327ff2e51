package dev.switchboard.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP as "reload" (systemd's {@code ExecReload=kill -HUP}) for the long-running commands. By
 * default the JVM treats SIGHUP like SIGTERM: it would run the shutdown hooks and stop the process.
 * And SIGINT/SIGTERM as "stop cleanly" for commands that end with their own exit code.
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

  /**
   * Runs {@code stop} on SIGINT (Ctrl-C) or SIGTERM instead of stopping the JVM at once, until the
   * returned handle is closed, which puts the previous handlers back. For commands that end cleanly
   * on a signal, with their own exit code.
   */
  public static AutoCloseable onStop(Runnable stop) {
    List<Runnable> restore = new ArrayList<>();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal sig = new Signal(name);
        SignalHandler old = Signal.handle(sig, s -> stop.run());
        restore.add(() -> Signal.handle(sig, old));
      } catch (IllegalArgumentException e) {
        // ignored by the parent (a background job's SIGINT): the default stays
      }
    }
    return () -> restore.forEach(Runnable::run);
  }
}
