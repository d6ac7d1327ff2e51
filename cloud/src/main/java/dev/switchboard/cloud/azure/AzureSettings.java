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

  private static void require(String v, String what) {
    if (v == null || v.isBlank()) {
      throw CloudException.invalid("the azure provider needs " + what);
    }
  }
}
