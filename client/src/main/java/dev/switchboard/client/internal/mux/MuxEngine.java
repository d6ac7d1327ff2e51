package dev.switchboard.client.internal.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.ServicePolicy;
import dev.switchboard.protocol.ErrorCode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Both ends of the mux: one reader thread reads every frame of the session and hands it to its
 * stream without ever blocking on one (each stream buffers at most its window), and the streams'
 * own threads write whole frames under one lock. The controller opens streams; the target serves
 * them through a {@link ServicePolicy}.
 */
public final class MuxEngine {
  /** Most streams a target serves at once; more OPENs are refused (each costs threads). */
  static final int MAX_STREAMS = 1024;

  private final Transport transport;
  private final ServicePolicy policy; // null on the controller
  private final DataInputStream in;
  private final OutputStream out;
  private final Object writeLock = new Object();
  private final Object openOrder = new Object();
  private final Map<Integer, MuxStreamImpl> streamsLocked = new HashMap<>();
  private final Map<Integer, Opening> openingLocked = new HashMap<>();
  private int nextIdLocked = 1; // controller: the next id it opens
  private int highestIdLocked = -1; // target: the highest id opened so far (unsigned, -1 = none)
  private boolean outputClosedLocked; // guarded by writeLock
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile RefusedException endReason;

  private MuxEngine(Transport transport, ServicePolicy policy) {
    this.transport = transport;
    this.policy = policy;
    // Frames are small reads: buffer them, the session's own reads are per session frame.
    this.in = new DataInputStream(new BufferedInputStream(transport.input(), 64 * 1024));
    this.out = transport.output();
  }

  /** The controller's side; its reader thread starts at once. */
  public static MuxEngine controller(Transport t) {
    return start(new MuxEngine(t, null));
  }

  /** The target's side: each OPEN goes to {@code policy} on a thread of its own. */
  public static MuxEngine target(Transport t, ServicePolicy policy) {
    return start(new MuxEngine(t, policy));
  }

  private static MuxEngine start(MuxEngine e) {
    Thread t = new Thread(e::readLoop, "switchboard-mux-reader");
    t.setDaemon(true);
    t.start();
    return e;
  }

  private boolean isController() {
    return policy == null;
  }

  // --- controller API ---

  /** Opens a stream and waits for the target's answer. */
  public MuxStreamImpl open(String service) throws IOException {
    if (!isController()) {
      throw new IllegalStateException("only the controller opens streams");
    }
    Opening o;
    MuxStreamImpl s;
    // OPENs leave in id order: the target refuses an id lower than one it has seen.
    synchronized (openOrder) {
      synchronized (this) {
        if (ended.getCount() == 0 || outputClosed()) {
          throw endedException();
        }
        int id = nextIdLocked;
        nextIdLocked += 2;
        s = new MuxStreamImpl(this, id, service);
        o = new Opening();
        streamsLocked.put(id, s);
        openingLocked.put(id, o);
      }
      send(MuxFrame.OPEN, s.id(), service.getBytes(StandardCharsets.UTF_8));
    }
    o.await();
    return s;
  }

  private boolean outputClosed() {
    synchronized (writeLock) {
      return outputClosedLocked;
    }
  }

  /** Open streams (accepted or waiting for an answer). */
  public synchronized int openStreams() {
    return streamsLocked.size();
  }

