package dev.switchboard.cloud.azure;

import static dev.switchboard.cloud.azure.AzureProviderArmStubTest.ACI;
import static dev.switchboard.cloud.azure.AzureProviderArmStubTest.NET;
import static dev.switchboard.cloud.azure.AzureProviderArmStubTest.RG;
import static dev.switchboard.cloud.azure.AzureProviderArmStubTest.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.RunSpec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The Azure provider against the ARM stub's strict answers: throttling, conflicts, stale etags,
 * refused bodies, lists without instance views, partial failures and expired tokens.
 */
class AzureArmStrictnessTest {
  @TempDir Path dir;
  ArmStub arm;
  AzureProvider provider;
  Cloud cloud;

  @BeforeAll
  static void pollWithoutWaiting() {
    ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(d -> Duration.ofMillis(5));
  }

  @BeforeEach
  void start() throws Exception {
    arm = new ArmStub(dir);
    TokenCredential token =
        request -> Mono.just(new AccessToken("stub-token", OffsetDateTime.now().plusHours(1)));
    provider = AzureProvider.connect(settings(token));
    cloud = new Cloud(provider, dir);
  }

  private AzureSettings settings(TokenCredential token) throws Exception {
    SslContext tls = SslContextBuilder.forClient().trustManager(arm.certificate()).build();
    HttpClient http =
        new NettyAsyncHttpClientBuilder(
                reactor.netty.http.client.HttpClient.create().secure(s -> s.sslContext(tls)))
            .build();
    return new AzureSettings(SUB, null, RG, "westeurope", arm.url(), token, http);
  }

  @AfterEach
  void stop() {
    arm.close();
  }

  private long count(String request) {
    return arm.requests().stream().filter(r -> r.toString().equals(request)).count();
  }

  private void voip() {
    cloud.createIp("voip", true, false);
    cloud.select("voip");
    arm.clear();
  }

  private static RunSpec spec(String name, String... ports) {
    return new RunSpec(
        name,
        "asterisk:latest",
        null,
        true,
        ExposedPort.parseAll(List.of(ports)),
        true,
        RestartPolicy.ALWAYS);
  }

  @Test
  void throttlingIsWaitedOutAsRetryAfterSays() {
    voip();
    arm.failNext("PUT loadBalancers/voip-lb", 429, "TooManyRequests", "1");
    cloud.run(spec("sip", "5060:udp"));
    assertThat(count("PUT loadBalancers/voip-lb")).isEqualTo(2);
    assertThat(arm.resource(NET + "loadBalancers/voip-lb").toString()).contains("rule-5060-UDP");
  }

