package dev.switchboard.cloud.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.network.NetworkManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the SDK managers for {@link AzureSettings}: real Azure by default, or another Resource
 * Manager endpoint.
 */
final class AzureClients {
  private AzureClients() {}

  static AzureProvider connect(AzureSettings s) {
    AzureEnvironment env = environment(s.endpoint());
    AzureProfile profile = new AzureProfile(s.tenantId(), s.subscriptionId(), env);
    TokenCredential credential =
        s.credential() != null ? s.credential() : credential(s.tenantId(), env);
    NetworkManager.Configurable net = NetworkManager.configure().withPolicy(new IfMatchPolicy());
    ContainerInstanceManager.Configurable aci = ContainerInstanceManager.configure();
    if (s.httpClient() != null) {
      net.withHttpClient(s.httpClient());
      aci.withHttpClient(s.httpClient());
    }
    return new AzureProvider(
        s, net.authenticate(credential, profile), aci.authenticate(credential, profile));
  }

  /** The default credential chain, in {@code --tenant} when one is given. */
  static TokenCredential credential(String tenantId, AzureEnvironment env) {
    DefaultAzureCredentialBuilder b =
        new DefaultAzureCredentialBuilder().authorityHost(env.getActiveDirectoryEndpoint());
    if (tenantId != null && !tenantId.isBlank()) {
      b.tenantId(tenantId);
    }
    return b.build();
  }

  /** Azure public cloud, or the same endpoints with {@code resourceManager} as the ARM endpoint. */
  static AzureEnvironment environment(String resourceManager) {
    if (resourceManager == null || resourceManager.isBlank()) {
      return AzureEnvironment.AZURE;
    }
    String url = resourceManager.endsWith("/") ? resourceManager : resourceManager + "/";
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", url);
    endpoints.put("managementEndpointUrl", url);
    return new AzureEnvironment(endpoints);
  }
}
