package dev.switchboard.cloud.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.HealthPort;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.ReconcileLoop;
import dev.switchboard.cloud.ReconcileResult;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.Selection;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The Azure provider against a local ARM stub: exact resources, properties, tags, and order of
 * changes.
 */
class AzureProviderArmStubTest {
  static final String SUB = "00000000-0000-0000-0000-000000000001";
  static final String RG = "switchboard-rg";
  static final String NET =
      "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Network/";
  static final String ACI =
      "/subscriptions/"
          + SUB
          + "/resourceGroups/"
          + RG
          + "/providers/Microsoft.ContainerInstance/containerGroups/";

  @TempDir Path dir;
  ArmStub arm;
  Cloud cloud;

  @BeforeAll
  static void pollWithoutWaiting() {
    // Managers read it when they are built: ARM's poll interval (30 s) would only slow tests.
    ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(d -> Duration.ofMillis(5));
  }

  @BeforeEach
  void start() throws Exception {
    arm = new ArmStub(dir);
    SslContext tls = SslContextBuilder.forClient().trustManager(arm.certificate()).build();
    TokenCredential token =
        request -> Mono.just(new AccessToken("stub-token", OffsetDateTime.now().plusHours(1)));
    AzureSettings settings =
        new AzureSettings(
            SUB,
            "00000000-0000-0000-0000-0000000000aa",
            RG,
            "westeurope",
            arm.url(),
            token,
            new NettyAsyncHttpClientBuilder(
                    reactor.netty.http.client.HttpClient.create().secure(s -> s.sslContext(tls)))
                .build());
    cloud = new Cloud(AzureProvider.connect(settings), dir);
  }

  @AfterEach
  void stop() {
    arm.close();
  }

  private static List<String> names(List<ArmStub.Request> rs) {
    List<String> out = new ArrayList<>();
    rs.forEach(r -> out.add(r.toString()));
    return out;
  }

  private ArmStub.Request change(String what) {
    return arm.changes().stream().filter(r -> r.toString().equals(what)).findFirst().orElseThrow();
  }

