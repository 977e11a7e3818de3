package io.atelier.simulator.scenario;

import io.atelier.connector.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@link Command} from a YAML or JSON mapping, recording every problem with its path. Used
 * by scenario files and by the control API, so both accept exactly the same shapes.
 */
public final class CommandParser {

  /** Every action name, in the order the docs list them. */
  public static final List<String> ACTIONS =
      List.of(
          "fault",
          "setup",
          "planned-stop",
          "resume",
          "speed",
          "scrap-rate",
          "endpoint-stop",
          "endpoint-start",
          "endpoint-restart");

  private CommandParser() {}

  /**
   * Parses one command. Keys other than the action's own are reported as unknown, except those
   * listed in {@code alsoAllowed} (a scenario event's {@code at}).
   *
   * @return the command, or empty when a problem was recorded
   */
  public static Optional<Command> parse(ConfigNode node, String... alsoAllowed) {
    node.skip(alsoAllowed);
    int before = node.problems().all().size();
    String action = node.requiredString("action");
    Command command =
        switch (action) {
          case "" -> null;
          case "fault" ->
              new Command.Fault(
                  machine(node),
                  positiveDuration(node, "duration"),
                  node.string("reason", "fault"));
          case "setup" -> new Command.Setup(machine(node), positiveDuration(node, "duration"));
          case "planned-stop" ->
              new Command.PlannedStop(
                  machine(node), positiveDuration(node, "duration"), node.string("reason"));
          case "resume" -> new Command.Resume(machine(node));
          case "speed" ->
              new Command.Speed(machine(node), requiredNumber(node, "speed", 0.01, 2.0));
          case "scrap-rate" ->
              new Command.ScrapRate(machine(node), requiredNumber(node, "scrap-rate", 0.0, 1.0));
          case "endpoint-stop" -> endpoint(node, Command.EndpointOperation.STOP);
          case "endpoint-start" -> endpoint(node, Command.EndpointOperation.START);
          case "endpoint-restart" -> endpoint(node, Command.EndpointOperation.RESTART);
          default -> {
            node.problems()
                .add(
                    node.path("action"),
                    "unknown action; expected one of " + String.join(", ", ACTIONS),
                    action);
            yield null;
          }
        };
    if (command == null) {
      return Optional.empty();
    }
    node.rejectUnknownKeys();
    return node.problems().all().size() == before ? Optional.of(command) : Optional.empty();
  }

  private static Command endpoint(ConfigNode node, Command.EndpointOperation op) {
    Optional<Duration> duration =
        op == Command.EndpointOperation.STOP
            ? positiveDuration(node, "duration")
            : Optional.empty();
    return new Command.Endpoint(node.requiredString("endpoint"), op, duration);
  }

  private static String machine(ConfigNode node) {
    return node.requiredString("machine");
  }

  private static double requiredNumber(ConfigNode node, String key, double min, double max) {
    if (!node.has(key)) {
      node.problems().add(node.path(key), "missing required field");
      return min;
    }
    return node.number(key, min, min, max);
  }

  private static Optional<Duration> positiveDuration(ConfigNode node, String key) {
    if (!node.has(key)) {
      return Optional.empty();
    }
    Duration d = node.duration(key, Duration.ZERO);
    if (d.isZero() || d.isNegative()) {
      // A bad value was already reported by duration(); a zero one is reported here.
      if (ConfigNode.parseDuration(String.valueOf(node.raw(key).orElse(""))).isPresent()) {
        node.problems().add(node.path(key), "must be longer than zero", node.raw(key).orElse(""));
      }
      return Optional.empty();
    }
    return Optional.of(d);
  }
}
