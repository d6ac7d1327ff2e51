package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

class HelpTest {

  /** Runs {@code args --help} and returns what it printed. */
  private static String help(String... args) {
    CommandLine cl = Switchboard.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--help");
    assertThat(cl.execute(all.toArray(String[]::new))).isZero();
    return out.toString();
  }

  /** The "Commands:" section: each command with its text, continuation lines joined. */
  private static Map<String, List<String>> commandList(String help) {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    boolean in = false;
    String current = null;
    for (String line : help.split("\n")) {
      if (line.equals("Commands:")) {
        in = true;
        continue;
      }
      if (!in) {
        continue;
      }
      if (line.isBlank() || !line.startsWith(" ")) {
        break;
      }
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        String[] parts = line.trim().split("\\s{2,}", 2);
        current = parts[0];
        entries.put(current, new ArrayList<>(List.of(parts.length > 1 ? parts[1] : "")));
      } else {
        entries.get(current).add(line.trim());
      }
    }
    return entries;
  }

  @Test
  void topLevelHelpListsEveryCommandWithAOneLineSummary() {
    String help = help();
    Map<String, List<String>> list = commandList(help);
    assertThat(list.keySet())
        .containsAll(Switchboard.commandLine().getSubcommands().keySet())
        .contains("controller", "target", "up", "broker", "lb");
    list.forEach(
        (name, text) -> {
          assertThat(text).as(name + " in\n" + help).hasSize(1);
          assertThat(text.get(0)).as(name + " in\n" + help).endsWith(".");
        });
    assertThat(help).doesNotContain("prints it, waits for the target,");
  }

  @Test
  void everyNestedCommandListHasOneLineSummaries() {
    for (String[] parent :
        List.of(
            new String[] {"lb"},
            new String[] {"ip"},
            new String[] {"pki"},
            new String[] {"sessions"},
            new String[] {"lb", "backend"})) {
      String help = help(parent);
      Map<String, List<String>> list = commandList(help);
      assertThat(list).as(help).isNotEmpty();
      list.forEach(
          (name, text) -> {
            assertThat(text).as(name + " in\n" + help).hasSize(1);
            assertThat(text.get(0)).as(name + " in\n" + help).endsWith(".");
          });
    }
  }

  @Test
  void everyOptionAndParameterIsDescribed() {
    List<String> missing = new ArrayList<>();
    collect(Switchboard.commandLine(), missing);
    assertThat(missing).isEmpty();
  }

  private static void collect(CommandLine cl, List<String> missing) {
    String cmd = cl.getCommandSpec().qualifiedName();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      if (!o.hidden() && (o.description().length == 0 || o.description()[0].isBlank())) {
        missing.add(cmd + " " + o.longestName());
      }
    }
    for (PositionalParamSpec p : cl.getCommandSpec().positionalParameters()) {
      if (!p.hidden() && (p.description().length == 0 || p.description()[0].isBlank())) {
        missing.add(cmd + " " + p.paramLabel());
      }
    }
    cl.getSubcommands().values().forEach(sub -> collect(sub, missing));
  }

  @Test
  void everyOptionHasAPlaceholderNotAFieldName() {
    List<String> bad = new ArrayList<>();
    collectLabels(Switchboard.commandLine(), bad);
    assertThat(bad).isEmpty();
  }

  private static void collectLabels(CommandLine cl, List<String> bad) {
    String cmd = cl.getCommandSpec().qualifiedName();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      if (!o.hidden() && o.arity().max() > 0 && o.paramLabel().startsWith("<")) {
        bad.add(cmd + " " + o.longestName() + "=" + o.paramLabel());
      }
    }
    cl.getSubcommands().values().forEach(sub -> collectLabels(sub, bad));
  }

  @Test
  void localCommandsGroupTheAzureOptions() {
    for (String[] cmd : List.of(new String[] {"ls"}, new String[] {"ip", "ls"})) {
      String help = help(cmd);
      int azure = help.indexOf("Azure options");
      assertThat(azure).as(help).isPositive();
      int options = help.indexOf("\n  -h, --help"); // after the synopsis
      assertThat(help.indexOf("--subscription", options)).as(help).isGreaterThan(azure);
      assertThat(help.indexOf("--location", options)).as(help).isGreaterThan(azure);
    }
  }
}