  @Test
  void aConflictFailsTheRunAndLeavesNoOrphanGroup() {
    voip();
    arm.failNext("PUT loadBalancers/voip-lb", 409, "AnotherOperationInProgress", null);
    assertThatThrownBy(() -> cloud.run(spec("sip", "5060:udp")))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.PROVIDER))
        .hasMessageContaining("AnotherOperationInProgress")
        .hasMessageContaining("container group sip was deleted again");
    assertThat(arm.resource(ACI + "sip")).isNull();
    assertThat(cloud.listGroups()).isEmpty();
  }

  @Test
  void aFailureAfterTheLoadBalancerWriteTakesTheGroupsRulesOutAgain() {
    voip();
    arm.failNext("PUT networkSecurityGroups/voip-lb-nsg", 409, "AnotherOperationInProgress", null);
    assertThatThrownBy(() -> cloud.run(spec("sip", "5060:udp")))
        .hasMessageContaining("AnotherOperationInProgress")
        .hasMessageContaining("was deleted again");
    assertThat(arm.resource(ACI + "sip")).isNull();
    assertThat(arm.resource(NET + "loadBalancers/voip-lb").toString())
        .doesNotContain("rule-5060-UDP", "pool-sip", "probe-sip");
    assertThat(arm.resource(NET + "networkSecurityGroups/voip-lb-nsg").toString())
        .doesNotContain("allow-sip");
  }

  @Test
  void aStaleEtagIsReadAgainSoAConcurrentChangeIsNotLost() {
    voip();
    // Between our read and our write another writer adds a rule (and the etag changes).
    arm.beforeNext(
        "PUT loadBalancers/voip-lb",
        () -> {
          ObjectNode lb = arm.resource(NET + "loadBalancers/voip-lb");
          ArrayNode rules = ((ObjectNode) lb.path("properties")).withArray("loadBalancingRules");
          rules
              .addObject()
              .put("name", "rule-9999-TCP")
              .putObject("properties")
              .put("protocol", "Tcp")
              .put("frontendPort", 9999)
              .put("backendPort", 9999);
          arm.touch(NET + "loadBalancers/voip-lb");
        });
    cloud.run(spec("sip", "5060:udp"));
    List<ArmStub.Request> puts =
        arm.changes().stream()
            .filter(r -> r.toString().equals("PUT loadBalancers/voip-lb"))
            .toList();
    assertThat(puts).hasSize(2);
    assertThat(puts.get(0).ifMatch()).isNotEqualTo(puts.get(1).ifMatch());
    assertThat(arm.resource(NET + "loadBalancers/voip-lb").toString())
        .contains("rule-9999-TCP", "rule-5060-UDP");
  }

  @Test
  void limitsAreRefusedBeforeAnyCallAndTheStubRefusesThemToo() {
    voip();
    assertThatThrownBy(() -> cloud.run(spec("many", "5060:udp", "5060:tcp", "5061-5064:udp")))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID))
        .hasMessageContaining("would open 6 ports; Azure Container Instances allows 5");
    assertThatThrownBy(() -> cloud.run(spec("high", "65535:udp")))
        .hasMessageContaining("frontend ports are 0-65534");
    assertThat(arm.requests()).isEmpty();

    // Past the CLI's check, ARM (the stub) refuses the body itself.
    PublicIp ip = provider.findIp("voip").orElseThrow();
    assertThatThrownBy(
            () -> provider.run(spec("many", "5060:udp", "5060:tcp", "5061-5064:udp"), ip))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining("at most 5 ports");
    assertThat(arm.resource(ACI + "many")).isNull();
  }

  @Test
  void aSubnetWithoutItsSecurityGroupIsRefused() {
    voip();
    ObjectNode subnet =
        (ObjectNode)
            arm.resource(NET + "virtualNetworks/voip-lb-vnet")
                .path("properties")
                .path("subnets")
                .get(0)
                .path("properties");
    subnet.remove("networkSecurityGroup");
    assertThatThrownBy(() -> cloud.run(spec("sip", "5060:udp")))
        .hasMessageContaining("has no network security group");
  }

  @Test
  void lsReadsEachGroupsInstanceViewBecauseTheListLeavesItOut() {
    voip();
    cloud.run(spec("sip", "5060:udp"));
    arm.clear();
    assertThat(cloud.listGroups().get(0).state()).isEqualTo("Running");
    assertThat(count("GET containerGroups")).isEqualTo(1);
    assertThat(count("GET containerGroups/sip")).isEqualTo(1);
  }

  @Test
  void aFailedIpCreateRemovesWhatItMadeAndIpRmGoesByWhatExists() {
    arm.failNext("PUT loadBalancers/voip-lb", 400, "InvalidRequestFormat", null);
    assertThatThrownBy(() -> cloud.createIp("voip", true, false))
        .hasMessageContaining("InvalidRequestFormat")
        .hasMessageContaining("removed again");
    assertThat(arm.resource(NET + "publicIPAddresses/voip")).isNull();
    assertThat(arm.resource(NET + "virtualNetworks/voip-lb-vnet")).isNull();
    assertThat(arm.resource(NET + "networkSecurityGroups/voip-lb-nsg")).isNull();

    // Tags that say "no load balancer" although one exists: ip rm removes it all the same.
    cloud.createIp("voip", true, false);
    ((ObjectNode) arm.resource(NET + "publicIPAddresses/voip").path("tags"))
        .put("has_load_balancer", "false")
        .remove("lb_name");
    arm.clear();
    cloud.removeIp("voip");
    assertThat(arm.changes())
        .extracting(ArmStub.Request::toString)
        .containsExactly(
            "DELETE loadBalancers/voip-lb",
            "DELETE virtualNetworks/voip-lb-vnet",
            "DELETE networkSecurityGroups/voip-lb-nsg",
            "DELETE publicIPAddresses/voip");
  }

  @Test
  void aStaticTokenPastItsExpirySaysSoInsteadOfFailingForever() throws Exception {
    String claims =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"exp\":1800000000}".getBytes(StandardCharsets.UTF_8));
    String jwt = "eyJhbGciOiJub25lIn0." + claims + ".sig";
    Clock before = Clock.fixed(Instant.ofEpochSecond(1_799_999_000L), ZoneOffset.UTC);
    Clock after = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
    try (Cloud valid =
        new Cloud(AzureProvider.connect(settings(AzureSettings.staticToken(jwt, before))), dir)) {
      assertThat(valid.listIps()).isEmpty();
    }
    assertThat(arm.authorizations()).containsOnly("Bearer " + jwt);
    arm.clear();
    try (Cloud expired =
        new Cloud(AzureProvider.connect(settings(AzureSettings.staticToken(jwt, after))), dir)) {
      assertThatThrownBy(expired::listIps)
          .hasMessageContaining("expired at 2027-01-15T08:00Z")
          .hasMessageContaining("az account get-access-token");
    }
    assertThat(arm.requests()).isEmpty();
  }
}
