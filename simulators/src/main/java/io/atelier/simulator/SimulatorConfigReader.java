package io.atelier.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.simulator.machine.MachineConfig;
import io.atelier.simulator.machine.MachineParams;
import io.atelier.simulator.machine.MachineType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the simulator's YAML configuration, reporting every problem at once with its path ({@code
 * machines[2].scrap-rate: must be between 0.0 and 1.0 (got: 1.5)}).
 */
public final class SimulatorConfigReader {

  /** The built-in configuration: six machines, one of each type. */
  public static final String DEFAULT_RESOURCE = "/io/atelier/simulator/default-sim.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SimulatorConfigReader() {}

  public static SimulatorConfig defaults() {
    try (InputStream in = SimulatorConfigReader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SimulatorConfig read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /**
   * Parses configuration text.
   *
   * @throws InvalidConfigException listing every problem
   */
  @SuppressWarnings("unchecked")
  public static SimulatorConfig parse(String yaml) {
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
    if (root == null) {
      root = Map.of();
    }
    if (!(root instanceof Map)) {
      problems.add("(file)", "expected a mapping (key: value pairs)", root);
      problems.throwIfAny();
    }
    ConfigNode top = new ConfigNode("", (Map<String, Object>) root, problems);
    long seed = top.integer("seed", SimulatorConfig.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    Duration tick = top.duration("tick", Duration.ofMillis(100));
    if (tick.toMillis() < 1 || tick.toMillis() > 60_000) {
      problems.add("tick", "must be between 1ms and 60s", tick);
      tick = Duration.ofMillis(100);
    }
    double timeScale = top.number("time-scale", 1.0, 0.001, 100_000);
    String bind = top.string("bind", SimulatorConfig.DEFAULT_BIND);
    Path dataDir = Path.of(top.string("data-dir", "sim-data"));

    ConfigNode control = top.childOrEmpty("control");
    int controlPort = control.integer("port", SimulatorConfig.DEFAULT_CONTROL_PORT, 0, 65535);
    control.rejectUnknownKeys();

    ConfigNode opcua = top.childOrEmpty("opcua");
    boolean opcuaEnabled = opcua.bool("enabled", true);
    int opcuaPort = opcua.integer("port", SimulatorConfig.DEFAULT_OPCUA_PORT, 0, 65535);
    opcua.rejectUnknownKeys();

    ConfigNode mqtt = top.childOrEmpty("mqtt");
    boolean mqttEnabled = mqtt.bool("enabled", true);
    String mqttUrl =
        mqtt.uri("url", false, "tcp", "ssl")
            .map(Object::toString)
            .orElse(SimulatorConfig.DEFAULT_MQTT_URL);
    mqtt.rejectUnknownKeys();

    List<MachineConfig> machines = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode m : top.children("machines")) {
      machine(m)
          .ifPresent(
              mc -> {
                if (!ids.add(mc.id())) {
                  problems.add(m.path("id"), "duplicate machine id", mc.id());
                } else {
                  machines.add(mc);
                }
              });
    }
    Optional<SimulatorConfig.Load> load = top.child("load").flatMap(SimulatorConfigReader::load);
    top.rejectUnknownKeys();
    problems.throwIfAny();
    return new SimulatorConfig(
        seed,
        tick,
        timeScale,
        bind,
        dataDir,
        controlPort,
        opcuaEnabled,
        opcuaPort,
        mqttEnabled,
        mqttUrl,
        machines,
        load);
  }

  private static Optional<MachineConfig> machine(ConfigNode m) {
    int before = m.problems().all().size();
    String id = m.requiredString("id");
    String typeCode = m.requiredString("type");
    Optional<MachineType> type = Optional.empty();
    if (!typeCode.isEmpty()) {
      type = MachineType.fromCode(typeCode);
      if (type.isEmpty()) {
        m.problems()
            .add(
                m.path("type"),
                "unknown machine type; expected one of " + String.join(", ", MachineType.codes()),
                typeCode);
      }
    }
    String pathText = m.requiredString("path");
    MachineRef ref = null;
    if (!pathText.isEmpty()) {
      try {
        ref = MachineRef.parse(pathText);
        if (!id.isEmpty() && !ref.machine().equals(id)) {
          m.problems().add(m.path("path"), "the last level must be the machine id " + id, pathText);
        }
      } catch (IllegalArgumentException e) {
        m.problems().add(m.path("path"), e.getMessage(), pathText);
      }
    }
    String protocol = m.string("protocol", MachineConfig.OPCUA);
    if (!MachineConfig.PROTOCOLS.contains(protocol)) {
      m.problems()
          .add(
              m.path("protocol"),
              "expected one of " + String.join(", ", MachineConfig.PROTOCOLS),
              protocol);
    }
    MachineParams params =
        MachineParams.read(m, MachineParams.defaults(type.orElse(MachineType.CNC_MILL)));
    m.skip("description", "metadata");
    m.rejectUnknownKeys();
    if (m.problems().all().size() != before || type.isEmpty() || ref == null) {
      return Optional.empty();
    }
    return Optional.of(new MachineConfig(id, type.get(), ref, protocol, params));
  }

  private static Optional<SimulatorConfig.Load> load(ConfigNode l) {
    int machines = l.integer("machines", 0, 0, 100_000);
    int signals = l.integer("signals", 10, 1, 100_000);
    Duration period = l.duration("period", Duration.ofMillis(250));
    if (period.toMillis() < 1) {
      l.problems().add(l.path("period"), "must be at least 1ms", period);
    }
    String protocol = l.string("protocol", MachineConfig.OPCUA);
    if (!MachineConfig.PROTOCOLS.contains(protocol)) {
      l.problems()
          .add(
              l.path("protocol"),
              "expected one of " + String.join(", ", MachineConfig.PROTOCOLS),
              protocol);
    }
    l.rejectUnknownKeys();
    return machines == 0
        ? Optional.empty()
        : Optional.of(new SimulatorConfig.Load(machines, signals, period, protocol));
  }
}
