package dev.switchboard.cli.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.cli.CliException;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.Tags;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpPickerTest {
  private static final List<PublicIp> IPS =
      List.of(
          new PublicIp("voip", "127.77.0.1", Tags.publicIp(false, "voip-lb")),
          new PublicIp("spare", "127.77.0.2", Tags.publicIp(false, null)));

  private static String pick(String typed, StringWriter shown) {
    return IpPicker.pick(
        IPS, new BufferedReader(new StringReader(typed)), new PrintWriter(shown, true));
  }

  @Test
  void listsTheIpsWithTheirLabelsAndTakesANumberOrAName() {
    StringWriter shown = new StringWriter();
    assertThat(pick("2\n", shown)).isEqualTo("spare");
    assertThat(shown.toString())
        .isEqualTo(
            " 1) voip 127.77.0.1 [with Load Balancer]\n 2) spare 127.77.0.2 [standalone]\nselect [1-2]: ");
    assertThat(pick("voip\n", new StringWriter())).isEqualTo("voip");
  }

  @Test
  void anAnswerOutsideTheListIsAUsageError() {
    assertThatThrownBy(() -> pick("3\n", new StringWriter()))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("1 to 2");
    assertThatThrownBy(() -> pick("", new StringWriter())).isInstanceOf(CliException.class);
  }

  @Test
  void nothingToPickIsAConfigurationError() {
    assertThatThrownBy(
            () ->
                IpPicker.pick(
                    List.of(),
                    new BufferedReader(new StringReader("1\n")),
                    new PrintWriter(new StringWriter())))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(3));
  }
}
