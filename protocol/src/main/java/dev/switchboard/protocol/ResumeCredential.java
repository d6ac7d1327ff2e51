package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * What lets one side of a session resume it on any broker of the mesh after its relay broke: a
 * session record signed by the relaying broker, bound to the holder's certificate and to its
 * peer's, for one generation of the session, until it expires (docs/protocol.md, "Resumption"). It
 * carries the issuer's certificate, so a broker can verify it (against the deployment's CA) after
 * the issuer died.
 */
public final class ResumeCredential {
  private static final int FORMAT = 1;

  /** Largest issuer certificate (DER) a credential may carry. */
  static final int MAX_CERTIFICATE = 4096;

  /** Which side of the session holds the credential. */
  public enum Side {
    CONTROLLER,
    TARGET;

    public Side other() {
      return this == CONTROLLER ? TARGET : CONTROLLER;
    }
  }

  /** The signed fields. */
  public record Body(
      String sessionId,
      Side side,
      int generation,
      byte[] holderFingerprint,
      byte[] peerFingerprint,
      String peerName,
      String issuer,
      byte[] issuerCertificate,
      long expiresAtMillis) {}

  private final Body body;
  private final byte[] signature;

  private ResumeCredential(Body body, byte[] signature) {
    this.body = body;
    this.signature = signature;
  }

  /** Signs {@code body} with the issuing broker's key. */
  public static ResumeCredential issue(Body body, PrivateKey key) {
    try {
      Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
      s.initSign(key);
      s.update(encodeBody(body));
      return new ResumeCredential(body, s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign credential: " + e.getMessage(), e);
    }
  }

  /** Parses the wire form; throws RESUME_INVALID if it is not a well-formed credential. */
  public static ResumeCredential parse(byte[] wire) throws ProtocolException {
    ByteBuf b = Unpooled.wrappedBuffer(wire);
    try {
      if (b.readUnsignedByte() != FORMAT) {
        throw invalid("unknown credential format");
      }
      String session = string(b);
      int side = b.readUnsignedByte();
      if (side < 1 || side > 2) {
        throw invalid("unknown side " + side);
      }
      int generation = b.readInt();
      if (generation < 1) {
        throw invalid("generation " + generation + " < 1");
      }
      byte[] holder = bytes(b, 32);
      byte[] peer = bytes(b, 32);
      String peerName = string(b);
      String issuer = string(b);
      byte[] cert = bytes(b, MAX_CERTIFICATE);
      long expires = b.readLong();
      byte[] sig = bytes(b, 512);
      if (b.isReadable()) {
        throw invalid("trailing bytes in credential");
      }
      Body body =
          new Body(
              session,
              Side.values()[side - 1],
              generation,
              holder,
              peer,
              peerName,
              issuer,
              cert,
              expires);
      return new ResumeCredential(body, sig);
    } catch (IndexOutOfBoundsException e) {
      throw invalid("truncated credential");
    }
  }

  /** True if the signature was made with the private key of {@code issuerKey}. */
  public boolean verify(PublicKey issuerKey) {
    try {
      Signature s = Signature.getInstance(algorithm(issuerKey.getAlgorithm()));
      s.initVerify(issuerKey);
      s.update(encodeBody(body));
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public Body body() {
    return body;
  }

  /** True if the credential was issued to the holder of the certificate with this fingerprint. */
  public boolean heldBy(byte[] fingerprint) {
    return MessageDigest.isEqual(body.holderFingerprint(), fingerprint);
  }

  /** The wire form, signature included. */
  public byte[] toBytes() {
    byte[] b = encodeBody(body);
    byte[] out = new byte[b.length + 2 + signature.length];
    System.arraycopy(b, 0, out, 0, b.length);
    out[b.length] = (byte) (signature.length >>> 8);
    out[b.length + 1] = (byte) signature.length;
    System.arraycopy(signature, 0, out, b.length + 2, signature.length);
    return out;
  }

  private static byte[] encodeBody(Body body) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(FORMAT);
    writeString(b, body.sessionId());
    b.writeByte(body.side().ordinal() + 1);
    b.writeInt(body.generation());
    b.writeShort(body.holderFingerprint().length).writeBytes(body.holderFingerprint());
    b.writeShort(body.peerFingerprint().length).writeBytes(body.peerFingerprint());
    writeString(b, body.peerName());
    writeString(b, body.issuer());
    b.writeShort(body.issuerCertificate().length).writeBytes(body.issuerCertificate());
    b.writeLong(body.expiresAtMillis());
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private static ProtocolException invalid(String why) {
    return new ProtocolException(ErrorCode.RESUME_INVALID, why);
  }

  private static String algorithm(String keyAlgorithm) {
    return "EC".equals(keyAlgorithm) ? "SHA256withECDSA" : keyAlgorithm;
  }

  private static void writeString(ByteBuf b, String s) {
    byte[] x = s.getBytes(StandardCharsets.UTF_8);
    b.writeShort(x.length).writeBytes(x);
  }

  private static byte[] bytes(ByteBuf b, int max) throws ProtocolException {
    int length = b.readUnsignedShort();
    if (length > max) {
      throw invalid("field of " + length + " bytes exceeds " + max);
    }
    if (length > b.readableBytes()) {
      throw new IndexOutOfBoundsException(); // before allocating what the sender only claims
    }
    byte[] x = new byte[length];
    b.readBytes(x);
    return x;
  }

  private static String string(ByteBuf b) throws ProtocolException {
    int length = b.readUnsignedShort();
    if (length > 1024) {
      throw invalid("string of " + length + " bytes exceeds 1024");
    }
    return Utf8.read(b, length, ErrorCode.RESUME_INVALID);
  }

  @Override
  public String toString() {
    // Never log the signature: the credential is half of what resumes a session.
    return "ResumeCredential[session="
        + body.sessionId()
        + ", side="
        + body.side()
        + ", generation="
        + body.generation()
        + ", issuer="
        + body.issuer()
        + "]";
  }
}
