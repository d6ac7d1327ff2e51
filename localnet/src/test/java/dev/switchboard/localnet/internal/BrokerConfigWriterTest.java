package dev.switchboard.localnet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.AdminSettings;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.BrokerConfigFile;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.Registration;
import dev.switchboard.config.Cidr;
import dev.switchboard.protocol.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker process reads back exactly the config its topology meant. */
class BrokerConfigWriterTest {
  @TempDir Path dir;

  @Test
  void aLocalBrokerConfigSurvivesTheFile() throws Exception {
    Path pki = dir.resolve("pki");
    BrokerConfig c =
        BrokerConfig.defaults(
                "broker-in-3",
                "broker-in-3.company.com",
                new HostPort("127.9.1.3", 7443),
                new HostPort("127.9.1.3", 7480),
                pki.resolve("ca.pem"),
                pki.resolve("broker-in-3.pem"),
                pki.resolve("broker-in-3-key.pem"))
            .withMesh(
                new HostPort("127.9.1.3", 7444),
                List.of(
                    new PeerConfig(
                        "broker-in-4",
                        "broker-in-4.company.com",
                        new HostPort("broker-in-4.company.com", 7443),
                        new HostPort("127.9.11.4", 7444))))
            .withAdmin(AdminSettings.defaultsIn(dir))
            .withTrustedProxies(List.of(Cidr.parse("trustedProxies", "127.9.21.251/32")))
            .withRegistration(
                new Registration(
                    new HostPort("127.9.21.250", 7490),
                    dir.resolve("lb-in-admin.token"),
                    List.of("b-broker-in-3", "region"),
                    List.of("b-broker-in-4"),
                    "127.9.1.3",
                    Duration.ofSeconds(10)));
    Path file = dir.resolve("brokers").resolve("broker-in-3.json");
    Files.createDirectories(file.getParent());

    BrokerConfigWriter.write(c, file);

    assertThat(BrokerConfigFile.load(file)).isEqualTo(c);
  }
}
