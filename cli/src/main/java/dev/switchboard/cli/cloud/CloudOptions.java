package dev.switchboard.cli.cloud;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Home;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.Provider;
import dev.switchboard.cloud.StateDir;
import dev.switchboard.cloud.azure.AzureProvider;
import dev.switchboard.cloud.azure.AzureSettings;
import dev.switchboard.cloud.local.LocalProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options every provisioning command shares: which provider, where state lives, and Azure's
 * coordinates.
 */
public final class CloudOptions {
  @Option(
      names = "--provider",
      paramLabel = "local|azure",
      defaultValue = "${env:SWITCHBOARD_PROVIDER:-local}",
      description = "local (default: this machine) or azure; or $SWITCHBOARD_PROVIDER.")
  String provider;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where state is kept (default: $XDG_CONFIG_HOME/switchboard, else "
              + "$HOME/.config/switchboard).")
  Path stateDir;

  @Option(
      names = "--container-engine",
      paramLabel = "ENGINE",
      defaultValue = "${env:SWITCHBOARD_CONTAINER_ENGINE:-auto}",
      description =
          "local provider: auto (docker or podman if one answers, else processes), none, docker, podman.")
  String containerEngine;

  // A group only so that help lists them apart: local commands do not need them.
  @ArgGroup(heading = "Azure options (--provider azure):%n", exclusive = false, validate = false)
  Azure azure = new Azure();

  /** Azure's coordinates; each falls back to its environment variable. */
  static final class Azure {
    @Option(
        names = "--subscription",
        paramLabel = "ID",
        description = "Azure subscription id (default: $AZURE_SUBSCRIPTION_ID).")
    String subscription;

    @Option(
        names = "--tenant",
        paramLabel = "ID",
        description = "Azure tenant id (default: $AZURE_TENANT_ID).")
    String tenant;

    @Option(
        names = "--resource-group",
        paramLabel = "NAME",
        description =
            "Azure resource group, must exist (default: $SWITCHBOARD_AZURE_RESOURCE_GROUP).")
    String resourceGroup;

    @Option(
        names = "--location",
        paramLabel = "REGION",
        description = "Azure region, e.g. westeurope (default: $SWITCHBOARD_AZURE_LOCATION).")
    String location;

    private static String or(String given, String env) {
      return given != null ? given : System.getenv(env);
    }

    /** For a dry run: what is given or in the environment, placeholders for the rest. */
    AzureSettings forPlan() {
      return AzureSettings.forPlan(
          or(subscription, "AZURE_SUBSCRIPTION_ID"),
          or(tenant, "AZURE_TENANT_ID"),
          or(resourceGroup, "SWITCHBOARD_AZURE_RESOURCE_GROUP"),
          or(location, "SWITCHBOARD_AZURE_LOCATION"));
    }
  }

  @Option(
      names = "--azure-endpoint",
      hidden = true,
      defaultValue = "${env:SWITCHBOARD_AZURE_ENDPOINT}")
  String azureEndpoint;

  @Option(names = "--azure-ca", hidden = true, defaultValue = "${env:SWITCHBOARD_AZURE_CA}")
  Path azureCa;

  @Option(names = "--azure-token", hidden = true, defaultValue = "${env:AZURE_ACCESS_TOKEN}")
  String azureToken;

  @Option(names = "--local-probe-interval-ms", hidden = true, defaultValue = "5000")
  long localProbeIntervalMs;

  Path stateDir() {
    return stateDir != null ? stateDir : StateDir.defaultDir(System.getenv(), Home.dir());
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
        ? Optional.of("  in " + azure.forPlan().describe())
        : Optional.empty();
  }

  private Provider provider(boolean planOnly) {
    if (planOnly && "azure".equals(provider)) {
      return AzureProvider.connect(azure.forPlan());
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
                Azure.or(azure.subscription, "AZURE_SUBSCRIPTION_ID"),
                Azure.or(azure.tenant, "AZURE_TENANT_ID"),
                Azure.or(azure.resourceGroup, "SWITCHBOARD_AZURE_RESOURCE_GROUP"),
                Azure.or(azure.location, "SWITCHBOARD_AZURE_LOCATION"),
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