  @Test
  void ipCreateWithLoadBalancerCreatesIpVnetLoadBalancerThenTagsTheIp() {
    PublicIp ip = cloud.createIp("voip", true, false);

    assertThat(names(arm.changes()))
        .containsExactly(
            "PUT publicIPAddresses/voip",
            "PUT networkSecurityGroups/voip-lb-nsg",
            "PUT virtualNetworks/voip-lb-vnet",
            "PUT loadBalancers/voip-lb",
            "PATCH publicIPAddresses/voip");
    assertThat(arm.changes()).allMatch(r -> r.path().startsWith(NET));
    assertThat(arm.polls()).isGreaterThanOrEqualTo(4);
    JsonNode nsg = change("PUT networkSecurityGroups/voip-lb-nsg").body();
    assertThat(nsg.path("properties").path("securityRules").size()).isZero();
    assertThat(nsg.path("tags").toString())
        .isEqualTo(
            "{\"managed_by\":\"switchboard\",\"purpose\":\"load_balancer\",\"associated_lb\":\"voip-lb\"}");

    JsonNode pip = change("PUT publicIPAddresses/voip").body();
    assertThat(pip.path("location").asText()).isEqualTo("westeurope");
    assertThat(pip.path("sku").path("name").asText()).isEqualTo("Standard");
    assertThat(pip.path("properties").path("publicIPAllocationMethod").asText())
        .isEqualTo("Static");
    assertThat(pip.path("tags").toString())
        .isEqualTo(
            "{\"has_nat_stack\":\"false\",\"has_load_balancer\":\"false\",\"managed_by\":\"switchboard\"}");

    JsonNode vnet = change("PUT virtualNetworks/voip-lb-vnet").body();
    assertThat(vnet.path("properties").path("addressSpace").path("addressPrefixes").get(0).asText())
        .isEqualTo("10.0.0.0/16");
    JsonNode subnet = vnet.path("properties").path("subnets").get(0);
    assertThat(subnet.path("name").asText()).isEqualTo("voip-lb-subnet");
    assertThat(subnet.path("properties").path("addressPrefix").asText()).isEqualTo("10.0.1.0/24");
    assertThat(subnet.path("properties").path("networkSecurityGroup").path("id").asText())
        .isEqualTo(NET + "networkSecurityGroups/voip-lb-nsg");
    JsonNode delegation = subnet.path("properties").path("delegations").get(0);
    assertThat(delegation.path("name").asText()).isEqualTo("aciDelegation");
    assertThat(delegation.path("properties").path("serviceName").asText())
        .isEqualTo("Microsoft.ContainerInstance/containerGroups");
    assertThat(vnet.path("tags").toString())
        .isEqualTo(
            "{\"managed_by\":\"switchboard\",\"purpose\":\"load_balancer\",\"associated_lb\":\"voip-lb\"}");

    JsonNode lb = change("PUT loadBalancers/voip-lb").body();
    assertThat(lb.path("sku").path("name").asText()).isEqualTo("Standard");
    JsonNode fe = lb.path("properties").path("frontendIPConfigurations").get(0);
    assertThat(fe.path("name").asText()).isEqualTo("voip-frontend");
    assertThat(fe.path("properties").path("publicIPAddress").path("id").asText())
        .isEqualTo(NET + "publicIPAddresses/voip");
    assertThat(lb.path("properties").path("backendAddressPools").get(0).path("name").asText())
        .isEqualTo("voip-backend-pool");
    assertThat(lb.path("tags").toString())
        .isEqualTo(
            "{\"managed_by\":\"switchboard\",\"public_ip_name\":\"voip\",\"created_for\":\"bidirectional_containers\"}");

    assertThat(change("PATCH publicIPAddresses/voip").body().path("tags").toString())
        .isEqualTo(
            "{\"has_nat_stack\":\"false\",\"has_load_balancer\":\"true\",\"lb_name\":\"voip-lb\",\"managed_by\":\"switchboard\"}");
    assertThat(ip.address()).isEqualTo("20.50.0.4");
    assertThat(ip.label()).isEqualTo("[with Load Balancer]");
    assertThat(cloud.listIps()).extracting(PublicIp::label).containsExactly("[with Load Balancer]");
  }

