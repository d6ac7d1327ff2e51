package dev.switchboard.cli.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cli.Switchboard;
import dev.switchboard.lb.Backend;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LoadBalancer;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.RuleConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LbCommandTest {
  @TempDir Path tokenDir;
  private LoadBalancer lb;
  private String admin;
  private Path tokenFile;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() {
    tokenFile = tokenDir.resolve("lb-admin.token");
    lb =
        LoadBalancer.start(
            LbConfig.empty()
                .withAdminTokenFile(tokenFile)
                .withFrontend(new FrontendConfig("fe", "127.0.51.1"))
                .withPool(PoolConfig.of("pool", new Backend("127.0.50.1", "one")))
                .withRule(
                    RuleConfig.builder("web").frontend("fe").pool("pool").backendPort(9).build()),
            1);
    admin = "127.0.0.1:" + lb.adminPort();
  }

  @AfterEach
  void tearDown() {
    lb.close();
  }

  /** Runs the CLI; commands given {@code --admin} also get the lb's token file. */
  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.contains("--admin") && !all.contains("--admin-token-file")) {
      all.addAll(List.of("--admin-token-file", tokenFile.toString()));
    }
    return runAsIs(all.toArray(String[]::new));
  }

  private int runAsIs(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = Switchboard.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void backendAddLsRmAndStatus() {
    assertThat(
            run(
                "lb",
                "backend",
                "add",
                "--admin",
                admin,
                "--pool",
                "pool",
                "--ip",
                "127.0.50.2",
                "--name",
                "two",
                "--ttl",
                "30s"))
        .as(err.toString())
        .isEqualTo(0);
    assertThat(out.toString())
        .contains("added 127.0.50.2 (two) to pool pool, priority 0, lease 30s");
    assertThat(lb.health()).anySatisfy(h -> assertThat(h.ip()).isEqualTo("127.0.50.2"));
    assertThat(
            run(
                "lb",
                "backend",
                "add",
                "--admin",
                admin,
                "--pool",
                "pool",
                "--ip",
                "127.0.50.3",
                "--name",
                "three",
                "--priority",
                "2"))
        .as(err.toString())
        .isEqualTo(0);
    assertThat(out.toString()).contains("added 127.0.50.3 (three) to pool pool, priority 2");
    assertThat(lb.config().pools().get(0).backends())
        .contains(new Backend("127.0.50.3", "three", 2));

    assertThat(run("lb", "backend", "ls", "--admin", admin, "--pool", "pool")).isEqualTo(0);
    assertThat(out.toString())
        .contains("PRIORITY")
        .containsPattern("127.0.50.1 +one +0 +-")
        .containsPattern("127.0.50.2 +two +0 +\\d+s left")
        .containsPattern("127.0.50.3 +three +2 +-");

    assertThat(run("lb", "status", "--admin", admin)).isEqualTo(0);
    assertThat(out.toString())
        .contains("RULE")
        .contains("PRIO")
        .contains("web")
        .containsPattern("127.0.50.2:9 +two +0 +up")
        .containsPattern("127.0.50.3:9 +three +2 +up");
    assertThat(
            run(
                "lb",
                "backend",
                "add",
                "--admin",
                admin,
                "--pool",
                "pool",
                "--ip",
                "127.0.50.4",
                "--priority",
                "x"))
        .isEqualTo(2);

    assertThat(run("lb", "backend", "rm", "--admin", admin, "--pool", "pool", "--ip", "127.0.50.2"))
        .isEqualTo(0);
    assertThat(lb.health()).noneSatisfy(h -> assertThat(h.ip()).isEqualTo("127.0.50.2"));
  }

  @Test
  void refusalsAndUnreachableAdminMapToDocumentedExitCodes() throws Exception {
    assertThat(run("lb", "backend", "rm", "--admin", admin, "--pool", "pool", "--ip", "127.0.50.9"))
        .isEqualTo(4);
    assertThat(err.toString().trim())
        .startsWith("switchboard: lb refused the request (NOT_FOUND)")
        .doesNotContain("\n");
    assertThat(
            run("lb", "backend", "add", "--admin", admin, "--pool", "ghost", "--ip", "127.0.50.2"))
        .isEqualTo(4);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    assertThat(run("lb", "status", "--admin", "127.0.0.1:" + closedPort)).isEqualTo(5);
    assertThat(err.toString()).contains("cannot reach the lb admin API");
    assertThat(run("lb", "status", "--admin", "nonsense")).isEqualTo(2);
    assertThat(run("lb", "backend", "add", "--pool", "pool")).isEqualTo(2);
  }

  @Test
  void theAdminTokenComesFromAFileAndAWrongOneIsRefused(@TempDir Path dir) throws Exception {
    String[] ls = {"lb", "backend", "ls", "--admin", admin, "--pool", "pool"};
    assertThat(runAsIs(append(ls, "--admin-token-file", dir.resolve("none").toString())))
        .isEqualTo(3);
    assertThat(err.toString()).contains("cannot read the lb admin token file").contains("none");
    Path other = dir.resolve("other.token");
    dev.switchboard.config.TokenFile.loadOrCreate(other);
    assertThat(runAsIs(append(ls, "--admin-token-file", other.toString()))).isEqualTo(4);
    assertThat(err.toString()).contains("refused the admin token from " + other);
    Path loose = dir.resolve("loose.token");
    Files.writeString(loose, Files.readString(tokenFile));
    Files.setPosixFilePermissions(
        loose, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(runAsIs(append(ls, "--admin-token-file", loose.toString()))).isEqualTo(3);
    assertThat(err.toString())
        .contains("chmod 600")
        .doesNotContain(Files.readString(tokenFile).strip());
    assertThat(runAsIs(append(ls, "--admin-token-file", tokenFile.toString()))).isEqualTo(0);
  }

  private static String[] append(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void leaseDurationsUseTheOneSyntax() {
    assertThat(
            run(
                "lb",
                "backend",
                "add",
                "--admin",
                admin,
                "--pool",
                "pool",
                "--ip",
                "127.0.50.2",
                "--ttl",
                "30"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--ttl: a duration needs a unit: write 30s or 30ms, not 30");
    assertThat(
            run(
                "lb",
                "backend",
                "add",
                "--admin",
                admin,
                "--pool",
                "pool",
                "--ip",
                "127.0.50.2",
                "--ttl",
                "3000000s"))
        .isEqualTo(4);
    assertThat(err.toString()).contains("request body: ttl: must be at most 1d, got 3000000s");
    assertThat(lb.health()).noneSatisfy(h -> assertThat(h.ip()).isEqualTo("127.0.50.2"));
  }

  @Test
  void runNamesTheFileAndTheFieldOfAMistake(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("lb.yaml");
    Files.writeString(bad, "pools: [{name: p, backends: [{ip: 127.0.50.1, priority: high}]}]\n");
    assertThat(run("lb", "run", "--config", bad.toString())).isEqualTo(3);
    assertThat(err.toString())
        .contains(
            bad
                + ": pools[0].backends[0].priority: expected an integer,"
                + " got the string \"high\"");
  }

  @Test
  void runServesAConfigFileUntilInterrupted(@TempDir Path dir) throws Exception {
    assertThat(run("lb", "run", "--config", dir.resolve("missing.yaml").toString())).isEqualTo(3);
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "rules: [{name: r, frontend: nope, pool: p, backendPort: 1}]\n");
    assertThat(run("lb", "run", "--config", bad.toString())).isEqualTo(3);
    assertThat(err.toString()).contains("unknown frontend");

    Path cfg = dir.resolve("lb.yaml");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "admin: {address: 127.0.0.1, port: 0}",
            "frontends: [{name: fe, ip: 127.0.51.2}]",
            "pools: [{name: pool, backends: [{ip: 127.0.50.1}]}]",
            "rules: [{name: web, frontend: fe, frontendPort: 0, pool: pool, backendPort: 9}]",
            ""));
    AtomicInteger code = new AtomicInteger(-1);
    StringWriter runOut = new StringWriter();
    Thread t =
        new Thread(
            () -> {
              CommandLine cl = Switchboard.commandLine();
              cl.setOut(new PrintWriter(runOut, true));
              cl.setErr(new PrintWriter(new StringWriter(), true));
              code.set(cl.execute("lb", "run", "--config", cfg.toString(), "--threads", "1"));
            });
    t.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> runOut.toString().contains("rule web"));
    assertThat(runOut.toString())
        .contains("lb: admin API on http://127.0.0.1:")
        .contains("(token file " + dir.resolve("lb-admin.token").toAbsolutePath() + ")")
        .contains("lb: rule web tcp 127.0.51.2:");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("lb-admin.token"))))
        .isEqualTo("rw-------");
    t.interrupt();
    t.join(10_000);
    assertThat(code.get()).isEqualTo(0);
  }

  @Test
  void reloadAppliesAFileToARunningBalancer(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("lb.yaml");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "frontends: [{name: fe, ip: 127.0.51.1}]",
            "pools: [{name: pool, backends: [{ip: 127.0.50.1}, {ip: 127.0.50.3}]}]",
            "rules: [{name: web, frontend: fe, frontendPort: 0, pool: pool, backendPort: 9}]",
            ""));
    assertThat(run("lb", "reload", "--admin", admin, "--config", cfg.toString()))
        .as(err.toString())
        .isEqualTo(0);
    assertThat(lb.config().pools().get(0).backends()).hasSize(2);
  }
}
