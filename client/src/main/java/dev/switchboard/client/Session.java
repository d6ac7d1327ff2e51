package dev.switchboard.client;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.MessageCodec;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.protocol.ProtocolException;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A relayed session as a byte stream. {@link #input()} ends (-1) when the peer half-closes or the
 * session completes, and throws {@link RefusedException} with the reason when it ends otherwise;
 * closing {@link #output()} half-closes (the peer reads end of stream, can still send).
 */
public final class Session implements AutoCloseable {
  private final BrokerConnection conn;
  private final String id;
  private final String peerName;
  private final SessionInput input = new SessionInput();
  private final SessionOutput output = new SessionOutput();
  private volatile RefusedException endReason;
  private volatile boolean closed;

  Session(BrokerConnection conn, String id, String peerName) {
    this.conn = conn;
    this.id = id;
    this.peerName = peerName;
  }

  public String id() {
    return id;
  }

  /** The other side's certificate name. */
  public String peerName() {
    return peerName;
  }

  /** The broker relaying this session. */
  public String brokerId() {
    return conn.brokerId();
  }

  public InputStream input() {
    return input;
  }

  public OutputStream output() {
    return output;
  }

  /**
   * Why the session ended: the broker's CLOSE reason, or {@code PEER_LOST} if the connection to the
   * broker ended without one; null while it runs or if it ended cleanly.
   */
  public RefusedException endReason() {
    return endReason;
  }

  /** Ends the session for both sides (the peer is told this side closed it). */
  @Override
  public void close() {
    abort(ErrorCode.PEER_CLOSED, "the other side closed the session");
  }

  /**
   * Ends the session for both sides with a reason the peer reports as its {@link #endReason()},
   * e.g. {@link ErrorCode#SERVICE_UNREACHABLE}; a no-op once closed.
   */
  public void abort(ErrorCode reason, String message) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      conn.send(new Message.Close(reason, message));
    } catch (IOException e) {
      // the broker is gone already
    }
    conn.close();
  }

  private final class SessionInput extends InputStream {
    private int remaining;
    private boolean eof;

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
      while (remaining == 0) {
        if (eof) {
          return -1;
        }
        nextFrame();
      }
      int n = conn.input().read(b, off, Math.min(len, remaining));
      if (n < 0) {
        throw lost();
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return Math.min(remaining, conn.input().available());
    }

    private void nextFrame() throws IOException {
      int type;
      int length;
      try {
        type = conn.input().readUnsignedByte();
        length = conn.input().readUnsignedShort();
      } catch (EOFException e) {
        throw lost();
      }
      if (length > Frames.MAX_PAYLOAD) {
        throw new RefusedException(
            ErrorCode.FRAME_TOO_LARGE, "broker sent a frame of " + length + " bytes");
      }
      switch (type) {
        case MessageType.DATA:
          remaining = length;
          return;
        case MessageType.EOF:
          eof = true;
          return;
        case MessageType.CLOSE:
          byte[] payload = new byte[length];
          conn.input().readFully(payload);
          Message.Close c = (Message.Close) decode(type, payload);
          eof = true;
          if (c.reason() != ErrorCode.SESSION_COMPLETE && c.reason() != ErrorCode.PEER_CLOSED) {
            endReason = new RefusedException(c.reason(), c.message());
            throw endReason;
          }
          return;
        default:
          throw new RefusedException(
              ErrorCode.PROTOCOL_ERROR,
              "unexpected frame type 0x" + Integer.toHexString(type) + " in a session");
      }
    }

    private IOException lost() {
      if (closed) {
        return new IOException("session closed");
      }
      // An end without the broker's CLOSE is abnormal too: the commands report it like one.
      endReason =
          new RefusedException(
              ErrorCode.PEER_LOST, "the connection to broker " + conn.brokerId() + " was lost");
      return endReason;
    }
  }

  private static Message decode(int type, byte[] payload) throws IOException {
    try {
      return MessageCodec.decode(type, Unpooled.wrappedBuffer(payload));
    } catch (ProtocolException e) {
      throw new RefusedException(e.code(), e.getMessage());
    }
  }

  private final class SessionOutput extends OutputStream {
    // A frame must fit one TLS record (16 KiB of plaintext), or every frame costs the broker two.
    private static final int CHUNK = 16 * 1024 - Frames.HEADER_BYTES;
    private final byte[] frame = new byte[16 * 1024];
    private boolean eofSent;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (frame) {
        if (eofSent) {
          throw new IOException("session output already closed");
        }
        synchronized (conn.output()) {
          // The frames of one write leave in one system call (see BatchingSocket).
          conn.raw().beginBatch();
          try {
            while (len > 0) {
              int n = Math.min(len, CHUNK);
              frame[0] = (byte) MessageType.DATA;
              frame[1] = (byte) (n >>> 8);
              frame[2] = (byte) n;
              System.arraycopy(b, off, frame, Frames.HEADER_BYTES, n);
              conn.output().write(frame, 0, Frames.HEADER_BYTES + n);
              off += n;
              len -= n;
            }
          } finally {
            conn.raw().endBatch();
          }
        }
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (conn.output()) {
        conn.output().flush();
      }
    }

    /** Half-close: tells the peer no more data follows. */
    @Override
    public void close() throws IOException {
      synchronized (frame) {
        if (eofSent || closed) {
          return;
        }
        eofSent = true;
      }
      conn.send(new Message.Eof());
    }
  }
}
