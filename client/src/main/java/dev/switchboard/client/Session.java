package dev.switchboard.client;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.MessageCodec;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.ResumeCredential;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/**
 * A relayed session as a byte stream that survives its relay: when the broker relaying it dies, or
 * this side's or the peer's connection drops, both sides reconnect, resume the session on a healthy
 * broker and resend what the other did not receive, so the application sees no break
 * (docs/protocol.md, "Resumption"). {@link #input()} ends (-1) when the peer half-closes or the
 * session completes, and throws {@link RefusedException} with the reason when it ends otherwise;
 * closing {@link #output()} half-closes (the peer reads end of stream, can still send).
 */
public final class Session implements AutoCloseable {
  /** Unacknowledged bytes kept for resending; a writer waits while this many are in flight. */
  static final int REPLAY_BYTES = 4 * 1024 * 1024;

  /** Received bytes the application has not read yet. */
  static final int INBOUND_BYTES = 256 * 1024;

  /**
   * The peer is told what arrived at least this often (and at every heartbeat): a sixteenth of its
   * 4 MiB replay buffer, so it never waits for room, while each ACK (a record through the broker, a
   * wake-up in three processes) is paid once per 256 KiB of bulk data, not per 64 KiB.
   */
  static final int ACK_EVERY = 256 * 1024;

  // A frame must fit one TLS record (16 KiB of plaintext), or every frame costs the broker two.
  private static final int CHUNK = 16 * 1024 - Frames.HEADER_BYTES;

  /** Opens a new connection to a broker with RESUME pipelined behind HELLO. */
  @FunctionalInterface
  interface Redial {
    BrokerConnection open(Message.Resume resume) throws IOException;
  }

  private final String id;
  private final String peerName;
  private final ClientOptions opts;
  private final Redial redial;
  private final SessionEvents events;
  // Lock order: writerLock, then sendLock, then state, then a connection's output stream.
  // The reader thread never takes writerLock or sendLock except to switch relays, and never
  // writes to a socket: acknowledgements go out on the acker thread, so a reader is never held
  // up by a full send buffer (both sides sending at once would otherwise deadlock).
  private final Object writerLock = new Object();
  private final Object sendLock = new Object();
  private final Object state = new Object();
  private final ReplayBuffer replay = new ReplayBuffer(REPLAY_BYTES);
  private final InboundBuffer inbound = new InboundBuffer(INBOUND_BYTES);
  private final SessionInput input = new SessionInput();
  private final SessionOutput output = new SessionOutput();
  private final byte[] frame = new byte[Frames.HEADER_BYTES + CHUNK];
  private final byte[] resendFrame = new byte[Frames.HEADER_BYTES + CHUNK];
  private volatile BrokerConnection conn;
  private volatile byte[] credential;
  private volatile long credentialExpiresAt;
  private volatile int generation = 1;
  private volatile int resumes;
  // guarded by sendLock: how far the outgoing stream went out on the current relay, and whether
  // this side's CLOSE went out (nothing may follow it: the broker would call it malformed)
  private long sentUpTo;
  private boolean eofOnConn;
  private boolean closeSent;
  // guarded by state
  private long received;
  private boolean receivedEof;
  private boolean ackWanted;
  private boolean eofSent;
  private boolean eofAcked;
  private boolean ended;
  private boolean closed;
  private volatile RefusedException endReason;
  private volatile ResumeTiming lastResume;

  /**
   * When the last resumption's steps happened, as {@code System.nanoTime()} values: the broken
   * relay noticed, TCP connected to the broker that took over, TLS done, SESSION_RESUMED received
   * (the other side had come too), and the number of connection attempts.
   */
  public record ResumeTiming(
      long detectedNanos,
      long connectedNanos,
      long handshakeNanos,
      long resumedNanos,
      int attempts) {}

  Session(
      BrokerConnection conn,
      String id,
      String peerName,
      ClientOptions opts,
      Redial redial,
      SessionEvents events)
      throws IOException {
    // Read before anything can break: a session without a credential could not resume.
    credential(firstCredential(conn));
    this.conn = conn;
    this.id = id;
    this.peerName = peerName;
    this.opts = opts;
    this.redial = redial;
    this.events = events;
    start("reader", this::readLoop);
    start("acker", this::ackLoop);
  }

