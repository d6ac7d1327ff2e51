package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;

/**
 * A redirect ticket: lets one controller (bound by its certificate fingerprint) attach once, for a
 * few seconds, to one session on one broker. Signed by the broker that owned the code
 * (SHA256withECDSA); the audience broker verifies it with the issuer's certificate.
 */
public final class Ticket {
  private static final int FORMAT = 1;
  private final byte[] id;
  private final String sessionId;
  private final String issuer;
  private final String audience;
  private final byte[] controllerFingerprint;
  private final long expiresAtMillis;
  private final byte[] signature;

  private Ticket(
      byte[] id,
      String sessionId,
      String issuer,
      String audience,
      byte[] controllerFingerprint,
      long expiresAtMillis,
      byte[] signature) {
    this.id = id;
    this.sessionId = sessionId;
    this.issuer = issuer;
    this.audience = audience;
    this.controllerFingerprint = controllerFingerprint;
    this.expiresAtMillis = expiresAtMillis;
    this.signature = signature;
  }

  /** Creates and signs a ticket. */
  public static Ticket issue(
      byte[] id,
      String sessionId,
      String issuer,
      String audience,
      byte[] controllerFingerprint,
      long expiresAtMillis,
      PrivateKey key) {
    Ticket unsigned =
        new Ticket(
            id, sessionId, issuer, audience, controllerFingerprint, expiresAtMillis, new byte[0]);
    try {
      Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
      s.initSign(key);
      s.update(unsigned.body());
      return new Ticket(
          id, sessionId, issuer, audience, controllerFingerprint, expiresAtMillis, s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign ticket: " + e.getMessage(), e);
    }
  }

  /** Parses the wire form; throws TICKET_INVALID if it is not a well-formed ticket. */
  public static Ticket parse(byte[] wire) throws ProtocolException {
    ByteBuf b = Unpooled.wrappedBuffer(wire);
    try {
      if (b.readUnsignedByte() != FORMAT) {
        throw new ProtocolException(ErrorCode.TICKET_INVALID, "unknown ticket format");
      }
      byte[] id = bytes(b);
      String session = string(b);
      String issuer = string(b);
      String audience = string(b);
      byte[] fp = bytes(b);
      long expires = b.readLong();
      byte[] sig = bytes(b);
      if (b.isReadable()) {
        throw new ProtocolException(ErrorCode.TICKET_INVALID, "trailing bytes in ticket");
      }
      return new Ticket(id, session, issuer, audience, fp, expires, sig);
    } catch (IndexOutOfBoundsException e) {
      throw new ProtocolException(ErrorCode.TICKET_INVALID, "truncated ticket");
    }
  }

  /** True if the signature was made by the private key of {@code issuerKey}. */
  public boolean verify(PublicKey issuerKey) {
    try {
      Signature s = Signature.getInstance(algorithm(issuerKey.getAlgorithm()));
      s.initVerify(issuerKey);
      s.update(body());
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The wire form, signature included. */
  public byte[] toBytes() {
    ByteBuf b = Unpooled.buffer();
    b.writeBytes(body());
    b.writeShort(signature.length);
    b.writeBytes(signature);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private byte[] body() {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(FORMAT);
    b.writeShort(id.length).writeBytes(id);
    writeString(b, sessionId);
    writeString(b, issuer);
    writeString(b, audience);
    b.writeShort(controllerFingerprint.length).writeBytes(controllerFingerprint);
    b.writeLong(expiresAtMillis);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private static String algorithm(String keyAlgorithm) {
    return "EC".equals(keyAlgorithm) ? "SHA256withECDSA" : keyAlgorithm; // Ed25519 signs directly
  }

  private static void writeString(ByteBuf b, String s) {
    byte[] x = s.getBytes(StandardCharsets.UTF_8);
    b.writeShort(x.length).writeBytes(x);
  }

  private static byte[] bytes(ByteBuf b) {
    int length = b.readUnsignedShort();
    if (length > b.readableBytes()) {
      throw new IndexOutOfBoundsException(); // before allocating what the sender only claims
    }
    byte[] x = new byte[length];
    b.readBytes(x);
    return x;
  }

  private static String string(ByteBuf b) throws ProtocolException {
    return Utf8.read(b, b.readUnsignedShort(), ErrorCode.TICKET_INVALID);
  }

  public byte[] id() {
    return id.clone();
  }

  public String sessionId() {
    return sessionId;
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  public byte[] controllerFingerprint() {
    return controllerFingerprint.clone();
  }

  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /** True if this ticket was issued for the controller with the given fingerprint. */
  public boolean boundTo(byte[] fingerprint) {
    return MessageDigest.isEqual(controllerFingerprint, fingerprint);
  }

  @Override
  public String toString() {
    // Never log the signature: the ticket is a bearer credential until used.
    return "Ticket[session="
        + sessionId
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + ", id="
        + Arrays.hashCode(id)
        + "]";
  }
}
