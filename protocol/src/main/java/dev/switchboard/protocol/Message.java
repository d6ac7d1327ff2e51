package dev.switchboard.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Every message of the client-broker and broker-broker protocols, one record each. */
public sealed interface Message {

  /** The wire type byte of this message. */
  int type();

  /** First message from a client or peer: the range of protocol versions it speaks. */
  record Hello(int minVersion, int maxVersion, String software) implements Message {
    public int type() {
      return MessageType.HELLO;
    }
  }

  /** The broker's answer to Hello: the chosen version and who it is. */
  record HelloOk(int version, String brokerId) implements Message {
    public int type() {
      return MessageType.HELLO_OK;
    }
  }

  /** Application-level latency probe; answered by a Pong with the same nonce. */
  record Ping(long nonce) implements Message {
    public int type() {
      return MessageType.PING;
    }
  }

  /** Answer to Ping. */
  record Pong(long nonce) implements Message {
    public int type() {
      return MessageType.PONG;
    }
  }

  /** A controller asks for a connection code. */
  record CodeRequest() implements Message {
    public int type() {
      return MessageType.CODE_REQUEST;
    }
  }

  /** The connection code issued to a controller, valid until expiresAtMillis (epoch ms). */
  record Code(String code, long expiresAtMillis) implements Message {
    public int type() {
      return MessageType.CODE;
    }
  }

  /** A target joins the session of a code. */
  record Join(String code) implements Message {
    public int type() {
      return MessageType.JOIN;
    }
  }

  /** The join was accepted; the target now waits for SessionStart. */
  record Joined(String sessionId) implements Message {
    public int type() {
      return MessageType.JOINED;
    }
  }

  /** Tells a waiting controller to reconnect to another broker and attach with the ticket. */
  record Redirect(String brokerId, String host, int port, byte[] ticket) implements Message {
    public int type() {
      return MessageType.REDIRECT;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Redirect r
          && r.brokerId.equals(brokerId)
          && r.host.equals(host)
          && r.port == port
          && Arrays.equals(r.ticket, ticket);
    }

    @Override
    public int hashCode() {
      return brokerId.hashCode() * 31 + Arrays.hashCode(ticket);
    }
  }

