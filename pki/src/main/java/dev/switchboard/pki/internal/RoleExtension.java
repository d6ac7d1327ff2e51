package dev.switchboard.pki.internal;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERUTF8String;

/** The Switchboard role extension: OID 1.3.6.1.4.1.59999.1.1, value a DER UTF8String. */
public final class RoleExtension {
  public static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.59999.1.1");

  private RoleExtension() {}

  /** The extension value for a role id. */
  public static DERUTF8String encode(String roleId) {
    return new DERUTF8String(roleId);
  }

  /**
   * Decodes the bytes of {@code X509Certificate.getExtensionValue} (an OCTET STRING wrapping the
   * value); null if they are not a UTF8String.
   */
  public static String decode(byte[] extensionValue) {
    try {
      byte[] inner = ASN1OctetString.getInstance(extensionValue).getOctets();
      ASN1Primitive p = ASN1Primitive.fromByteArray(inner);
      return p instanceof ASN1UTF8String ? ((ASN1UTF8String) p).getString() : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
