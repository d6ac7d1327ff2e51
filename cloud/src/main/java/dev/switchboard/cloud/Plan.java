package dev.switchboard.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ordered resource changes an operation would make; {@code --dry-run} prints it instead of
 * acting.
 */
public record Plan(String provider, String operation, List<PlanStep> steps) {
  public Plan {
    steps = List.copyOf(steps);
  }

  /** Renders the plan as the lines {@code --dry-run} prints. */
  public List<String> render() {
    List<String> out = new ArrayList<>();
    out.add("plan for " + operation + " (provider " + provider + ", dry run: nothing is changed)");
    int i = 1;
    for (PlanStep s : steps) {
      out.add(String.format("%2d. %-6s %-17s %s", i++, s.action(), s.kind(), s.name()));
      for (String p : s.properties()) {
        out.add("      " + p);
      }
      if (!s.tags().isEmpty()) {
        out.add("      tags: " + tags(s.tags()));
      }
    }
    return out;
  }

  static String tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
