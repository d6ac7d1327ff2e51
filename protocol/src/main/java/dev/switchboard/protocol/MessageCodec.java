package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stateless encoding of {@link Message}s to frames and decoding of frame payloads back; the one
 * place the wire layout of a message is written down in code (docs/protocol.md mirrors it).
 */
public final class MessageCodec {
  private static final int MAX_STRING = 1024;

  private MessageCodec() {}

  /** Writes one complete frame (header and payload) for {@code m} to {@code out}. */
  public static void encode(Message m, ByteBuf out) {
    int start = out.writerIndex();
    out.writeByte(m.type());
    out.writeShort(0); // length, patched below
    writePayload(m, out);
    int length = out.writerIndex() - start - Frames.HEADER_BYTES;
    if (length > Frames.MAX_PAYLOAD) {
      out.writerIndex(start);
      throw new IllegalArgumentException(
          "message payload " + length + " exceeds " + Frames.MAX_PAYLOAD);
    }
    out.setShort(start + 1, length);
  }

  private static void writePayload(Message m, ByteBuf out) {
    if (m instanceof Message.Hello h) {
      out.writeShort(h.minVersion());
      out.writeShort(h.maxVersion());
      writeString(out, h.software());
    } else if (m instanceof Message.HelloOk h) {
      out.writeShort(h.version());
      writeString(out, h.brokerId());
    } else if (m instanceof Message.Ping p) {
      out.writeLong(p.nonce());
    } else if (m instanceof Message.Pong p) {
      out.writeLong(p.nonce());
    } else if (m instanceof Message.Code c) {
      writeString(out, c.code());
      out.writeLong(c.expiresAtMillis());
    } else if (m instanceof Message.Join j) {
      writeString(out, j.code());
    } else if (m instanceof Message.Joined j) {
      writeString(out, j.sessionId());
    } else if (m instanceof Message.Redirect r) {
      writeString(out, r.brokerId());
      writeString(out, r.host());
      out.writeShort(r.port());
      writeBytes(out, r.ticket());
    } else if (m instanceof Message.Attach a) {
      writeBytes(out, a.ticket());
    } else if (m instanceof Message.SessionStart s) {
      writeString(out, s.sessionId());
      writeString(out, s.peerName());
    } else if (m instanceof Message.Resume r) {
      writeBytes(out, r.credential());
      out.writeLong(r.receivedBytes());
      out.writeByte(r.receivedEof() ? 1 : 0);
    } else if (m instanceof Message.SessionResumed r) {
      writeString(out, r.sessionId());
      writeString(out, r.peerName());
      out.writeInt(r.generation());
      out.writeLong(r.peerReceivedBytes());
      out.writeByte(r.peerReceivedEof() ? 1 : 0);
    } else if (m instanceof Message.Ack a) {
      out.writeLong(a.receivedBytes());
      out.writeByte(a.receivedEof() ? 1 : 0);
    } else if (m instanceof Message.Credential c) {
      writeBytes(out, c.credential());
    } else if (m instanceof Message.SessionMoved mv) {
      writeString(out, mv.sessionId());
      out.writeInt(mv.generation());
      writeString(out, mv.brokerId());
    } else if (m instanceof Message.Data d) {
      out.writeBytes(d.bytes());
    } else if (m instanceof Message.Close c) {
      out.writeShort(c.reason().code());
      writeString(out, c.message());
    } else if (m instanceof Message.MeshHello h) {
      writeString(out, h.brokerId());
    } else if (m instanceof Message.Claim c) {
      out.writeLong(c.requestId());
      writeString(out, c.code());
      writeString(out, c.claimantBrokerId());
      writeString(out, c.sessionId());
    } else if (m instanceof Message.ClaimResult r) {
      out.writeLong(r.requestId());
      out.writeShort(r.status() == null ? 0 : r.status().code());
      writeBytes(out, r.ticketId());
      writeBytes(out, r.controllerFingerprint());
      writeString(out, r.controllerName());
    } else if (m instanceof Message.Failures f) {
      out.writeShort(f.counts().size());
      for (Message.Failures.Count c : f.counts()) {
        out.writeByte(c.kind().ordinal() + 1);
        writeBytes(out, c.key());
        out.writeShort(c.failures());
      }
    } else if (m instanceof Message.Error e) {
      out.writeShort(e.code().code());
      writeString(out, e.message());
    }
    // CodeRequest and Eof have empty payloads.
  }

  /**
   * Decodes the payload of a frame of the given type; the payload must be consumed exactly.
   *
   * @throws ProtocolException with {@link ErrorCode#PROTOCOL_ERROR} for an unknown type, a short or
   *     long payload, or an invalid field
   */
  public static Message decode(int type, ByteBuf p) throws ProtocolException {
    try {
      Message m = decodePayload(type, p);
      if (p.isReadable()) {
        throw new ProtocolException(
            ErrorCode.PROTOCOL_ERROR,
            p.readableBytes()
                + " trailing bytes after message type 0x"
                + Integer.toHexString(type));
      }
      return m;
    } catch (IndexOutOfBoundsException e) {
      throw new ProtocolException(
          ErrorCode.PROTOCOL_ERROR,
          "truncated payload for message type 0x" + Integer.toHexString(type));
    }
  }