  @Test
  void setupLbAddsTheInfrastructureToAnExistingIpAndKeepsItsAddress() {
    PublicIp plain = cloud.createIp("voip", false, false);
    assertThat(plain.label()).isEqualTo("[standalone]");
    arm.clear();
    PublicIp ip = cloud.setupLoadBalancer("voip");
    assertThat(names(arm.changes()))
        .containsExactly(
            "PUT networkSecurityGroups/voip-lb-nsg",
            "PUT virtualNetworks/voip-lb-vnet",
            "PUT loadBalancers/voip-lb",
            "PATCH publicIPAddresses/voip");
    assertThat(ip.address()).isEqualTo(plain.address());
    assertThat(ip.label()).isEqualTo("[with Load Balancer]");
    assertThatThrownBy(() -> cloud.setupLoadBalancer("voip"))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.CONFLICT));
  }

  @Test
  void runWithLoadBalancerDeploysPrivatelyAddsRulesAndProbeThenRegistersTheAddress() {
    cloud.createIp("voip", true, false);
    cloud.select("voip");
    arm.clear();

    ContainerGroup g = cloud.run(spec("voip-server", "5060:udp", "5060:tcp"));

    assertThat(names(arm.changes()))
        .containsExactly(
            "PUT containerGroups/voip-server",
            "PUT loadBalancers/voip-lb",
            "PUT networkSecurityGroups/voip-lb-nsg");
    // Read-modify-write: the PUT is conditional on the etag it read.
    assertThat(change("PUT loadBalancers/voip-lb").ifMatch()).startsWith("W/\"");
    JsonNode cg = change("PUT containerGroups/voip-server").body();
    assertThat(change("PUT containerGroups/voip-server").path()).isEqualTo(ACI + "voip-server");
    JsonNode ipCfg = cg.path("properties").path("ipAddress");
    assertThat(ipCfg.path("type").asText()).isEqualTo("Private");
    assertThat(ipCfg.path("ports").toString())
        .isEqualTo("[{\"port\":5060,\"protocol\":\"UDP\"},{\"port\":5060,\"protocol\":\"TCP\"}]");
    assertThat(cg.path("properties").path("subnetIds").get(0).path("id").asText())
        .isEqualTo(NET + "virtualNetworks/voip-lb-vnet/subnets/voip-lb-subnet");
    JsonNode container = cg.path("properties").path("containers").get(0);
    assertThat(container.path("properties").path("image").asText()).isEqualTo("asterisk:latest");
    assertThat(container.path("properties").path("command").toString())
        .isEqualTo("[\"/bin/sh\",\"-c\",\"./start.sh\"]");
    assertThat(cg.path("properties").path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(cg.path("tags").path("lb_name").asText()).isEqualTo("voip-lb");

    JsonNode lb = change("PUT loadBalancers/voip-lb").body().path("properties");
    assertThat(lb.path("probes").size()).isEqualTo(1);
    JsonNode probe = lb.path("probes").get(0);
    assertThat(probe.path("name").asText()).isEqualTo("probe-voip-server");
    assertThat(probe.path("properties").path("noHealthyBackendsBehavior").asText())
        .isEqualTo("AllProbedDown");
    assertThat(probe.path("properties").path("protocol").asText()).isEqualTo("Tcp");
    assertThat(probe.path("properties").path("port").asInt()).isEqualTo(5060);
    assertThat(probe.path("properties").path("intervalInSeconds").asInt()).isEqualTo(5);
    assertThat(lb.path("loadBalancingRules").size()).isEqualTo(2);
    JsonNode udp = lb.path("loadBalancingRules").get(0);
    assertThat(udp.path("name").asText()).isEqualTo("rule-5060-UDP");
    assertThat(udp.path("properties").path("protocol").asText()).isEqualTo("Udp");
    assertThat(udp.path("properties").path("frontendPort").asInt()).isEqualTo(5060);
    assertThat(udp.path("properties").path("backendPort").asInt()).isEqualTo(5060);
    assertThat(udp.path("properties").path("probe").path("id").asText())
        .isEqualTo(NET + "loadBalancers/voip-lb/probes/probe-voip-server");
    assertThat(udp.path("properties").path("backendAddressPool").path("id").asText())
        .isEqualTo(NET + "loadBalancers/voip-lb/backendAddressPools/pool-voip-server");
    assertThat(udp.path("properties").path("frontendIPConfiguration").path("id").asText())
        .isEqualTo(NET + "loadBalancers/voip-lb/frontendIPConfigurations/voip-frontend");
    assertThat(lb.path("loadBalancingRules").get(1).path("name").asText())
        .isEqualTo("rule-5060-TCP");

    JsonNode pool = lb.path("backendAddressPools").get(1);
    assertThat(pool.path("name").asText()).isEqualTo("pool-voip-server");
    assertThat(
            lb.path("backendAddressPools")
                .get(0)
                .path("properties")
                .path("loadBalancerBackendAddresses")
                .size())
        .isZero();
    JsonNode address = pool.path("properties").path("loadBalancerBackendAddresses").get(0);
    assertThat(address.path("name").asText()).isEqualTo("voip-server-backend-address");
    assertThat(address.path("properties").path("ipAddress").asText()).isEqualTo("10.0.1.4");
    assertThat(address.path("properties").path("virtualNetwork").path("id").asText())
        .isEqualTo(NET + "virtualNetworks/voip-lb-vnet");

    JsonNode rules =
        change("PUT networkSecurityGroups/voip-lb-nsg")
            .body()
            .path("properties")
            .path("securityRules");
    assertThat(rules.toString())
        .contains(
            "\"name\":\"allow-voip-server-tcp\"",
            "\"name\":\"allow-voip-server-udp\"",
            "\"name\":\"allow-probe-voip-server\"",
            "\"sourceAddressPrefix\":\"AzureLoadBalancer\"",
            "\"sourceAddressPrefix\":\"Internet\"",
            "\"destinationAddressPrefix\":\"10.0.1.0/24\"");
    assertThat(rules.size()).isEqualTo(3);

    assertThat(g.privateAddress()).isEqualTo("10.0.1.4");
    assertThat(g.publicAddress()).isNull();
    assertThat(cloud.listGroups()).extracting(ContainerGroup::name).containsExactly("voip-server");
  }

  @Test
  void aUdpOnlyGroupOpensNoExtraPortAndItsProbeNeverTakesItOut() {
    cloud.createIp("voip", true, false);
    cloud.select("voip");
    arm.clear();
    cloud.run(spec("sip", "5060:udp"));
    JsonNode cg = change("PUT containerGroups/sip").body();
    assertThat(cg.path("properties").path("ipAddress").path("ports").toString())
        .isEqualTo("[{\"port\":5060,\"protocol\":\"UDP\"}]");
    JsonNode lb = change("PUT loadBalancers/voip-lb").body().path("properties");
    assertThat(lb.path("loadBalancingRules").size()).isEqualTo(1);
    assertThat(lb.path("loadBalancingRules").get(0).path("name").asText())
        .isEqualTo("rule-5060-UDP");
    JsonNode probe = lb.path("probes").get(0).path("properties");
    assertThat(probe.path("protocol").asText()).isEqualTo("Tcp");
    assertThat(probe.path("noHealthyBackendsBehavior").asText()).isEqualTo("AllProbedUp");
    assertThat(cloud.listGroups().get(0).probe().allProbedUp()).isTrue();
  }

  @Test
  void aHealthPortIsAnHttpProbeAndAnExtraTcpPortOfTheGroup() {
    cloud.createIp("voip", true, false);
    cloud.select("voip");
    arm.clear();
    cloud.run(
        new RunSpec(
            "sip",
            "asterisk:latest",
            null,
            true,
            ExposedPort.parse("5060:udp"),
            true,
            RestartPolicy.ALWAYS,
            HealthPort.parse("8080:http:/healthz")));
    JsonNode cg = change("PUT containerGroups/sip").body();
    assertThat(cg.path("properties").path("ipAddress").path("ports").toString())
        .isEqualTo("[{\"port\":5060,\"protocol\":\"UDP\"},{\"port\":8080,\"protocol\":\"TCP\"}]");
    assertThat(cg.path("tags").path("health_port").asText()).isEqualTo("8080:http:/healthz");
    JsonNode probe =
        change("PUT loadBalancers/voip-lb").body().path("properties").path("probes").get(0);
    assertThat(probe.path("properties").path("protocol").asText()).isEqualTo("Http");
    assertThat(probe.path("properties").path("requestPath").asText()).isEqualTo("/healthz");
    assertThat(probe.path("properties").path("noHealthyBackendsBehavior").asText())
        .isEqualTo("AllProbedDown");
    assertThat(cloud.listGroups().get(0).probe().target()).isEqualTo("http 8080 /healthz");
  }

  @Test
  void reconcileFollowsANewPrivateAddressAndDropsGroupsThatAreGone() {
    cloud.createIp("voip", true, false);
    cloud.select("voip");
    cloud.run(spec("a", "5060:udp"));
    cloud.run(spec("b", "8080:tcp"));
    // Azure restarted "a" with a new address, and "b" was deleted outside switchboard.
    ObjectNode a = arm.resource(ACI + "a");
    ((ObjectNode) a.path("properties").path("ipAddress")).put("ip", "10.0.1.9");
    arm.remove(ACI + "b");
    arm.clear();

    ReconcileResult r = cloud.reconcile("voip");

    assertThat(r.added()).containsExactly("10.0.1.9");
    assertThat(r.removed()).containsExactly("10.0.1.4", "10.0.1.5");
    assertThat(names(arm.changes()))
        .containsExactly("PUT loadBalancers/voip-lb", "PUT networkSecurityGroups/voip-lb-nsg");
    JsonNode pools = arm.changes().get(0).body().path("properties").path("backendAddressPools");
    assertThat(pools.toString()).contains("10.0.1.9").doesNotContain("10.0.1.4", "10.0.1.5");

    arm.clear();
    assertThat(cloud.reconcile("voip").changed()).isFalse();
    assertThat(arm.changes()).isEmpty();
  }

  @Test
  void theReconcileLoopFollowsEachRestart() throws Exception {
    cloud.createIp("voip", true, false);
    cloud.select("voip");
    cloud.run(spec("a", "5060:udp"));
    List<String> pools = new ArrayList<>();
    int[] restarts = {0};
    ReconcileLoop loop =
        new ReconcileLoop(
            cloud,
            interval -> {
              // Between passes Azure restarts the group, which comes back with another private
              // address.
              ((ObjectNode) arm.resource(ACI + "a").path("properties").path("ipAddress"))
                  .put("ip", "10.0.1." + (20 + ++restarts[0]));
            });
    loop.run(
        "voip", Duration.ofSeconds(30), 3, r -> pools.add(String.join(",", r.current())), e -> {});
    assertThat(pools).containsExactly("10.0.1.4", "10.0.1.21", "10.0.1.22");
  }

  @Test
  void rmDeregistersThenDeletesItsRulesThenTheGroupAndIpRmDeletesEverything() {
    cloud.createIp("voip", true, false);
    cloud.select("voip");
    cloud.run(spec("a", "5060:udp", "5060:tcp"));
    cloud.run(spec("b", "8080:tcp"));
    assertThatThrownBy(() -> cloud.removeLoadBalancer("voip")).hasMessageContaining("a, b");
    arm.clear();

    cloud.removeGroup("a");

    assertThat(names(arm.changes()))
        .containsExactly(
            "PUT loadBalancers/voip-lb",
            "PUT networkSecurityGroups/voip-lb-nsg",
            "DELETE containerGroups/a");
    JsonNode lb = arm.changes().get(0).body().path("properties");
    assertThat(lb.path("backendAddressPools"))
        .extracting(p -> p.path("name").asText())
        .containsExactly("voip-backend-pool", "pool-b");
    assertThat(arm.changes().get(1).body().path("properties").path("securityRules").toString())
        .contains("allow-b-tcp")
        .doesNotContain("allow-a-");
    assertThat(lb.path("loadBalancingRules").size()).isEqualTo(1);
    assertThat(lb.path("loadBalancingRules").get(0).path("name").asText())
        .isEqualTo("rule-8080-TCP");
    assertThat(lb.path("probes").size()).isEqualTo(1);
    assertThat(lb.path("probes").get(0).path("name").asText()).isEqualTo("probe-b");
    assertThat(
            lb.path("backendAddressPools")
                .get(1)
                .path("properties")
                .path("loadBalancerBackendAddresses")
                .size())
        .isEqualTo(1);

    cloud.removeGroup("b");
    arm.clear();
    PublicIp kept = cloud.removeLoadBalancer("voip");
    assertThat(names(arm.changes()))
        .containsExactly(
            "DELETE loadBalancers/voip-lb",
            "DELETE virtualNetworks/voip-lb-vnet",
            "DELETE networkSecurityGroups/voip-lb-nsg",
            "PATCH publicIPAddresses/voip");
    assertThat(kept.label()).isEqualTo("[standalone]");
    assertThat(kept.tags()).doesNotContainKey("lb_name");

    arm.clear();
    cloud.removeIp("voip");
    assertThat(names(arm.changes())).containsExactly("DELETE publicIPAddresses/voip");
    assertThat(cloud.listIps()).isEmpty();
    assertThat(cloud.selected()).isEmpty();
  }

  @Test
  void ipRmOfAnIpWithALoadBalancerDeletesLoadBalancerVnetThenIp() {
    cloud.createIp("voip", true, false);
    arm.clear();
    cloud.removeIp("voip");
    assertThat(names(arm.changes()))
        .containsExactly(
            "DELETE loadBalancers/voip-lb",
            "DELETE virtualNetworks/voip-lb-vnet",
            "DELETE networkSecurityGroups/voip-lb-nsg",
            "DELETE publicIPAddresses/voip");
  }

  @Test
  void natStackIsANatGatewayAndADelegatedSubnetUsingIt() {
    PublicIp ip = cloud.createIp("egress", false, true);
    assertThat(names(arm.changes()))
        .containsExactly(
            "PUT publicIPAddresses/egress",
            "PUT natGateways/egress-nat",
            "PUT virtualNetworks/egress-nat-vnet");
    JsonNode nat = change("PUT natGateways/egress-nat").body();
    assertThat(nat.path("sku").path("name").asText()).isEqualTo("Standard");
    assertThat(nat.path("properties").path("publicIpAddresses").get(0).path("id").asText())
        .isEqualTo(NET + "publicIPAddresses/egress");
    JsonNode subnet =
        change("PUT virtualNetworks/egress-nat-vnet")
            .body()
            .path("properties")
            .path("subnets")
            .get(0);
    assertThat(subnet.path("properties").path("natGateway").path("id").asText())
        .isEqualTo(NET + "natGateways/egress-nat");
    assertThat(ip.label()).isEqualTo("[with NAT stack]");
    arm.clear();
    cloud.removeIp("egress");
    assertThat(names(arm.changes()))
        .containsExactly(
            "DELETE virtualNetworks/egress-nat-vnet",
            "DELETE natGateways/egress-nat",
            "DELETE publicIPAddresses/egress");
  }

  @Test
  void useLoadBalancerWithAnIpWithoutOneChangesNothing() {
    cloud.createIp("plain", false, false);
    cloud.select("plain");
    arm.clear();
    assertThatThrownBy(() -> cloud.run(spec("x", "5060:udp")))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.PRECONDITION))
        .hasMessageContaining("has_load_balancer");
    assertThat(arm.changes()).isEmpty();
  }

  @Test
  void withoutUseLoadBalancerTheOldModeGivesTheGroupAPublicIpOfItsOwn() {
    arm.clear();
    ContainerGroup g =
        cloud.run(
            new RunSpec(
                "old",
                "asterisk:latest",
                null,
                true,
                ExposedPort.parse("5060:udp"),
                false,
                RestartPolicy.ALWAYS));
    assertThat(names(arm.changes())).containsExactly("PUT containerGroups/old");
    JsonNode ipCfg = arm.changes().get(0).body().path("properties").path("ipAddress");
    assertThat(ipCfg.path("type").asText()).isEqualTo("Public");
    assertThat(arm.changes().get(0).body().path("properties").has("subnetIds")).isFalse();
    assertThat(g.publicAddress()).startsWith("20.60.0.");
  }

  @Test
  void dryRunPlansWithoutAnyRequest() {
    arm.clear();
    List<String> plan = cloud.planCreateIp("voip", true, false).render();
    plan.addAll(cloud.planRemoveIp("voip").render());
    new Selection(dir, "azure").set("voip");
    plan.addAll(cloud.planRun(spec("voip-server", "5060:udp", "5060:tcp")).render());
    assertThat(arm.requests()).isEmpty();
    assertThat(String.join("\n", plan))
        .contains(
            "create public IP",
            "voip-lb-vnet",
            "10.0.1.0/24",
            "rule-5060-UDP",
            "rule-5060-TCP",
            "probe-voip-server",
            "pool-voip-server",
            "voip-lb-nsg",
            "has_load_balancer=true",
            "created_for=bidirectional_containers",
            "associated_lb=voip-lb");
  }

  @Test
  void theCliSettingsPathTrustsAPemFileAndSendsTheStaticToken() throws Exception {
    Path pem = dir.resolve("arm.pem");
    Files.writeString(
        pem,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(arm.certificate().getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    AzureSettings settings =
        new AzureSettings(
            SUB,
            null,
            RG,
            "westeurope",
            arm.url(),
            AzureSettings.staticToken("cli-token"),
            AzureSettings.httpClientTrusting(pem));
    try (Cloud viaCli = new Cloud(AzureProvider.connect(settings), dir)) {
      assertThat(viaCli.listIps()).isEmpty();
    }
    assertThat(arm.requests())
        .extracting(ArmStub.Request::toString)
        .containsExactly("GET publicIPAddresses");
    assertThat(arm.authorizations()).containsOnly("Bearer cli-token");
  }

  private static RunSpec spec(String name, String... ports) {
    return new RunSpec(
        name,
        "asterisk:latest",
        "./start.sh",
        true,
        ExposedPort.parseAll(List.of(ports)),
        true,
        RestartPolicy.ALWAYS);
  }
}
