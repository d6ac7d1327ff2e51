package dev.switchboard.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/deploy.md shows the configuration templates {@code seed.sh} renders, verbatim: the guide's
 * examples are the files the namespace test runs, so neither can change without the other.
 */
class DeployGuideTest {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyTemplateIsShownVerbatimInTheGuide() throws Exception {
    String guide = Files.readString(REPO.resolve("docs/deploy.md"));
    List<Path> templates;
    try (Stream<Path> s = Files.list(REPO.resolve("deploy/templates"))) {
      templates = s.sorted().toList();
    }
    assertThat(templates).hasSizeGreaterThanOrEqualTo(10);
    for (Path t : templates) {
      String name = "deploy/templates/" + t.getFileName();
      assertThat(guide).as("the guide names %s", name).contains("`" + name + "`");
      assertThat(guide)
          .as("%s is shown verbatim in docs/deploy.md", name)
          .contains("\n" + Files.readString(t) + "```");
    }
  }
}
