package dev.switchboard.lb.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one thread that owns the load balancer's model: every change runs here, and every confined
 * method starts with {@link #check()}.
 */
final class ControlThread implements Executor {
  static final String NAME = "lb-control";

  private final EventLoopGroup group;
  private final ExecutorService executor;
  // Set by the executor's thread factory, read by check() on any thread: volatile to publish it.
  private volatile Thread thread;

  ControlThread(EventLoopGroup group) {
    this.group = group;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new FastThreadLocalThread(r, NAME);
              t.setDaemon(true);
              thread = t;
              return t;
            });
  }

  /** Throws unless the caller is the control thread: the contract of every confined method. */
  void check() {
    Thread t = Thread.currentThread();
    if (t != thread) {
      throw new IllegalStateException(
          "must run on the load balancer control thread ("
              + NAME
              + "), not on '"
              + t.getName()
              + "'; go through LbEngine.call or submit");
    }
  }

  /** Runs {@code task} on the control thread and waits; rethrows its {@link RuntimeException}. */
  <T> T call(Callable<T> task) {
    if (Thread.currentThread() == thread) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (Thread.currentThread() instanceof FastThreadLocalThread
        && group.iterator().hasNext()
        && inEventLoop()) {
      throw new IllegalStateException("load balancer control calls must not run on an event loop");
    }
    Future<T> f = executor.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IllegalStateException(c);
    }
  }

  /** Submits {@code task} to the control thread without waiting (for event-loop callers). */
  <T> CompletableFuture<T> submit(Callable<T> task) {
    CompletableFuture<T> cf = new CompletableFuture<>();
    executor.execute(
        () -> {
          try {
            cf.complete(task.call());
          } catch (Throwable e) {
            cf.completeExceptionally(e);
          }
        });
    return cf;
  }

  /** Queues {@code task} on the control thread (timer and probe callbacks). */
  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  /** Lets queued tasks finish and refuses new ones. */
  void shutdown() {
    executor.shutdown();
  }

  private boolean inEventLoop() {
    for (EventExecutor e : group) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}