  private void start(String role, Runnable r) {
    Thread t = new Thread(r, "switchboard-session-" + role + "-" + id);
    t.setDaemon(true);
    t.start();
  }

  public String id() {
    return id;
  }

  /** The other side's certificate name. */
  public String peerName() {
    return peerName;
  }

  /** The broker relaying this session now. */
  public String brokerId() {
    return conn.brokerId();
  }

  /** 1 for the first relay; one more after each resumption. */
  public int generation() {
    return generation;
  }

  /** The steps of the last resumption; null before the first. */
  public ResumeTiming lastResume() {
    return lastResume;
  }

  /** How many times this side resumed the session. */
  public int resumes() {
    return resumes;
  }

  public InputStream input() {
    return input;
  }

  public OutputStream output() {
    return output;
  }

  /**
   * Why the session ended: the broker's or the peer's CLOSE reason, {@code RESUME_*} when it could
   * not be resumed, or {@code PEER_LOST}; null while it runs or if it ended cleanly.
   */
  public RefusedException endReason() {
    return endReason;
  }

  /**
   * Ends the session for both sides. After both sides finished sending and the peer confirmed this
   * side's end of stream, the session is complete; otherwise the peer is told this side closed it.
   */
  @Override
  public void close() {
    if (bothFinished()) {
      finish(ErrorCode.SESSION_COMPLETE, "both sides finished sending");
    } else {
      abort(ErrorCode.PEER_CLOSED, "the other side closed the session");
    }
  }

  /**
   * Ends the session for both sides with a reason the peer reports as its {@link #endReason()},
   * e.g. {@link ErrorCode#SERVICE_UNREACHABLE}; a no-op once closed.
   */
  public void abort(ErrorCode reason, String message) {
    finish(reason, message);
  }

