package dev.switchboard.cloud.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import dev.switchboard.cloud.CloudException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Where and as whom the Azure provider works: subscription, resource group and region, plus
 * optional overrides of the Resource Manager endpoint, the credential and the HTTP client (tests
 * point all three at a local ARM stub).
 */
public record AzureSettings(
    String subscriptionId,
    String tenantId,
    String resourceGroup,
    String location,
    String endpoint,
    TokenCredential credential,
    HttpClient httpClient) {

  public AzureSettings {
    // Every missing setting in one message, so a user fixes them in one go.
    List<String> missing = new ArrayList<>();
    require(missing, subscriptionId, "a subscription (--subscription or AZURE_SUBSCRIPTION_ID)");
    require(
        missing,
        resourceGroup,
        "a resource group (--resource-group or SWITCHBOARD_AZURE_RESOURCE_GROUP)");
    require(missing, location, "a region (--location or SWITCHBOARD_AZURE_LOCATION)");
    if (!missing.isEmpty()) {
      String last = missing.remove(missing.size() - 1);
      throw CloudException.invalid(
          "the azure provider needs "
              + (missing.isEmpty() ? last : String.join(", ", missing) + " and " + last));
    }
  }

  /**
   * Settings for a dry run, which contacts nothing: a missing subscription, resource group or
   * region becomes a placeholder such as {@code <subscription>}.
   */
  public static AzureSettings forPlan(
      String subscriptionId, String tenantId, String resourceGroup, String location) {
    return new AzureSettings(
        orPlaceholder(subscriptionId, "<subscription>"),
        tenantId,
        orPlaceholder(resourceGroup, "<resource-group>"),
        orPlaceholder(location, "<location>"),
        null,
        staticToken("dry-run"),
        null);
  }

  /** Where resources would go, as a dry run prints it. */
  public String describe() {
    return "subscription "
        + subscriptionId
        + ", resource group "
        + resourceGroup
        + ", location "
        + location;
  }

  /** A credential that presents one bearer token, e.g. from {@code az account get-access-token}. */
  public static TokenCredential staticToken(String token) {
    return staticToken(token, Clock.systemUTC());
  }

  /**
   * {@link #staticToken(String)} that fails, with a sentence saying what to do, once the token's
   * {@code exp} claim has passed ({@code ip reconcile --watch} outlives a token's hour); a token
   * that is not a JWT is presented as it is.
   */
  public static TokenCredential staticToken(String token, Clock clock) {
    OffsetDateTime expires = StaticTokens.expiry(token).orElse(OffsetDateTime.MAX);
    return request -> {
      if (!clock.instant().isBefore(expires.toInstant())) {
        return Mono.error(
            CloudException.precondition(
                "the Azure access token (--azure-token / AZURE_ACCESS_TOKEN) expired at "
                    + expires
                    + "; get a new one with 'az account get-access-token', or unset it to use"
                    + " the default credential chain, which renews its tokens"));
      }
      return Mono.just(new AccessToken(token, expires));
    };
  }

  /**
   * An HTTP client that also trusts the certificates in a PEM file (a private ARM endpoint such as
   * a test stub).
   */
  public static HttpClient httpClientTrusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> certs = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
      SslContext tls = SslContextBuilder.forClient().trustManager(certs).build();
      return new NettyAsyncHttpClientBuilder(
              reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(tls)))
          .build();
    } catch (IOException | GeneralSecurityException e) {
      throw CloudException.invalid("cannot read certificates from " + pem + ": " + e.getMessage());
    }
  }

  private static void require(List<String> missing, String v, String what) {
    if (v == null || v.isBlank()) {
      missing.add(what);
    }
  }

  private static String orPlaceholder(String v, String placeholder) {
    return v == null || v.isBlank() ? placeholder : v;
  }
}