  private static Message decodePayload(int type, ByteBuf p) throws ProtocolException {
    switch (type) {
      case MessageType.HELLO:
        return new Message.Hello(p.readUnsignedShort(), p.readUnsignedShort(), readString(p));
      case MessageType.HELLO_OK:
        return new Message.HelloOk(p.readUnsignedShort(), readString(p));
      case MessageType.PING:
        return new Message.Ping(p.readLong());
      case MessageType.PONG:
        return new Message.Pong(p.readLong());
      case MessageType.CODE_REQUEST:
        return new Message.CodeRequest();
      case MessageType.CODE:
        return new Message.Code(readString(p), p.readLong());
      case MessageType.JOIN:
        return new Message.Join(readString(p));
      case MessageType.JOINED:
        return new Message.Joined(readString(p));
      case MessageType.REDIRECT:
        return new Message.Redirect(
            readString(p), readString(p), p.readUnsignedShort(), readBytes(p));
      case MessageType.ATTACH:
        return new Message.Attach(readBytes(p));
      case MessageType.SESSION_START:
        return new Message.SessionStart(readString(p), readString(p));
      case MessageType.RESUME:
        return new Message.Resume(readBytes(p), readCount(p), readFlag(p));
      case MessageType.SESSION_RESUMED:
        return new Message.SessionResumed(
            readString(p), readString(p), readGeneration(p), readCount(p), readFlag(p));
      case MessageType.ACK:
        return new Message.Ack(readCount(p), readFlag(p));
      case MessageType.CREDENTIAL:
        return new Message.Credential(readBytes(p));
      case MessageType.SESSION_MOVED:
        return new Message.SessionMoved(readString(p), readGeneration(p), readString(p));
      case MessageType.DATA:
        byte[] data = new byte[p.readableBytes()];
        p.readBytes(data);
        return new Message.Data(data);
      case MessageType.EOF:
        return new Message.Eof();
      case MessageType.CLOSE:
        return new Message.Close(ErrorCode.of(p.readUnsignedShort()), readString(p));
      case MessageType.MESH_HELLO:
        return new Message.MeshHello(readString(p));
      case MessageType.CLAIM:
        return new Message.Claim(p.readLong(), readString(p), readString(p), readString(p));
      case MessageType.CLAIM_RESULT:
        long id = p.readLong();
        int status = p.readUnsignedShort();
        return new Message.ClaimResult(
            id,
            status == 0 ? null : ErrorCode.of(status),
            readBytes(p),
            readBytes(p),
            readString(p));
      case MessageType.FAILURES:
        return readFailures(p);
      case MessageType.ERROR:
        return new Message.Error(ErrorCode.of(p.readUnsignedShort()), readString(p));
      default:
        throw new ProtocolException(
            ErrorCode.PROTOCOL_ERROR, "unknown message type 0x" + Integer.toHexString(type));
    }
  }

  private static long readCount(ByteBuf p) throws ProtocolException {
    long n = p.readLong();
    if (n < 0) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "negative byte count " + n);
    }
    return n;
  }

  private static boolean readFlag(ByteBuf p) throws ProtocolException {
    int f = p.readUnsignedByte();
    if (f > 1) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "flag byte " + f + " is not 0 or 1");
    }
    return f == 1;
  }

  private static int readGeneration(ByteBuf p) throws ProtocolException {
    int g = p.readInt();
    if (g < 1) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "session generation " + g + " < 1");
    }
    return g;
  }

  private static Message.Failures readFailures(ByteBuf p) throws ProtocolException {
    int n = p.readUnsignedShort();
    if (n > Message.Failures.MAX_COUNTS) {
      throw new ProtocolException(
          ErrorCode.PROTOCOL_ERROR,
          "FAILURES with " + n + " counts exceeds " + Message.Failures.MAX_COUNTS);
    }
    List<Message.Failures.Count> counts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int kind = p.readUnsignedByte();
      if (kind < 1 || kind > Message.Failures.Kind.values().length) {
        throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "unknown source kind " + kind);
      }
      Message.Failures.Kind k = Message.Failures.Kind.values()[kind - 1];
      byte[] key = readBytes(p);
      int failures = p.readUnsignedShort();
      if (!Message.Failures.Count.validKey(k, key.length) || failures == 0) {
        throw new ProtocolException(
            ErrorCode.PROTOCOL_ERROR,
            "bad FAILURES count: " + k + " key of " + key.length + " bytes, " + failures);
      }
      counts.add(new Message.Failures.Count(k, key, failures));
    }
    return new Message.Failures(counts);
  }

  private static void writeString(ByteBuf out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_STRING) {
      throw new IllegalArgumentException("string field longer than " + MAX_STRING + " bytes");
    }
    out.writeShort(b.length);
    out.writeBytes(b);
  }

  private static void writeBytes(ByteBuf out, byte[] b) {
    out.writeShort(b.length);
    out.writeBytes(b);
  }

  private static String readString(ByteBuf p) throws ProtocolException {
    int len = p.readUnsignedShort();
    if (len > MAX_STRING) {
      throw new ProtocolException(
          ErrorCode.PROTOCOL_ERROR, "string field of " + len + " bytes exceeds " + MAX_STRING);
    }
    String s = Utf8.read(p, len, ErrorCode.PROTOCOL_ERROR);
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "control character in string field");
      }
    }
    return s;
  }

  private static byte[] readBytes(ByteBuf p) {
    int len = p.readUnsignedShort();
    if (len > p.readableBytes()) {
      throw new IndexOutOfBoundsException(); // before allocating what the sender only claims
    }
    byte[] b = new byte[len];
    p.readBytes(b);
    return b;
  }
}
