package io.atelier.simulator.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A trainer's action on the simulator, from the control API or a scenario file. The same YAML/JSON
 * shape serves both: {@code {action: fault, machine: cnc-01, duration: 45s, reason:
 * tool-breakage}}.
 */
public sealed interface Command {

  /** The action name as written in YAML and JSON. */
  String action();

  /** The fields of the command, for the event log. */
  Map<String, Object> details();

  /** A command aimed at one machine. */
  sealed interface MachineCommand extends Command {
    String machine();
  }

  /** Takes a machine DOWN now; without a duration the repair time is drawn from its MTTR. */
  record Fault(String machine, Optional<Duration> duration, String reason)
      implements MachineCommand {
    @Override
    public String action() {
      return "fault";
    }

    @Override
    public Map<String, Object> details() {
      return fields("machine", machine, "duration", duration, "reason", reason);
    }
  }

  /** Starts a job changeover now; without a duration it is drawn from the setup time. */
  record Setup(String machine, Optional<Duration> duration) implements MachineCommand {
    @Override
    public String action() {
      return "setup";
    }

    @Override
    public Map<String, Object> details() {
      return fields("machine", machine, "duration", duration);
    }
  }

  /** A planned stop (outside planned busy time); without a duration it lasts until resume. */
  record PlannedStop(String machine, Optional<Duration> duration, Optional<String> reason)
      implements MachineCommand {
    @Override
    public String action() {
      return "planned-stop";
    }

    @Override
    public Map<String, Object> details() {
      return fields("machine", machine, "duration", duration, "reason", reason);
    }
  }

  /** Ends every fault, micro-stop and planned stop of a machine now. */
  record Resume(String machine) implements MachineCommand {
    @Override
    public String action() {
      return "resume";
    }

    @Override
    public Map<String, Object> details() {
      return fields("machine", machine);
    }
  }

  /** Sets the effectiveness factor (1.0 = ideal cycle time). */
  record Speed(String machine, double speed) implements MachineCommand {
    @Override
    public String action() {
      return "speed";
    }

    @Override
    public Map<String, Object> details() {
      return fields("machine", machine, "speed", speed);
    }
  }

  /** Sets the probability that a finished part is a reject. */
  record ScrapRate(String machine, double rate) implements MachineCommand {
    @Override
    public String action() {
      return "scrap-rate";
    }

    @Override
    public Map<String, Object> details() {
      return fields("machine", machine, "scrap-rate", rate);
    }
  }

  /** What to do to a protocol endpoint. */
  enum EndpointOperation {
    STOP,
    START,
    RESTART
  }

  /**
   * Stops, starts or restarts a protocol endpoint ({@code opcua}, {@code mqtt}) for fault drills. A
   * stop with a duration starts it again after that much simulated time.
   */
  record Endpoint(String endpoint, EndpointOperation operation, Optional<Duration> duration)
      implements Command {
    @Override
    public String action() {
      return "endpoint-" + operation.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Map<String, Object> details() {
      return fields("endpoint", endpoint, "duration", duration);
    }
  }

  private static Map<String, Object> fields(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      Object v = pairs[i + 1];
      if (v instanceof Optional<?> o) {
        if (o.isEmpty()) {
          continue;
        }
        v = o.get();
      }
      if (v instanceof Duration d) {
        v = d.toMillis() / 1000.0 + "s";
      }
      out.put((String) pairs[i], v);
    }
    return out;
  }
}
