package dev.switchboard.cloud.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import dev.switchboard.cloud.CloudException;

/**
 * Where and as whom the Azure provider works: subscription, resource group and region, plus optional overrides of
 * the Resource Manager endpoint, the credential and the HTTP client (tests point all three at a local ARM stub).
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
    require(subscriptionId, "a subscription (--subscription or AZURE_SUBSCRIPTION_ID)");
    require(resourceGroup, "a resource group (--resource-group or SWITCHBOARD_AZURE_RESOURCE_GROUP)");
    require(location, "a region (--location or SWITCHBOARD_AZURE_LOCATION)");
  }

  /** A credential that presents one bearer token, e.g. from {@code az account get-access-token}. */
  public static TokenCredential staticToken(String token) {
    return request ->
        reactor.core.publisher.Mono.just(
            new com.azure.core.credential.AccessToken(token, java.time.OffsetDateTime.MAX));
  }

  /** An HTTP client that also trusts the certificates in a PEM file (a private ARM endpoint such as a test stub). */
  public static HttpClient httpClientTrusting(java.nio.file.Path pem) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(pem)) {
      java.util.List<java.security.cert.X509Certificate> certs = new java.util.ArrayList<>();
      for (java.security.cert.Certificate c :
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((java.security.cert.X509Certificate) c);
      }
      io.netty.handler.ssl.SslContext tls =
          io.netty.handler.ssl.SslContextBuilder.forClient().trustManager(certs).build();
      return new com.azure.core.http.netty.NettyAsyncHttpClientBuilder(
              reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(tls)))
          .build();
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw CloudException.invalid("cannot read certificates from " + pem + ": " + e.getMessage());
    }
  }

  private static void require(String v, String what) {
    if (v == null || v.isBlank()) {
      throw CloudException.invalid("the azure provider needs " + what);
    }
  }
}