  /** A redirected controller attaches to the session named in its ticket. */
  record Attach(byte[] ticket) implements Message {
    public int type() {
      return MessageType.ATTACH;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Attach a && Arrays.equals(a.ticket, ticket);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ticket);
    }
  }

  /** Both sides are attached; every frame after this one belongs to the relay phase. */
  record SessionStart(String sessionId, String peerName) implements Message {
    public int type() {
      return MessageType.SESSION_START;
    }
  }

  /**
   * A client whose relay broke asks to resume its session: its credential (from the last
   * CREDENTIAL), and how much of the peer's stream it has received.
   */
  record Resume(byte[] credential, long receivedBytes, boolean receivedEof) implements Message {
    public int type() {
      return MessageType.RESUME;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Resume r
          && Arrays.equals(r.credential, credential)
          && r.receivedBytes == receivedBytes
          && r.receivedEof == receivedEof;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(credential) * 31 + Long.hashCode(receivedBytes);
    }

    @Override
    public String toString() {
      // The credential stays out of logs.
      return "Resume[receivedBytes=" + receivedBytes + ", receivedEof=" + receivedEof + "]";
    }
  }

  /**
   * Both sides resumed: relaying starts again; each side retransmits from what the peer received.
   */
  record SessionResumed(
      String sessionId,
      String peerName,
      int generation,
      long peerReceivedBytes,
      boolean peerReceivedEof)
      implements Message {
    public int type() {
      return MessageType.SESSION_RESUMED;
    }
  }

  /** Relay phase, between the clients: how much of the peer's stream the sender has received. */
  record Ack(long receivedBytes, boolean receivedEof) implements Message {
    public int type() {
      return MessageType.ACK;
    }
  }

  /** Relay phase, broker to client: a fresh resumption credential for this session. */
  record Credential(byte[] credential) implements Message {
    public int type() {
      return MessageType.CREDENTIAL;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Credential c && Arrays.equals(c.credential, credential);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(credential);
    }

    @Override
    public String toString() {
      return "Credential[" + credential.length + " bytes]";
    }
  }

  /** Relayed bytes. */
  record Data(byte[] bytes) implements Message {
    public int type() {
      return MessageType.DATA;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data d && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  /** The sender will send no more Data (half-close). */
  record Eof() implements Message {
    public int type() {
      return MessageType.EOF;
    }
  }

  /** The session ends, with the reason. */
  record Close(ErrorCode reason, String message) implements Message {
    public int type() {
      return MessageType.CLOSE;
    }
  }

  /** Broker-to-broker greeting on the mesh port. */
  record MeshHello(String brokerId) implements Message {
    public int type() {
      return MessageType.MESH_HELLO;
    }
  }

  /**
   * A session is being resumed at {@code brokerId} in {@code generation}: credentials of older
   * generations are stale, and a relay of it elsewhere is suspended.
   */
  record SessionMoved(String sessionId, int generation, String brokerId) implements Message {
    public int type() {
      return MessageType.SESSION_MOVED;
    }
  }

  /** A broker claims a code owned by a peer for a target that joined it. */
  record Claim(long requestId, String code, String claimantBrokerId, String sessionId)
      implements Message {
    public int type() {
      return MessageType.CLAIM;
    }
  }

  /**
   * The owner's answer to a Claim: {@code status} is null on success, with the ticket id handed to
   * the controller and the controller's certificate fingerprint.
   */
  record ClaimResult(
      long requestId,
      ErrorCode status,
      byte[] ticketId,
      byte[] controllerFingerprint,
      String controllerName)
      implements Message {
    public int type() {
      return MessageType.CLAIM_RESULT;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClaimResult c
          && c.requestId == requestId
          && c.status == status
          && Arrays.equals(c.ticketId, ticketId)
          && Arrays.equals(c.controllerFingerprint, controllerFingerprint)
          && c.controllerName.equals(controllerName);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId);
    }
  }

  /**
   * Failed joins a broker saw since its last report, per source, for its peers to charge to the
   * same sources (docs/protocol.md, "Sharing failures across the mesh").
   */
  record Failures(List<Count> counts) implements Message {
    /** Most counts one message may carry; at 37 bytes each they fit one frame. */
    public static final int MAX_COUNTS = 400;

    /** Most failures one count may carry (u16 on the wire). */
    public static final int MAX_FAILURES = 0xFFFF;

    public Failures {
      counts = List.copyOf(counts);
      if (counts.size() > MAX_COUNTS) {
        throw new IllegalArgumentException(counts.size() + " counts exceed " + MAX_COUNTS);
      }
    }

    public int type() {
      return MessageType.FAILURES;
    }

    /** What a count's key names. */
    public enum Kind {
      /** A source address: 4 bytes (IPv4) or 16 (IPv6, cut to its /64). */
      ADDRESS,
      /** A client certificate: its SHA-256 fingerprint, 32 bytes. */
      CERTIFICATE
    }

    /** {@code failures} (1 to {@link #MAX_FAILURES}) failed joins of the source {@code key}. */
    public record Count(Kind kind, byte[] key, int failures) {
      public Count {
        key = key.clone();
        if (!validKey(kind, key.length) || failures < 1 || failures > MAX_FAILURES) {
          throw new IllegalArgumentException(
              "bad count: " + kind + " key of " + key.length + " bytes, " + failures + " failures");
        }
      }

      @Override
      public byte[] key() {
        return key.clone();
      }

      /** Whether a key of {@code length} bytes fits {@code kind}. */
      public static boolean validKey(Kind kind, int length) {
        return kind == Kind.ADDRESS ? length == 4 || length == 16 : length == 32;
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof Count c
            && c.kind == kind
            && Arrays.equals(c.key, key)
            && c.failures == failures;
      }

      @Override
      public int hashCode() {
        return Arrays.hashCode(key) * 31 + failures;
      }

      @Override
      public String toString() {
        return "Count[" + kind + " " + HexFormat.of().formatHex(key) + " x" + failures + "]";
      }
    }
  }

  /** A refusal or protocol error in the control phase. */
  record Error(ErrorCode code, String message) implements Message {
    public int type() {
      return MessageType.ERROR;
    }
  }
}