  /** Waits (a few heartbeats at most) for the peer to confirm this side's end of stream. */
  private boolean bothFinished() {
    long deadline = System.currentTimeMillis() + 3 * opts.keepalive().toMillis();
    synchronized (state) {
      if (!receivedEof || !eofSent) {
        return false;
      }
      while (!eofAcked && !ended && System.currentTimeMillis() < deadline) {
        try {
          state.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return eofAcked;
    }
  }

  private void finish(ErrorCode reason, String message) {
    boolean wasEnded;
    synchronized (state) {
      if (closed) {
        return;
      }
      closed = true;
      wasEnded = ended;
      ended = true;
      state.notifyAll();
    }
    BrokerConnection c = conn;
    synchronized (sendLock) {
      if (!wasEnded && !closeSent) {
        closeSent = true;
        try {
          c.send(new Message.Close(reason, message));
        } catch (IOException e) {
          // the relay is gone already; the peer learns it from its own resumption failing
        }
      }
    }
    c.close();
    if (reason != ErrorCode.SESSION_COMPLETE) {
      inbound.fail(new IOException("session closed"));
    }
  }

  // --- the acker thread: acknowledgements and heartbeats ---

  private void ackLoop() {
    long every = opts.keepalive().toMillis();
    while (true) {
      long bytes;
      boolean eof;
      synchronized (state) {
        long deadline = System.currentTimeMillis() + every;
        while (!ackWanted && !ended) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            break; // a heartbeat: the peer and the path see the session is alive
          }
          try {
            state.wait(left);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (ended) {
          return;
        }
        ackWanted = false;
        bytes = received;
        eof = receivedEof;
      }
      sendAck(bytes, eof);
    }
  }

  /** An ACK, unless this side's CLOSE went out already. */
  private void sendAck(long bytes, boolean eof) {
    synchronized (sendLock) {
      if (closeSent) {
        return;
      }
      try {
        conn.send(new Message.Ack(bytes, eof));
      } catch (IOException e) {
        // the reader notices the broken relay and resumes
      }
    }
  }

  // --- the reader thread: frames from the relay, resumption when it breaks ---

  private void readLoop() {
    try {
      while (true) {
        BrokerConnection c = conn;
        try {
          if (readFrames(c)) {
            return; // ended for good
          }
        } catch (RefusedException e) {
          throw e;
        } catch (IOException e) {
          // the relay broke
        }
        if (isClosed()) {
          return;
        }
        resume(c);
      }
    } catch (RefusedException e) {
      end(e);
    } catch (InterruptedException e) {
      end(new RefusedException(ErrorCode.PEER_LOST, "interrupted"));
    }
  }

  private boolean isClosed() {
    synchronized (state) {
      return closed;
    }
  }

  /**
   * Reads frames until the relay breaks (returns false: resume) or the session ends (returns true).
   */
  private boolean readFrames(BrokerConnection c) throws IOException, InterruptedException {
    // Two missed heartbeats: well inside the resume window (60 s by default) for keepalive 20 s.
    c.readTimeout((int) (2 * opts.keepalive().toMillis()));
    DataInputStream in = c.input();
    byte[] payload = new byte[Frames.MAX_PAYLOAD];
    long unacked = 0;
    while (true) {
      int type;
      int length;
      try {
        type = in.readUnsignedByte();
        length = in.readUnsignedShort();
      } catch (SocketTimeoutException e) {
        return false; // the peer's heartbeats stopped: the relay is gone without a word
      }
      if (length > Frames.MAX_PAYLOAD) {
        throw new RefusedException(
            ErrorCode.FRAME_TOO_LARGE, "broker sent a frame of " + length + " bytes");
      }
      in.readFully(payload, 0, length);
      switch (type) {
        case MessageType.DATA:
          if (!inbound.append(payload, 0, length)) {
            return true; // closed by the application
          }
          unacked += length;
          synchronized (state) {
            if (receivedEof) {
              throw new RefusedException(ErrorCode.PROTOCOL_ERROR, "the peer sent DATA after EOF");
            }
            received += length;
            if (unacked >= ACK_EVERY) {
              unacked = 0;
              ackWanted = true;
              state.notifyAll();
            }
          }
          break;
        case MessageType.EOF:
          synchronized (state) {
            receivedEof = true;
            ackWanted = true;
            state.notifyAll();
          }
          inbound.eof();
          if (completeIfDone()) {
            return true;
          }
          break;
        case MessageType.ACK:
          acknowledged((Message.Ack) decode(type, payload, length));
          if (completeIfDone()) {
            return true;
          }
          break;
        case MessageType.CREDENTIAL:
          credential(((Message.Credential) decode(type, payload, length)).credential());
          break;
        case MessageType.CLOSE:
          return closed((Message.Close) decode(type, payload, length));
        default:
          throw new RefusedException(
              ErrorCode.PROTOCOL_ERROR,
              "unexpected frame type 0x" + Integer.toHexString(type) + " in a session");
      }
    }
  }

  /**
   * Both sides finished sending and the peer has this side's end of stream: the session is
   * complete, and ends without waiting for the application to close it.
   */
  private boolean completeIfDone() {
    synchronized (state) {
      if (!(receivedEof && eofSent && eofAcked) || closed) {
        return false;
      }
    }
    sendAck(received(), true); // the peer learns its EOF arrived, too
    finish(ErrorCode.SESSION_COMPLETE, "both sides finished sending");
    return true;
  }

  private long received() {
    synchronized (state) {
      return received;
    }
  }

  private void acknowledged(Message.Ack a) throws RefusedException {
    synchronized (state) {
      if (!replay.ack(a.receivedBytes()) || (a.receivedEof() && !eofSent)) {
        throw new RefusedException(
            ErrorCode.PROTOCOL_ERROR, "the peer acknowledged bytes that were never sent");
      }
      if (a.receivedEof()) {
        eofAcked = true;
      }
      state.notifyAll();
    }
  }

  /** The broker sends a credential right after SESSION_START and SESSION_RESUMED. */
  private static byte[] firstCredential(BrokerConnection c) throws IOException {
    Message m = c.read();
    if (!(m instanceof Message.Credential cred)) {
      throw BrokerConnection.unexpected(m, "CREDENTIAL");
    }
    return cred.credential();
  }

  private void credential(byte[] wire) throws RefusedException {
    try {
      ResumeCredential c = ResumeCredential.parse(wire);
      credential = wire;
      credentialExpiresAt = c.body().expiresAtMillis();
    } catch (ProtocolException e) {
      throw new RefusedException(e.code(), "the broker sent an unreadable credential");
    }
  }

  /** A CLOSE from the relay: resume (false) or the end of the session (true). */
  private boolean closed(Message.Close c) throws RefusedException {
    switch (c.reason()) {
      case SESSION_SUSPENDED:
      case BROKER_SHUTDOWN:
        return false;
      case SESSION_COMPLETE:
        synchronized (state) {
          eofAcked = true; // the peer completes only after it received our end of stream
        }
        end(null);
        return true;
      case PEER_CLOSED:
        end(null);
        return true;
      default:
        throw new RefusedException(c.reason(), c.message());
    }
  }

  private void end(RefusedException why) {
    synchronized (state) {
      if (why != null && !closed) {
        endReason = why;
      }
      ended = true;
      state.notifyAll();
    }
    if (why != null) {
      inbound.fail(why);
    } else {
      inbound.eof();
    }
    conn.kill();
  }

  // --- resumption ---

  private void resume(BrokerConnection broken) throws RefusedException, InterruptedException {
    broken.kill(); // fails a writer blocked on it, so it lets go of the send lock
    byte[] cred = credential;
    if (cred == null) {
      throw new RefusedException(
          ErrorCode.PEER_LOST,
          "the connection to broker " + broken.brokerId() + " was lost before it could resume");
    }
    long detected = System.nanoTime();
    events.suspended(this);
    int attempts = 0;
    long backoff = 100;
    String last = "no broker answered";
    while (System.currentTimeMillis() < credentialExpiresAt && !isClosed()) {
      BrokerConnection n = null;
      try {
        long got;
        boolean gotEof;
        synchronized (state) {
          got = received;
          gotEof = receivedEof;
        }
        attempts++;
        n = redial.open(new Message.Resume(cred, got, gotEof));
        Message.SessionResumed r = awaitResumed(n);
        credential(firstCredential(n)); // the new generation's: the old one is stale now
        lastResume =
            new ResumeTiming(
                detected, n.connectedNanos(), n.handshakeNanos(), System.nanoTime(), attempts);
        restart(n, r);
        return;
      } catch (RefusedException e) {
        if (n != null) {
          n.kill();
        }
        if (e.code() == ErrorCode.RESUME_INVALID
            || e.code() == ErrorCode.RESUME_STALE
            || e.code() == ErrorCode.RESUME_EXPIRED
            || e.code() == ErrorCode.PROTOCOL_ERROR) {
          throw e;
        }
        last = e.getMessage();
      } catch (IOException e) {
        if (n != null) {
          n.kill();
        }
        last = e.getMessage();
      }
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, 1000);
    }
    throw new RefusedException(
        ErrorCode.RESUME_EXPIRED, "the session could not be resumed in time (last: " + last + ")");
  }

  private Message.SessionResumed awaitResumed(BrokerConnection n) throws IOException {
    while (true) {
      long left = credentialExpiresAt - System.currentTimeMillis();
      if (left <= 0) {
        throw new RefusedException(
            ErrorCode.RESUME_EXPIRED, "the other side did not resume within the window");
      }
      n.readTimeout((int) Math.min(left, opts.keepalive().toMillis()));
      Message m;
      try {
        m = n.read();
      } catch (SocketTimeoutException e) {
        n.send(new Message.Ping(0)); // waiting for the peer: keep the control phase alive
        continue;
      }
      if (m instanceof Message.SessionResumed r) {
        return r;
      }
      if (!(m instanceof Message.Pong)) {
        throw BrokerConnection.unexpected(m, "SESSION_RESUMED");
      }
    }
  }

  /** The session runs on {@code n} now: resend what the peer missed, then let writers go on. */
  private void restart(BrokerConnection n, Message.SessionResumed r) throws RefusedException {
    long from = r.peerReceivedBytes();
    synchronized (sendLock) {
      boolean resendEof;
      synchronized (state) {
        if (from < replay.start() || !replay.ack(from)) {
          n.kill();
          throw new RefusedException(
              ErrorCode.PROTOCOL_ERROR,
              "the peer resumed at byte " + from + ", outside what this side can resend");
        }
        if (r.peerReceivedEof()) {
          eofAcked = true;
        }
        resendEof = eofSent && !r.peerReceivedEof();
        state.notifyAll();
      }
      conn = n;
      generation = r.generation();
      resumes++;
      long at = from;
      try {
        synchronized (n.output()) {
          n.raw().beginBatch();
          try {
            while (true) {
              int k;
              synchronized (state) {
                if (at >= replay.end()) {
                  break;
                }
                k = replay.copy(at, resendFrame, Frames.HEADER_BYTES, CHUNK);
              }
              writeData(n, resendFrame, k);
              at += k;
            }
            if (resendEof) {
              n.output().write(EOF_FRAME);
            }
          } finally {
            n.raw().endBatch();
          }
          n.output().flush();
        }
      } catch (IOException e) {
        // broken again: the reader's next read fails and it resumes once more
      }
      sentUpTo = at;
      eofOnConn = resendEof || r.peerReceivedEof();
    }
    events.resumed(this);
  }

  private static final byte[] EOF_FRAME = {(byte) MessageType.EOF, 0, 0};

  private static void writeData(BrokerConnection c, byte[] f, int n) throws IOException {
    f[0] = (byte) MessageType.DATA;
    f[1] = (byte) (n >>> 8);
    f[2] = (byte) n;
    c.output().write(f, 0, Frames.HEADER_BYTES + n);
  }

  private static Message decode(int type, byte[] payload, int length) throws RefusedException {
    try {
      return MessageCodec.decode(type, Unpooled.wrappedBuffer(payload, 0, length));
    } catch (ProtocolException e) {
      throw new RefusedException(e.code(), e.getMessage());
    }
  }

  private IOException endedException() {
    RefusedException why = endReason;
    return why != null ? why : new IOException("session closed");
  }

  private final class SessionInput extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return inbound.read(b, off, len);
    }