  /**
   * Ends the session cleanly: resets the streams still open, half-closes the session and waits (a
   * bounded time) for the peer to do the same.
   */
  public void close(String why) {
    List<MuxStreamImpl> open;
    synchronized (this) {
      open = new ArrayList<>(streamsLocked.values());
    }
    for (MuxStreamImpl s : open) {
      s.reset(ErrorCode.PEER_CLOSED, why);
    }
    closeOutput();
    try {
      if (!ended.await(30, TimeUnit.SECONDS)) {
        transport.abort(ErrorCode.PEER_CLOSED, why);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      transport.abort(ErrorCode.PEER_CLOSED, why);
    }
  }

  public boolean hasEnded() {
    return ended.getCount() == 0;
  }

  /** Waits for the session to end: null if it ended cleanly, else why. */
  public RefusedException awaitEnd() throws InterruptedException {
    ended.await();
    return endReason;
  }

  /** Ends the session at once with {@code code} (both sides report it). */
  public void abort(ErrorCode code, String message) {
    transport.abort(code, message);
  }

  // --- sending ---

  void write(byte[] b, int off, int len) throws IOException {
    synchronized (writeLock) {
      if (outputClosedLocked) {
        throw endedException();
      }
      out.write(b, off, len);
      out.flush();
    }
  }

  void send(int type, int id, byte[] payload) throws IOException {
    byte[] f = MuxCodec.encode(type, id, payload);
    write(f, 0, f.length);
  }

  /** For frames whose loss only matters if the session is ending anyway (WINDOW, RESET). */
  void sendQuietly(int type, int id, byte[] payload) {
    try {
      send(type, id, payload);
    } catch (IOException e) {
      // the session is ending: its reader reports why
    }
  }

  private void closeOutput() {
    synchronized (writeLock) {
      if (outputClosedLocked) {
        return;
      }
      outputClosedLocked = true;
      try {
        out.close();
      } catch (IOException e) {
        // the session is gone already
      }
    }
  }

  private IOException endedException() {
    RefusedException r = endReason;
    return r != null ? r : new IOException("the session has ended");
  }

  // --- the stream table ---

  synchronized void forget(MuxStreamImpl s) {
    streamsLocked.remove(s.id());
  }

  synchronized void forgetIfDone(MuxStreamImpl s, boolean otherHalfDone) {
    if (otherHalfDone) {
      streamsLocked.remove(s.id());
    }
  }

  // --- the reader thread ---

  private void readLoop() {
    try {
      MuxFrame f;
      while ((f = MuxCodec.read(in)) != null) {
        dispatch(f);
      }
      endCleanly();
    } catch (RefusedException e) {
      if (e.code() == ErrorCode.PROTOCOL_ERROR) {
        transport.abort(ErrorCode.PROTOCOL_ERROR, sentence(e));
      }
      endWith(e);
    } catch (IOException | RuntimeException e) {
      RefusedException r =
          new RefusedException(ErrorCode.PEER_LOST, "the session's stream failed: " + e);
      transport.abort(ErrorCode.PEER_LOST, sentence(r));
      endWith(r);
    }
  }

  static String sentence(RefusedException e) {
    return e.getMessage().substring(e.code().name().length() + 2);
  }

  private void dispatch(MuxFrame f) throws IOException {
    if (f.type() == MuxFrame.OPEN) {
      accept(f);
      return;
    }
    MuxStreamImpl s;
    Opening o = null;
    synchronized (this) {
      s = streamsLocked.get(f.streamId());
      if (f.type() == MuxFrame.OPEN_OK || f.type() == MuxFrame.OPEN_REFUSED) {
        if (!isController()) {
          throw MuxCodec.violation("the controller sent " + MuxFrame.name(f.type()));
        }
        o = openingLocked.remove(f.streamId());
        if (o == null && s != null) {
          throw MuxCodec.violation("a second answer to the OPEN of stream " + f.id());
        }
      }
      if (s == null) {
        checkLate(f);
        return;
      }
    }
    switch (f.type()) {
      case MuxFrame.OPEN_OK -> o.accepted();
      case MuxFrame.OPEN_REFUSED -> {
        RefusedException r =
            new RefusedException(ErrorCode.of(MuxCodec.u16(f.payload(), 0)), MuxCodec.text(f, 2));
        s.abort(r);
        o.refused(r);
      }
      case MuxFrame.DATA -> {
        if (s.finReceived()) {
          throw MuxCodec.violation("DATA after FIN on stream " + f.id());
        }
        if (!s.deliver(f.payload())) {
          throw MuxCodec.violation("the peer overran the window of stream " + f.id());
        }
      }
      case MuxFrame.FIN -> s.onFin();
      case MuxFrame.RESET ->
          s.abort(
              new RefusedException(
                  ErrorCode.of(MuxCodec.u16(f.payload(), 0)), MuxCodec.text(f, 2)));
      case MuxFrame.WINDOW -> s.onWindow(MuxCodec.u32(f.payload()));
      case MuxFrame.RESIZE -> {
        if (isController()) {
          throw MuxCodec.violation("the target sent RESIZE");
        }
        var h = s.handler();
        if (h != null) {
          h.resized(MuxCodec.u16(f.payload(), 0), MuxCodec.u16(f.payload(), 2));
        }
      }
      case MuxFrame.EXIT -> {
        if (!isController()) {
          throw MuxCodec.violation("the controller sent EXIT");
        }
        s.onExit((int) MuxCodec.u32(f.payload()));
      }
      default -> throw MuxCodec.violation("unknown mux frame type " + f.type());
    }
  }

  /** A frame for no open stream: fine for one that ended here, a violation for one never opened. */
  private void checkLate(MuxFrame f) throws RefusedException {
    int id = f.streamId();
    boolean opened =
        (id & 1) == 1
            && (isController()
                ? Integer.compareUnsigned(id, nextIdLocked) < 0
                : highestIdLocked != -1 && Integer.compareUnsigned(id, highestIdLocked) <= 0);
    if (!opened) {
      throw MuxCodec.violation(
          "a " + MuxFrame.name(f.type()) + " frame for stream " + f.id() + ", never opened");
    }
  }

  private void accept(MuxFrame f) throws IOException {
    if (isController()) {
      throw MuxCodec.violation("the target sent OPEN");
    }
    String service = MuxCodec.text(f, 0);
    int id = f.streamId();
    MuxStreamImpl s;
    boolean full;
    synchronized (this) {
      if ((id & 1) == 0
          || (highestIdLocked != -1 && Integer.compareUnsigned(id, highestIdLocked) <= 0)) {
        throw MuxCodec.violation("OPEN of stream " + f.id() + ": ids are odd and never reused");
      }
      highestIdLocked = id;
      full = streamsLocked.size() >= MAX_STREAMS;
      s = new MuxStreamImpl(this, id, service);
      if (!full) {
        streamsLocked.put(id, s);
      }
    }
    if (full) {
      refuse(s, new RefusedException(ErrorCode.SERVICE_UNREACHABLE, tooMany()));
      return;
    }
    Thread t = new Thread(() -> Serving.serve(this, policy, s), "switchboard-mux-stream-" + f.id());
    t.setDaemon(true);
    t.start();
  }

  private static String tooMany() {
    return "the target already serves " + MAX_STREAMS + " streams in this session";
  }

  void accepted(MuxStreamImpl s) throws IOException {
    send(MuxFrame.OPEN_OK, s.id(), new byte[0]);
  }

  void refuse(MuxStreamImpl s, RefusedException why) {
    forget(s);
    sendQuietly(MuxFrame.OPEN_REFUSED, s.id(), MuxCodec.reason(why.code(), sentence(why)));
  }

  private void endCleanly() {
    RefusedException why =
        new RefusedException(
            ErrorCode.PEER_CLOSED,
            isController() ? "the target ended the session" : "the controller ended the session");
    for (MuxStreamImpl s : drain(why)) {
      s.sessionEnded(why);
    }
    closeOutput(); // the peer's half-close answered: the session completes
    transport.finish();
    ended.countDown();
  }

  private void endWith(RefusedException why) {
    endReason = why;
    for (MuxStreamImpl s : drain(why)) {
      s.abort(why);
    }
    synchronized (writeLock) {
      outputClosedLocked = true;
    }
    ended.countDown();
  }

  private synchronized List<MuxStreamImpl> drain(RefusedException why) {
    List<MuxStreamImpl> open = new ArrayList<>(streamsLocked.values());
    streamsLocked.clear();
    openingLocked.values().forEach(o -> o.refused(why));
    openingLocked.clear();
    return open;
  }

  /** The controller's wait for OPEN_OK or OPEN_REFUSED. */
  private static final class Opening {
    private final CountDownLatch answered = new CountDownLatch(1);
    private volatile RefusedException refusal;

    void accepted() {
      answered.countDown();
    }

    void refused(RefusedException r) {
      refusal = r;
      answered.countDown();
    }

    void await() throws IOException {
      try {
        answered.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while opening a stream");
      }
      if (refusal != null) {
        throw refusal;
      }
    }
  }
}
