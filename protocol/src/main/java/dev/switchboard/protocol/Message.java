package dev.switchboard.protocol;

import java.util.Arrays;

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

  /** A refusal or protocol error in the control phase. */
  record Error(ErrorCode code, String message) implements Message {
    public int type() {
      return MessageType.ERROR;
    }
  }
}
