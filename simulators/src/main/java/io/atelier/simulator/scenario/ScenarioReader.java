package io.atelier.simulator.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.api.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads scenario files. Either a plain list of events, or a mapping with {@code name}, {@code
 * description} and {@code events}:
 *
 * <pre>
 * name: Tool breakage drill
 * events:
 *   - at: 30s
 *     action: fault
 *     machine: cnc-01
 *     duration: 45s
 *     reason: tool-breakage
 * </pre>
 *
 * Every problem is reported at once, with its YAML path ({@code events[2].machine: unknown
 * machine}).
 */
public final class ScenarioReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ScenarioReader() {}

  /**
   * Reads and checks a scenario file against the machines and endpoints that exist.
   *
   * @throws InvalidConfigException listing every problem
   * @throws IOException when the file cannot be read
   */
  public static Scenario read(Path file, Collection<String> machines, Collection<String> endpoints)
      throws IOException {
    return parse(Files.readString(file), machines, endpoints);
  }

  /** Parses scenario text; see {@link #read}. */
  @SuppressWarnings("unchecked")
  public static Scenario parse(
      String yaml, Collection<String> machines, Collection<String> endpoints) {
    ConfigProblems problems = new ConfigProblems();
    Object root;
    try {
      // An empty file is an empty mapping, not a parse error.
      root = yaml.isBlank() ? Map.of() : YAML.readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      problems.add(
          "(file)",
          "not valid YAML: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
      problems.throwIfAny();
      throw new IllegalStateException("unreachable");
    }
    String name = "";
    String description = "";
    List<ConfigNode> items = new ArrayList<>();
    if (root instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof Map) {
          items.add(new ConfigNode("[" + i + "]", (Map<String, Object>) list.get(i), problems));
        } else {
          problems.add("[" + i + "]", "expected a mapping (key: value pairs)", list.get(i));
        }
      }
    } else if (root instanceof Map) {
      ConfigNode top = new ConfigNode("", (Map<String, Object>) root, problems);
      name = top.string("name", "");
      description = top.string("description", "");
      if (!top.has("events")) {
        problems.add("events", "missing required field");
      }
      items = top.children("events");
      top.rejectUnknownKeys();
    } else {
      problems.add("(file)", "expected a list of events or a mapping with events:", root);
    }
    List<Scenario.TimedCommand> events = new ArrayList<>();
    for (ConfigNode item : items) {
      Duration at = Duration.ZERO;
      if (!item.has("at")) {
        problems.add(item.path("at"), "missing required field");
      } else {
        at = item.duration("at", Duration.ZERO);
      }
      Optional<Command> command = CommandParser.parse(item, "at");
      if (command.isEmpty()) {
        continue;
      }
      check(item, command.get(), machines, endpoints);
      events.add(new Scenario.TimedCommand(at, command.get()));
    }
    problems.throwIfAny();
    return new Scenario(name, description, events);
  }

  private static void check(
      ConfigNode item, Command command, Collection<String> machines, Collection<String> endpoints) {
    if (command instanceof Command.MachineCommand mc && !machines.contains(mc.machine())) {
      item.problems()
          .add(
              item.path("machine"),
              "unknown machine; known machines: " + String.join(", ", machines),
              mc.machine());
    }
    if (command instanceof Command.Endpoint e && !endpoints.contains(e.endpoint())) {
      item.problems()
          .add(
              item.path("endpoint"),
              "unknown endpoint; expected one of " + String.join(", ", endpoints),
              e.endpoint());
    }
  }
}
