package dev.switchboard.broker.internal;

import dev.switchboard.broker.PeerConfig;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What a broker needs from the broker mesh: find a code's owner and claim it; know its peers. */
public interface Mesh {

  /**
   * Asks the peers for the owner of {@code code} and claims it there for {@code sessionId}; the
   * answer names the peer that gave it, so the ticket the controller brings can be checked against
   * it.
   */
  CompletableFuture<Claimed> claim(String code, String sessionId);

  /** A peer's answer to a claim; {@code ownerId} is empty when no peer owns the code. */
  record Claimed(String ownerId, Message.ClaimResult result) {
    static Claimed refused(ErrorCode code) {
      return new Claimed("", new Message.ClaimResult(0, code, new byte[0], new byte[0], ""));
    }

    boolean ok() {
      return result.status() == null;
    }
  }

  /** Tells every connected peer that a session is being resumed here (best effort). */
  default void sessionMoved(Message.SessionMoved m) {}

  /** The certificate a peer presented on the mesh, to verify tickets it signed. */
  Optional<X509Certificate> peerCertificate(String brokerId);

  /** Static configuration of a peer. */
  Optional<PeerConfig> peer(String brokerId);

  /** A broker without peers: no code is ever found elsewhere. */
  Mesh NONE =
      new Mesh() {
        @Override
        public CompletableFuture<Claimed> claim(String code, String sessionId) {
          return CompletableFuture.completedFuture(Claimed.refused(ErrorCode.CODE_UNKNOWN));
        }

        @Override
        public Optional<X509Certificate> peerCertificate(String brokerId) {
          return Optional.empty();
        }

        @Override
        public Optional<PeerConfig> peer(String brokerId) {
          return Optional.empty();
        }
      };
}
