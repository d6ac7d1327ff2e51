package dev.switchboard.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs blocking work (a client waiting on a socket) on its own thread. Never the common
 * ForkJoinPool: on a 2-core machine it has one worker, and two blocking tasks that wait on each
 * other (a writer and its reader) would deadlock there.
 */
public final class Blocking {
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "switchboard-blocking");
            t.setDaemon(true);
            return t;
          });

  private Blocking() {}

  public static <T> CompletableFuture<T> supply(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, POOL);
  }
}
