package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked on the main classes of every product module
 * (the cli's test classpath holds them all). A change that breaks one fails the build.
 */
class ArchitectureTest {
  private static final List<String> MODULES =
      List.of(
          "protocol",
          "config",
          "time",
          "metrics",
          "pki",
          "topology",
          "broker",
          "client",
          "lb",
          "cloud",
          "localnet",
          "cli");
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard");
  }

  @Test
  void everyProductModuleIsImported() {
    for (String m : MODULES) {
      assertThat(main.stream().anyMatch(c -> c.getPackageName().startsWith("dev.switchboard." + m)))
          .as("classes of module %s on the classpath", m)
          .isTrue();
    }
  }

  @Test
  void protocolDependsOnNothingOfOurs() {
    onlyOwnOrOutside("protocol").check(main);
  }

  @Test
  void configTimeAndMetricsDependOnNothingOfOurs() {
    onlyOwnOrOutside("config").check(main);
    onlyOwnOrOutside("time").check(main);
    onlyOwnOrOutside("metrics").check(main);
  }

  @Test
  void pkiDependsOnNothingOfOurs() {
    onlyOwnOrOutside("pki").check(main);
  }

  @Test
  void theLoadBalancerKnowsNoBrokerClientOrCloud() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.lb..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.broker..",
            "dev.switchboard.client..",
            "dev.switchboard.cloud..",
            "dev.switchboard.localnet..",
            "dev.switchboard.topology..",
            "dev.switchboard.cli..")
        .because("lb is a general layer-4 load balancer")
        .check(main);
  }

  @Test
  void brokerNeverImportsClient() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.broker..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.switchboard.client..", "dev.switchboard.topology..")
        .check(main);
  }

  @Test
  void clientNeverImportsBroker() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.client..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.switchboard.broker..", "dev.switchboard.topology..")
        .because("the client reads no topology file: it needs no YAML parser")
        .check(main);
  }

  @Test
  void cloudBuildsOnTheLoadBalancerOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.cloud..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.broker..",
            "dev.switchboard.client..",
            "dev.switchboard.localnet..",
            "dev.switchboard.cli..")
        .check(main);
  }

  @Test
  void onlyTheCliWiresEverything() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.switchboard.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.switchboard.cli..")
        .check(main);
  }

  @Test
  void noMainCodeDependsOnTheTestkit() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.switchboard.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.switchboard.testkit..")
        .because("testkit is test scope only")
        .check(main);
  }

  @Test
  void internalPackagesAreUsedOnlyInsideTheirModule() {
    for (String m : MODULES) {
      String root = "dev.switchboard." + m;
      noClasses()
          .that()
          .resideOutsideOfPackage(root + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(root + ".internal..")
          .allowEmptyShould(true)
          .check(main);
    }
  }

  private static ArchRule onlyOwnOrOutside(String module) {
    String own = "dev.switchboard." + module + "..";
    return noClasses()
        .that()
        .resideInAPackage(own)
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "belong to another Switchboard module",
                c ->
                    c.getPackageName().startsWith("dev.switchboard.")
                        && !c.getPackageName().startsWith("dev.switchboard." + module)));
  }
}
