package dev.switchboard.broker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.broker.AuditSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit records as JSON lines from a thread of its own, so that disk latency never reaches
 * an event loop: {@link #record} only offers to a bounded queue and counts what does not fit.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final byte[] STOP = new byte[0];
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuditSettings settings;
  private final LongConsumer dropped;
  private final BlockingQueue<byte[]> queue;
  private final Thread writer;
  private volatile boolean closed;
  // Only the writer thread touches the file and its size.
  private OutputStream out;
  private long size;

  /**
   * @param dropped told the number of records lost (queue full, log closed, or a write failed)
   */
  public AuditLog(AuditSettings settings, String name, LongConsumer dropped) {
    this.settings = settings;
    this.dropped = dropped;
    this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    this.writer = new Thread(this::run, "switchboard-audit-" + name);
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues one record; never blocks. */
  void record(AuditRecord r) {
    byte[] line;
    try {
      line = JSON.writeValueAsBytes(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit record could not be serialized", e);
    }
    if (closed || !queue.offer(line)) {
      dropped.accept(1);
    }
  }

  private void run() {
    try {
      for (byte[] line = queue.take(); line != STOP; line = queue.take()) {
        write(line);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeFile();
    }
  }

  private void write(byte[] line) {
    try {
      if (out != null && size > 0 && size + line.length + 1 > settings.maxBytes()) {
        closeFile();
        rotate();
      }
      if (out == null) {
        Path f = settings.file();
        out = Files.newOutputStream(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(f);
      }
      out.write(line);
      out.write('\n');
      out.flush();
      size += line.length + 1;
    } catch (IOException e) {
      dropped.accept(1);
      log.warn("could not write the audit log {}: {}", settings.file(), e.toString());
      closeFile(); // reopened for the next record: the disk may come back
    }
  }

  /** FILE becomes FILE.1, FILE.1 becomes FILE.2 … and FILE.keep is overwritten. */
  private void rotate() throws IOException {
    Path f = settings.file();
    for (int i = settings.keep() - 1; i >= 1; i--) {
      Path from = numbered(i);
      if (Files.exists(from)) {
        Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(f, numbered(1), StandardCopyOption.REPLACE_EXISTING);
  }

  private Path numbered(int i) {
    Path f = settings.file();
    return f.resolveSibling(f.getFileName() + "." + i);
  }

  private void closeFile() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        log.warn("could not close the audit log {}: {}", settings.file(), e.toString());
      }
      out = null;
      size = 0;
    }
  }

  /** Writes what is queued, then stops the writer thread. */
  @Override
  public void close() {
    closed = true;
    try {
      if (!queue.offer(STOP, 2, TimeUnit.SECONDS)) {
        writer.interrupt();
      }
      writer.join(5000);
      if (writer.isAlive()) {
        writer.interrupt();
        writer.join(1000);
      }
    } catch (InterruptedException e) {
      writer.interrupt();
      Thread.currentThread().interrupt();
    }
  }
}
