package dev.switchboard.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagsAndRoutingTest {

  @Test
  void tagsAreExactlyTheSeeds() {
    assertThat(Tags.publicIp(false, "voip-lb"))
        .containsExactly(
            Map.entry("has_nat_stack", "false"),
            Map.entry("has_load_balancer", "true"),
            Map.entry("lb_name", "voip-lb"),
            Map.entry("managed_by", "switchboard"));
    assertThat(Tags.loadBalancer("voip"))
        .containsExactly(
            Map.entry("managed_by", "switchboard"),
            Map.entry("public_ip_name", "voip"),
            Map.entry("created_for", "bidirectional_containers"));
    assertThat(Tags.vnet("voip-lb"))
        .containsExactly(
            Map.entry("managed_by", "switchboard"),
            Map.entry("purpose", "load_balancer"),
            Map.entry("associated_lb", "voip-lb"));
    assertThat(Tags.publicIp(true, null))
        .doesNotContainKey("lb_name")
        .containsEntry("has_load_balancer", "false");
  }

  @Test
  void labelsFollowTheTags() {
    assertThat(new PublicIp("a", "1", Tags.publicIp(false, "a-lb")).label())
        .isEqualTo("[with Load Balancer]");
    assertThat(new PublicIp("a", "1", Tags.publicIp(true, null)).label())
        .isEqualTo("[with NAT stack]");
    assertThat(new PublicIp("a", "1", Tags.publicIp(false, null)).label())
        .isEqualTo("[standalone]");
  }

  @Test
  void probesThePrimaryTcpPortAndNeverTakesOutAUdpOnlyGroupWithoutAHealthPort() {
    GroupRouting both = GroupRouting.of("g", ExposedPort.parseAll(List.of("5060:udp", "5061:tcp")));
    assertThat(both.probe().port()).isEqualTo(5061);
    assertThat(both.probe().allProbedUp()).isFalse();
    assertThat(both.rules())
        .extracting(LbRule::name)
        .containsExactly("rule-5060-UDP", "rule-5061-TCP");
    assertThat(both.rules()).allMatch(r -> r.probeName().equals("probe-g"));
    assertThat(both.rules()).allMatch(r -> r.pool().equals("pool-g"));
    List<ExposedPort> udp = ExposedPort.parse("5060:udp");
    GroupRouting udpOnly = GroupRouting.of("g", udp);
    assertThat(udpOnly.probe().port()).isEqualTo(5060);
    assertThat(udpOnly.probe().allProbedUp()).isTrue();
    assertThat(udpOnly.extraHealthPort(udp, null)).isZero();
    assertThat(udpOnly.probe().describe()).contains("AllProbedUp", "still reach");

    HealthPort http = HealthPort.parse("8080:http:healthz");
    GroupRouting probed = GroupRouting.of("g", udp, http);
    assertThat(probed.probe().kind()).isEqualTo(HealthProbe.Kind.HTTP);
    assertThat(probed.probe().path()).isEqualTo("/healthz");
    assertThat(probed.probe().allProbedUp()).isFalse();
    assertThat(probed.extraHealthPort(udp, http)).isEqualTo(8080);
    assertThat(probed.probe().describe()).contains("http 8080 /healthz", "no new flows");
    assertThatThrownBy(() -> HealthPort.parse("8080:udp")).hasMessageContaining("tcp or http");
    assertThatThrownBy(() -> GroupRouting.of("g", ExposedPort.parse("65535:udp")))
        .hasMessageContaining("0-65534");
  }

  @Test
  void aGroupCannotTakeRulesAnotherGroupOwnsAndRemovalTakesOnlyItsOwn() {
    LoadBalancer lb = LoadBalancer.fresh("voip");
    lb = GroupRouting.of("a", ExposedPort.parse("5060:udp")).addTo(lb, "a");
    lb = GroupRouting.of("b", ExposedPort.parse("8080:tcp")).addTo(lb, "b");
    LoadBalancer finalLb = lb;
    assertThatThrownBy(
            () -> GroupRouting.of("c", ExposedPort.parse("5060:udp")).checkFree(finalLb, "c"))
        .hasMessageContaining("rule-5060-UDP")
        .hasMessageContaining("container group a");
    LoadBalancer without = GroupRouting.removeFrom(lb, "a");
    assertThat(without.rules()).extracting(LbRule::name).containsExactly("rule-8080-TCP");
    assertThat(without.probes()).extracting(HealthProbe::name).containsExactly("probe-b");
  }
}
