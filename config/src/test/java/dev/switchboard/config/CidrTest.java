package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void anIpv4BlockContainsItsAddressesAndNoOthers() throws Exception {
    Cidr c = Cidr.parse("trustedProxies[0]", "10.1.0.0/16");
    assertThat(c.contains(InetAddress.getByName("10.1.255.7"))).isTrue();
    assertThat(c.contains(InetAddress.getByName("10.2.0.1"))).isFalse();
    assertThat(c.contains(InetAddress.getByName("::ffff:10.1.2.3"))).as("v4-mapped").isTrue();
    assertThat(c.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
  }

  @Test
  void aSingleAddressIsItsOwnBlock() throws Exception {
    Cidr c = Cidr.parse("f", "127.0.0.1");
    assertThat(c.toString()).isEqualTo("127.0.0.1/32");
    assertThat(c.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(c.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
  }

  @Test
  void ipv6BlocksAndTheWholeSpace() throws Exception {
    assertThat(Cidr.parse("f", "2001:db8::/32").contains(InetAddress.getByName("2001:db8:ff::1")))
        .isTrue();
    assertThat(Cidr.parse("f", "0.0.0.0/0").contains(InetAddress.getByName("192.0.2.1"))).isTrue();
  }

  @Test
  void nonsenseIsRefusedNamingTheField() {
    assertThatThrownBy(() -> Cidr.parse("trustedProxies[1]", "lb.example.com"))
        .hasMessageContaining("trustedProxies[1]")
        .hasMessageContaining("not an address block");
    assertThatThrownBy(() -> Cidr.parse("f", "10.0.0.0/33")).hasMessageContaining("0-32");
    assertThatThrownBy(() -> Cidr.parse("f", "10.0.0.1/8"))
        .hasMessageContaining("host bits set; did you mean 10.0.0.0/8?");
  }
}
