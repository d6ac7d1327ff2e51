package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.Cidr;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code trustedProxies} and {@code sourceAddress}: every mistake names the rule's field. */
class LbProxyConfigTest {
  private static final String BASE =
      "frontends: [{name: fe, ip: 127.0.91.1}]\npools: [{name: p}]\nrules:\n";

  @Test
  void theFieldsRoundTripThroughYaml() {
    LbConfig c =
        LbConfig.parse(
            BASE
                + "  - {name: r, frontend: fe, pool: p, backendPort: 80, proxyProtocol: true,\n"
                + "     trustedProxies: [127.0.3.0/24, '2001:db8::/32'], sourceAddress: 127.0.4.1}\n");
    RuleConfig r = c.rules().get(0);
    assertThat(r.trustedProxies())
        .containsExactly(Cidr.parse("t", "127.0.3.0/24"), Cidr.parse("t", "2001:db8::/32"));
    assertThat(r.sourceAddress()).isEqualTo("127.0.4.1");
    assertThat(LbConfig.parse(c.toYaml())).isEqualTo(c);
  }

  @Test
  void trustedProxiesAreForTcpRulesOnly() {
    for (String proto : new String[] {"udp", "all"}) {
      assertInvalid(
          "  - {name: r, frontend: fe, pool: p, backendPort: 80, protocol: "
              + proto
              + ",\n"
              + "     trustedProxies: [127.0.3.1]}\n",
          "config: rules[0].trustedProxies: PROXY headers are accepted on tcp rules only, this"
              + " rule's protocol is "
              + proto);
    }
  }

  @Test
  void badBlocksAndAddressesNameTheirField() {
    assertInvalid(
        "  - {name: r, frontend: fe, pool: p, backendPort: 80,"
            + " trustedProxies: [127.0.3.1, lb.example.com]}\n",
        "config: rules[0].trustedProxies[1]: 'lb.example.com' is not an address block like"
            + " 10.0.0.0/8 or 2001:db8::/32");
    assertInvalid(
        "  - {name: r, frontend: fe, pool: p, backendPort: 80, trustedProxies: [127.0.3.1/24]}\n",
        "config: rules[0].trustedProxies[0]: '127.0.3.1/24' has host bits set; did you mean"
            + " 127.0.3.0/24?");
    assertInvalid(
        "  - {name: r, frontend: fe, pool: p, backendPort: 80, sourceAddress: lb.example.com}\n",
        "config: rules[0].sourceAddress: 'lb.example.com' is not an IP address (write a literal"
            + " like 10.0.2.4)");
    assertInvalid(
        "  - {name: r, frontend: fe, pool: p, backendPort: 80, sourceAddress: 0.0.0.0}\n",
        "config: rules[0].sourceAddress: '0.0.0.0' is not a unicast address of one interface");
  }

  @Test
  void javaCallersGetTheSameChecks() {
    LbConfig c = LbConfig.parse(BASE + "  - {name: r, frontend: fe, pool: p, backendPort: 80}\n");
    RuleConfig udp =
        c.rules().get(0).toBuilder()
            .protocol(Protocol.UDP)
            .trustedProxies(List.of(Cidr.parse("t", "127.0.3.1")))
            .build();
    assertThatThrownBy(() -> LoadBalancer.start(c.withRule(udp), 1))
        .isInstanceOf(LbException.class)
        .hasMessage(
            "rule 'r': trustedProxies: PROXY headers are accepted on tcp rules only, this rule's"
                + " protocol is udp");
    // TEST-NET-1 is on no interface here: the balancer cannot send from it.
    RuleConfig foreign = c.rules().get(0).toBuilder().sourceAddress("192.0.2.1").build();
    assertThatThrownBy(() -> LoadBalancer.start(c.withRule(foreign), 1))
        .isInstanceOf(LbException.class)
        .satisfies(e -> assertThat(((LbException) e).code()).isEqualTo(LbException.Code.INVALID))
        .hasMessageStartingWith("rule 'r': sourceAddress: cannot send from 192.0.2.1")
        .hasMessageEndingWith("it must be an address of this host");
  }

  @Test
  void theAdminApiAnswers400NamingTheField() throws Exception {
    try (LoadBalancer lb = LoadBalancer.start(LbConfig.parse(BASE + "  []\n"), 1)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + lb.adminPort() + "/rules"))
                      .header("Authorization", lb.adminToken().header())
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(10))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"name\":\"r\",\"frontend\":\"fe\",\"pool\":\"p\","
                                  + "\"backendPort\":80,\"protocol\":\"udp\","
                                  + "\"trustedProxies\":[\"127.0.3.1\"]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      JsonNode n = new ObjectMapper().readTree(r.body());
      assertThat(n.get("error").asText()).isEqualTo("INVALID");
      assertThat(n.get("message").asText())
          .isEqualTo(
              "request body: trustedProxies: PROXY headers are accepted on tcp rules only, this"
                  + " rule's protocol is udp");
    }
  }

  private static void assertInvalid(String rules, String message) {
    assertThatThrownBy(() -> LbConfig.parse(BASE + rules))
        .isInstanceOf(LbException.class)
        .satisfies(e -> assertThat(((LbException) e).code()).isEqualTo(LbException.Code.INVALID))
        .hasMessage(message);
  }
}