    @Override
    public int available() {
      return inbound.available();
    }
  }

  private final class SessionOutput extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (writerLock) {
        BrokerConnection batch = null;
        try {
          while (len > 0) {
            long at;
            int n;
            if (batch != null && replayFull()) {
              endBatch(batch); // what is gathered must go out for the peer to acknowledge it
              batch = null;
            }
            synchronized (state) {
              if (eofSent) {
                throw new IOException("session output already closed");
              }
              while (replay.free() == 0 && !ended) {
                waitForAck();
              }
              if (ended) {
                throw endedException();
              }
              n = Math.min(Math.min(len, CHUNK), replay.free());
              at = replay.end();
              replay.append(b, off, n);
            }
            synchronized (sendLock) {
              if (closeSent) {
                throw endedException();
              }
              if (sentUpTo < at + n) { // else resent already by a resumption
                BrokerConnection c = conn;
                if (batch != c) {
                  if (batch != null) {
                    endBatch(batch);
                  }
                  batch = beginBatch(c);
                }
                System.arraycopy(b, off, frame, Frames.HEADER_BYTES, n);
                try {
                  synchronized (c.output()) {
                    writeData(c, frame, n);
                  }
                } catch (IOException e) {
                  // the relay broke: the bytes are in the replay buffer, resent after resuming
                }
                sentUpTo = at + n;
              }
            }
            off += n;
            len -= n;
          }
        } finally {
          if (batch != null) {
            endBatch(batch);
          }
        }
      }
    }

    private boolean replayFull() {
      synchronized (state) {
        return replay.free() == 0;
      }
    }

    private BrokerConnection beginBatch(BrokerConnection c) {
      try {
        c.raw().beginBatch();
        return c;
      } catch (IOException e) {
        return null;
      }
    }

    private void endBatch(BrokerConnection c) {
      try {
        synchronized (c.output()) {
          c.raw().endBatch();
        }
      } catch (IOException e) {
        // resent after resuming
      }
    }

    private void waitForAck() throws IOException {
      try {
        state.wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while the peer caught up");
      }
    }

    @Override
    public void flush() throws IOException {
      BrokerConnection c = conn;
      try {
        synchronized (c.output()) {
          c.output().flush();
        }
      } catch (IOException e) {
        synchronized (state) {
          if (ended) {
            throw endedException();
          }
        }
        // otherwise resent after resuming
      }
    }

    /** Half-close: tells the peer no more data follows. */
    @Override
    public void close() throws IOException {
      synchronized (writerLock) {
        synchronized (state) {
          if (eofSent || closed) {
            return;
          }
          eofSent = true;
        }
        synchronized (sendLock) {
          if (!eofOnConn && !closeSent) {
            eofOnConn = true;
            try {
              conn.send(new Message.Eof());
            } catch (IOException e) {
              // resent after resuming
            }
          }
        }
      }
    }
  }
}
