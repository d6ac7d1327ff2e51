package dev.switchboard.client.internal.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.client.mux.StreamHandler;
import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.OptionalInt;

/**
 * A stream's state on one side. All fields are guarded by this object's monitor; frames are sent
 * outside it, so a writer blocked on the session never holds up the reader thread's delivery.
 */
final class MuxStreamImpl implements MuxStream {
  private final MuxEngine engine;
  private final int id;
  private final String service;
  private final Input input = new Input();
  private final Output output = new Output();

  // Received DATA not yet read: at most the window we granted (the reader thread checks).
  private final ArrayDeque<byte[]> chunksLocked = new ArrayDeque<>();
  private int headOffsetLocked;
  private long receiveAllowanceLocked = MuxFrame.WINDOW_BYTES;
  private int consumedLocked;
  // The window this side grants: starts at the protocol's 256 KiB and doubles (up to
  // MuxFrame.MAX_WINDOW_BYTES) whenever the application has read everything that arrived by the
  // time credit is due, i.e. the sender, not our reader, is the one waiting. A stalled reader
  // never makes it grow, so buffered bytes stay bounded by what this reader showed it drains.
  private int windowLocked = MuxFrame.WINDOW_BYTES;
  private boolean finReceivedLocked;
  private boolean inputClosedLocked;

  private long sendWindowLocked = MuxFrame.WINDOW_BYTES;
  private boolean finSentLocked;

  /** Why the stream ended abnormally: a RESET either way, or the session's end; null otherwise. */
  private RefusedException abortedLocked;

  private Integer exitStatusLocked;
  private volatile StreamHandler handler;

  MuxStreamImpl(MuxEngine engine, int id, String service) {
    this.engine = engine;
    this.id = id;
    this.service = service;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  void handler(StreamHandler h) {
    handler = h;
  }

  StreamHandler handler() {
    return handler;
  }

  @Override
  public void reset(ErrorCode code, String message) {
    if (abort(new RefusedException(code, message))) {
      engine.sendQuietly(MuxFrame.RESET, id, MuxCodec.reason(code, message));
    }
  }

  @Override
  public void resize(int cols, int rows) throws IOException {
    engine.send(MuxFrame.RESIZE, id, MuxCodec.twoU16(cols, rows));
  }

  @Override
  public void exit(int status) throws IOException {
    engine.send(MuxFrame.EXIT, id, MuxCodec.int32(status));
  }

  @Override
  public synchronized OptionalInt exitStatus() {
    return exitStatusLocked == null ? OptionalInt.empty() : OptionalInt.of(exitStatusLocked);
  }

  // --- called by the engine's reader thread ---

  /** Takes a DATA payload; false if it overruns the window the peer was granted. */
  synchronized boolean deliver(byte[] data) {
    if (data.length > receiveAllowanceLocked) {
      return false;
    }
    receiveAllowanceLocked -= data.length;
    if (abortedLocked != null || inputClosedLocked) {
      return true; // a late frame for a stream that ended here: dropped
    }
    if (data.length > 0) {
      chunksLocked.add(data);
      notifyAll();
    }
    return true;
  }

  synchronized boolean finReceived() {
    return finReceivedLocked;
  }

  synchronized void onFin() {
    finReceivedLocked = true;
    notifyAll();
    engine.forgetIfDone(this, finSentLocked);
  }

  synchronized void onWindow(long increment) throws RefusedException {
    sendWindowLocked += increment;
    if (sendWindowLocked > Integer.MAX_VALUE) {
      throw MuxCodec.violation("the peer's WINDOW frames grant stream " + id + " over 2 GiB");
    }
    notifyAll();
  }

  synchronized void onExit(int status) {
    exitStatusLocked = status;
  }

  /**
   * The session ended cleanly with this stream still open: what was received stays readable when
   * the peer had finished sending; otherwise the stream ends like a reset.
   */
  synchronized void sessionEnded(RefusedException why) {
    if (finReceivedLocked && abortedLocked == null) {
      finSentLocked = true; // nothing can be sent any more
      notifyAll();
      return;
    }
    abort(why);
  }

  /** Ends the stream abnormally here; true the first time (the caller then tells the peer). */
  synchronized boolean abort(RefusedException why) {
    if (abortedLocked != null || (finSentLocked && finReceivedLocked)) {
      return false;
    }
    abortedLocked = why;
    chunksLocked.clear();
    notifyAll();
    engine.forget(this);
    return true;
  }

  // --- the application's side ---

  private final class Input extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = 0;
      int grant = 0;
      synchronized (MuxStreamImpl.this) {
        while (chunksLocked.isEmpty()) {
          if (abortedLocked != null) {
            throw abortedLocked;
          }
          if (finReceivedLocked || inputClosedLocked) {
            return -1;
          }
          waitLocked();
        }
        while (n < len && !chunksLocked.isEmpty()) {
          byte[] head = chunksLocked.peek();
          int k = Math.min(len - n, head.length - headOffsetLocked);
          System.arraycopy(head, headOffsetLocked, b, off + n, k);
          n += k;
          headOffsetLocked += k;
          if (headOffsetLocked == head.length) {
            chunksLocked.poll();
            headOffsetLocked = 0;
          }
        }
        consumedLocked += n;
        // Credit in batches of half the window: one WINDOW frame per 128 KiB read at first.
        if (consumedLocked >= windowLocked / 2 && !finReceivedLocked) {
          grant = consumedLocked;
          consumedLocked = 0;
          if (chunksLocked.isEmpty() && windowLocked < MuxFrame.MAX_WINDOW_BYTES) {
            int more = Math.min(windowLocked, MuxFrame.MAX_WINDOW_BYTES - windowLocked);
            windowLocked += more;
            grant += more;
          }
          receiveAllowanceLocked += grant;
        }
      }
      if (grant > 0) {
        engine.sendQuietly(MuxFrame.WINDOW, id, MuxCodec.int32(grant));
      }
      return n;
    }

