package dev.switchboard.broker.internal;

import dev.switchboard.pki.Pem;
import dev.switchboard.pki.Revocations;
import dev.switchboard.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's revocation list ({@code tls.crl}): loaded at start, then reloaded whenever the
 * file's modification time or size changes, so {@code pki revoke} takes effect without a restart.
 */
public final class CrlWatcher {
  private static final Logger log = LoggerFactory.getLogger(CrlWatcher.class);

  /** How often the file is checked; revoking takes effect within about this long. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

  private final Path file;
  private final List<X509Certificate> trusted;
  private volatile Revocations current;
  // Only touched by check(), which never runs concurrently with itself (it reschedules at the end).
  private Stamp seen;
  private volatile Scheduler.Cancellable next;
  private volatile boolean closed;

  private record Stamp(long modifiedNanos, long size) {}

  private CrlWatcher(Path file, List<X509Certificate> trusted, Revocations r, Stamp seen) {
    this.file = file;
    this.trusted = trusted;
    this.current = r;
    this.seen = seen;
  }

  /**
   * Loads {@code file} and checks it was signed by a CA in {@code caFile}.
   *
   * @throws IOException naming the file if it is missing, unreadable, or not signed by the CA
   */
  public static CrlWatcher load(Path file, Path caFile) throws IOException {
    List<X509Certificate> trusted = Pem.readCertificates(caFile);
    Stamp stamp = stamp(file);
    return new CrlWatcher(file, trusted, Revocations.load(file, trusted), stamp);
  }

  private final ExecutorService io =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "switchboard-crl");
            t.setDaemon(true);
            return t;
          });

  /** Whether {@code cert} is on the list as last loaded. */
  public boolean isRevoked(X509Certificate cert) {
    return current.isRevoked(cert);
  }

  /** Starts checking the file every {@link #CHECK_INTERVAL} on {@code scheduler}. */
  public void start(Scheduler scheduler) {
    // The check reads the disk, so it hops off the event loop that runs the scheduler's tasks, to
    // a thread of its own (never the common pool: one worker on 2 cores, shared with clients).
    schedule(scheduler);
  }

  private void schedule(Scheduler scheduler) {
    if (closed) {
      return;
    }
    try {
      next =
          scheduler.schedule(
              () ->
                  runOrStop(
                      () -> {
                        check();
                        schedule(scheduler);
                      }),
              CHECK_INTERVAL);
    } catch (RejectedExecutionException e) {
      // the broker stopped while a check ran: nothing more to watch for
    }
  }

  private void runOrStop(Runnable r) {
    try {
      io.execute(r);
    } catch (RejectedExecutionException e) {
      // closed while the timer fired
    }
  }

  /** Reloads the list if the file changed; a bad new list is logged and the old one kept. */
  void check() {
    try {
      Stamp now = stamp(file);
      if (now.equals(seen)) {
        return;
      }
      seen = now;
      Revocations r = Revocations.load(file, trusted);
      current = r;
      log.info("reloaded the revocation list {}: {} revoked certificate(s)", file, r.size());
    } catch (IOException | RuntimeException e) {
      log.error("cannot reload the revocation list {}; keeping the previous one: {}", file, e);
    }
  }

  public void close() {
    closed = true;
    io.shutdown();
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }

  private static Stamp stamp(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return new Stamp(
        a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS) ^ hash(a), a.size());
  }

  // An atomic replace within the clock's granularity keeps the time but changes the inode.
  private static long hash(BasicFileAttributes a) {
    Object key = a.fileKey();
    return key == null ? 0 : key.hashCode();
  }
}
