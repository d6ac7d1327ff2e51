package dev.switchboard.cli.cloud;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.Provider;
import dev.switchboard.cloud.StateDir;
import dev.switchboard.cloud.azure.AzureProvider;
import dev.switchboard.cloud.azure.AzureSettings;
import dev.switchboard.cloud.local.LocalProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every provisioning command shares: which provider, where state lives, and Azure's
 * coordinates.
 */
public final class CloudOptions {
  @Option(
      names = "--provider",
      defaultValue = "${env:SWITCHBOARD_PROVIDER:-local}",
      description = "local (default: this machine) or azure.")
  String provider;

  @Option(
      names = "--state-dir",
      description =
          "Where state is kept (default: $XDG_CONFIG_HOME/switchboard or ~/.config/switchboard).")
  Path stateDir;

  @Option(
      names = "--subscription",
      defaultValue = "${env:AZURE_SUBSCRIPTION_ID}",
      description = "Azure subscription id.")
  String subscription;

  @Option(
      names = "--tenant",
      defaultValue = "${env:AZURE_TENANT_ID}",
      description = "Azure tenant id.")
  String tenant;

  @Option(
      names = "--resource-group",
      defaultValue = "${env:SWITCHBOARD_AZURE_RESOURCE_GROUP}",
      description = "Azure resource group (must exist).")
  String resourceGroup;

  @Option(
      names = "--location",
      defaultValue = "${env:SWITCHBOARD_AZURE_LOCATION}",
      description = "Azure region, e.g. westeurope.")
  String location;

  @Option(
      names = "--azure-endpoint",
      hidden = true,
      defaultValue = "${env:SWITCHBOARD_AZURE_ENDPOINT}")
  String azureEndpoint;

  @Option(names = "--azure-ca", hidden = true, defaultValue = "${env:SWITCHBOARD_AZURE_CA}")
  Path azureCa;

  @Option(names = "--azure-token", hidden = true, defaultValue = "${env:AZURE_ACCESS_TOKEN}")
  String azureToken;

  @Option(
      names = "--container-engine",
      defaultValue = "${env:SWITCHBOARD_CONTAINER_ENGINE:-auto}",
      description =
          "local provider: auto (docker or podman if one answers, else processes), none, docker, podman.")
  String containerEngine;

  @Option(names = "--local-probe-interval-ms", hidden = true, defaultValue = "5000")
  long localProbeIntervalMs;

  Path stateDir() {
    return stateDir != null ? stateDir : StateDir.defaultDir();
  }

  /** Opens the chosen provider; nothing is contacted yet. */
  Cloud open() {
    return new Cloud(provider(false), stateDir());
  }

  /**
   * Opens the chosen provider for a dry run: Azure needs no subscription, resource group or region
   * (placeholders stand in for what is missing) and no credential.
   */
  Cloud openForPlan() {
    return new Cloud(provider(true), stateDir());
  }

  /** Where a dry run's resources would go, for providers that have such coordinates. */
  Optional<String> planTarget() {
    return "azure".equals(provider)
        ? Optional.of(
            "  in "
                + AzureSettings.forPlan(subscription, tenant, resourceGroup, location).describe())
        : Optional.empty();
  }

  private Provider provider(boolean planOnly) {
    if (planOnly && "azure".equals(provider)) {
      return AzureProvider.connect(
          AzureSettings.forPlan(subscription, tenant, resourceGroup, location));
    }
    switch (provider) {
      case "local":
        return new LocalProvider(
            stateDir(),
            LocalProvider.Options.defaults()
                .withProbeInterval(Duration.ofMillis(localProbeIntervalMs))
                .withContainerEngine(containerEngine));
      case "azure":
        return AzureProvider.connect(
            new AzureSettings(
                subscription,
                tenant,
                resourceGroup,
                location,
                azureEndpoint,
                azureToken == null || azureToken.isBlank()
                    ? null
                    : AzureSettings.staticToken(azureToken),
                azureCa == null ? null : AzureSettings.httpClientTrusting(azureCa)));
      default:
        throw new CliException(
            ExitCodes.USAGE, "--provider must be local or azure, got '" + provider + "'");
    }
  }
}
