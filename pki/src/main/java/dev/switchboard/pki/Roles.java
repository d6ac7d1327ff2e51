package dev.switchboard.pki;

import dev.switchboard.pki.internal.RoleExtension;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Reads the Switchboard role and name out of certificates. */
public final class Roles {
  /** OID of the non-critical extension that carries the role id as a UTF8String. */
  public static final String ROLE_EXTENSION_OID = RoleExtension.OID.getId();

  private Roles() {}

  /**
   * The certificate's role: from the role extension, else from the subject's OU; empty if neither
   * names a role, if either is malformed, or if both are present and disagree.
   */
  public static Optional<Role> roleOf(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(ROLE_EXTENSION_OID);
    String fromExt = ext == null ? null : RoleExtension.decode(ext);
    if (ext != null && fromExt == null) {
      return Optional.empty();
    }
    RDN[] ous = subject(cert).getRDNs(BCStyle.OU);
    if (ous.length > 1) {
      return Optional.empty();
    }
    String fromOu = ous.length == 1 ? value(ous[0]) : null;
    if (fromExt != null && fromOu != null && !fromExt.equals(fromOu)) {
      return Optional.empty();
    }
    String id = fromExt != null ? fromExt : fromOu;
    return id == null ? Optional.empty() : Optional.ofNullable(Role.fromId(id));
  }

  /** The subject's common name, or an empty string if it has none. */
  public static String nameOf(X509Certificate cert) {
    RDN[] cns = subject(cert).getRDNs(BCStyle.CN);
    return cns.length == 0 ? "" : value(cns[0]);
  }

  private static X500Name subject(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  private static String value(RDN rdn) {
    ASN1Encodable v = rdn.getFirst().getValue();
    return v instanceof ASN1String ? ((ASN1String) v).getString() : IETFUtils.valueToString(v);
  }
}
