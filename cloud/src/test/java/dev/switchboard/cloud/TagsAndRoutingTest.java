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
  void probesThePrimaryTcpPortAndGivesUdpOnlyGroupsATcpHealthPort() {
    GroupRouting both = GroupRouting.of("g", ExposedPort.parseAll(List.of("5060:udp", "5061:tcp")));
    assertThat(both.probe().port()).isEqualTo(5061);
    assertThat(both.rules())
        .extracting(LbRule::name)
        .containsExactly("rule-5060-UDP", "rule-5061-TCP");
    assertThat(both.rules()).allMatch(r -> r.probeName().equals("probe-5061"));
    List<ExposedPort> udp = ExposedPort.parse("5060:udp");
    GroupRouting udpOnly = GroupRouting.of("g", udp);
    assertThat(udpOnly.probe().port()).isEqualTo(5060);
    assertThat(udpOnly.extraHealthPort(udp)).isTrue();
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
    assertThat(without.probes()).extracting(HealthProbe::name).containsExactly("probe-8080");
  }
}
