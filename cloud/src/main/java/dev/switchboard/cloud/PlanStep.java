package dev.switchboard.cloud;

import java.util.List;
import java.util.Map;

/**
 * One resource change of a {@link Plan}: what is done to which resource, its properties and tags.
 */
public record PlanStep(
    String action, String kind, String name, List<String> properties, Map<String, String> tags) {
  public PlanStep {
    properties = List.copyOf(properties);
    tags = tags == null ? Map.of() : tags;
  }
}