    @Override
    public int available() {
      synchronized (MuxStreamImpl.this) {
        int n = 0;
        for (byte[] c : chunksLocked) {
          n += c.length;
        }
        return n - headOffsetLocked;
      }
    }

    /** Reading nothing more: a peer still sending would wait for credit forever, so reset. */
    @Override
    public void close() {
      boolean reset;
      synchronized (MuxStreamImpl.this) {
        reset = !finReceivedLocked && abortedLocked == null && !inputClosedLocked;
        inputClosedLocked = true;
        chunksLocked.clear();
      }
      if (reset) {
        MuxStreamImpl.this.reset(
            ErrorCode.PEER_CLOSED, "the reader of stream " + id + " closed it");
      }
    }
  }

  private void waitLocked() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting on stream " + id);
    }
  }

  /**
   * Up to {@code max} bytes of credit, waiting for some; throws once the stream can send no more.
   */
  private synchronized int acquire(int max) throws IOException {
    while (true) {
      if (abortedLocked != null) {
        throw abortedLocked;
      }
      if (finSentLocked) {
        throw new IOException("stream " + id + " output already closed");
      }
      if (sendWindowLocked > 0) {
        int n = (int) Math.min(max, sendWindowLocked);
        sendWindowLocked -= n;
        return n;
      }
      waitLocked();
    }
  }

  private final class Output extends OutputStream {
    // Up to four full frames per session write: one system call for 64 KiB (see BatchingSocket).
    private static final int FRAMES_PER_WRITE = 4;
    private byte[] scratch; // allocated by the first write: idle streams never hold it

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (scratch == null) {
        scratch = new byte[FRAMES_PER_WRITE * (MuxFrame.HEADER_BYTES + MuxFrame.DATA_CHUNK)];
      }
      while (len > 0) {
        int credit = acquire(Math.min(len, FRAMES_PER_WRITE * MuxFrame.DATA_CHUNK));
        int at = 0;
        int left = credit;
        while (left > 0) {
          int n = Math.min(left, MuxFrame.DATA_CHUNK);
          MuxCodec.header(scratch, at, MuxFrame.DATA, id, n);
          System.arraycopy(b, off, scratch, at + MuxFrame.HEADER_BYTES, n);
          at += MuxFrame.HEADER_BYTES + n;
          off += n;
          left -= n;
        }
        len -= credit;
        engine.write(scratch, 0, at);
      }
    }

    /** Half-close: FIN. */
    @Override
    public void close() throws IOException {
      boolean fin;
      synchronized (MuxStreamImpl.this) {
        fin = !finSentLocked && abortedLocked == null;
        finSentLocked = true;
      }
      if (fin) {
        engine.send(MuxFrame.FIN, id, new byte[0]);
        synchronized (MuxStreamImpl.this) {
          engine.forgetIfDone(MuxStreamImpl.this, finReceivedLocked);
        }
      }
    }
  }
}
