package io.atelier.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.ConnectorFactory;
import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.gateway.config.PipelineSettings.OverflowPolicy;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.influx.StorageSettings;
import io.atelier.gateway.kpi.KpiSettings;
import io.atelier.gateway.kpi.MachineKpiConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the gateway's YAML file into a {@link GatewayConfig}, collecting every problem (with its
 * YAML path and the bad value) before giving up, so that one run of {@code check-config} shows them
 * all. Connector-specific parts are checked by each connector's factory.
 */
public final class ConfigLoader {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SIGNAL =
      Pattern.compile("[a-z][a-z0-9_]*(\\[[0-9]+])?(\\.[a-z0-9_]+)*");
  private static final Set<String> SIGNAL_KEYS = Set.of("name", "unit", "description");

  private final ConnectorRegistry registry;
  private final Function<String, String> env;

  public ConfigLoader(ConnectorRegistry registry, Function<String, String> env) {
    this.registry = registry;
    this.env = env;
  }

  public ConfigLoader(ConnectorRegistry registry) {
    this(registry, System::getenv);
  }

  /** The configuration, or an {@link io.atelier.connector.api.config.InvalidConfigException}. */
  public GatewayConfig load(Path file) {
    ConfigProblems problems = new ConfigProblems();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add("(file)", "cannot read " + file + ": " + e.getMessage());
      problems.throwIfAny();
      throw new AssertionError("unreachable");
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base == null ? Path.of(".") : base);
  }

  /** Parses YAML text; relative paths ({@code ${file:..}}) resolve against {@code baseDir}. */
  public GatewayConfig parse(String yaml, Path baseDir) {
    ConfigProblems problems = new ConfigProblems();
    Map<String, Object> root = readYaml(yaml, problems);
    problems.throwIfAny();
    @SuppressWarnings("unchecked")
    Map<String, Object> substituted =
        (Map<String, Object>) new ConfigSubstitution(env, baseDir).apply(root, "", problems);
    GatewayConfig config = read(new ConfigNode("", substituted, problems), baseDir);
    problems.throwIfAny();
    return config;
  }

  private static Map<String, Object> readYaml(String yaml, ConfigProblems problems) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    try {
      Object tree = mapper.readValue(yaml, Object.class);
      if (tree == null) {
        problems.add("(file)", "the file is empty");
        return Map.of();
      }
      if (!(tree instanceof Map)) {
        problems.add("(file)", "expected a mapping at the top level", tree);
        return Map.of();
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) tree;
      return map;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? "(file)"
              : "(line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      problems.add(where, "not valid YAML: " + e.getOriginalMessage());
      return Map.of();
    }
  }

  private GatewayConfig read(ConfigNode root, Path baseDir) {
    ConfigNode gw = root.childOrEmpty("gateway");
    String name = gw.string("name", "atelier");
    // Relative to the working directory, like every path a user types on the command line.
    Path dataDir = Path.of(gw.string("dataDir", "atelier-data")).toAbsolutePath().normalize();
    gw.rejectUnknownKeys();

    HttpSettings httpSettings = HttpSettingsReader.read(root.childOrEmpty("http"), baseDir);

    ConfigNode pl = root.childOrEmpty("pipeline");
    PipelineSettings pipeline =
        new PipelineSettings(
            pl.integer("capacity", 100_000, 16, 50_000_000),
            pl.integer("batchSize", 2_000, 1, 1_000_000),
            pl.enumValue("overflow", OverflowPolicy.class, OverflowPolicy.REJECT));
    pl.rejectUnknownKeys();

    StorageSettings storage = StorageSettings.read(root.childOrEmpty("storage"), dataDir);

    // Read before the machines: their kpi blocks refer to its calendars.
    KpiSettings kpi = KpiSettings.read(root.childOrEmpty("kpi"));
    SimulatorSettings simulator = SimulatorSettings.read(root.childOrEmpty("simulator"));

    List<ConfigNode> connectionNodes = root.children("connections");
    List<ConfigNode> machineNodes = root.children("machines");
    root.rejectUnknownKeys();

    Map<String, ConfigNode> connectionsById = new LinkedHashMap<>();
    Map<String, String> connectionTypes = new HashMap<>();
    for (ConfigNode c : connectionNodes) {
      String id = readId(c);
      String type = c.requiredString("type");
      c.child("settings");
      c.rejectUnknownKeys();
      if (!type.isEmpty() && registry.factory(type).isEmpty()) {
        c.problems()
            .add(
                c.path("type"),
                "unknown connection type; known types: " + String.join(", ", registry.types()),
                type);
      }
      if (id.isEmpty()) {
        continue;
      }
      if (connectionsById.putIfAbsent(id, c) != null) {
        c.problems().add(c.path("id"), "duplicate connection id", id);
      } else {
        connectionTypes.put(id, type);
      }
    }

    List<MachineConfig> machines = new ArrayList<>();
    Map<String, List<MachineSpec>> machinesByConnection = new HashMap<>();
    Set<String> machineIds = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (ConfigNode m : machineNodes) {
      readMachine(m, kpi, connectionsById.keySet(), machineIds, paths)
          .ifPresent(
              pair -> {
                machines.add(pair.config());
                machinesByConnection
                    .computeIfAbsent(pair.config().connection(), k -> new ArrayList<>())
                    .add(pair.spec());
              });
    }

    List<ConnectionSpec> connections = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> e : connectionsById.entrySet()) {
      ConfigNode c = e.getValue();
      Map<String, Object> settings =
          c.raw("settings").filter(Map.class::isInstance).map(ConfigLoader::asMap).orElse(Map.of());
      ConnectionSpec spec =
          new ConnectionSpec(
              e.getKey(),
              connectionTypes.get(e.getKey()),
              c.path(),
              settings,
              machinesByConnection.getOrDefault(e.getKey(), List.of()));
      Optional<ConnectorFactory> factory = registry.factory(spec.type());
      factory.ifPresent(f -> validateSafely(f, spec, c.problems()));
      connections.add(spec);
    }

    return new GatewayConfig(
        new GatewaySettings(name, dataDir),
        httpSettings,
        pipeline,
        connections,
        machines,
        kpi,
        storage,
        simulator);
  }

  /** A machine as read: what the gateway shows and what its connector gets. */
  public record MachinePair(MachineConfig config, MachineSpec spec) {}

  /**
   * Reads one machine entry with every check of the file (also used by the machine API, which
   * passes the ids, paths and connections already taken). Problems go to the node's {@link
   * ConfigProblems}.
   */
  public Optional<MachinePair> readMachine(
      ConfigNode m,
      KpiSettings kpi,
      Set<String> connectionIds,
      Set<String> machineIds,
      Set<String> paths) {
    String id = readId(m);
    String pathText = m.requiredString("path");
    String connection = m.requiredString("connection");
    String description = m.string("description", "");
    Map<String, String> metadata = new LinkedHashMap<>();
    m.child("metadata")
        .ifPresent(
            md -> {
              for (String key : md.keys()) {
                md.string(key).ifPresent(v -> metadata.put(key, v));
              }
            });
    Map<String, Object> source = m.child("source").map(ConfigNode::asMap).orElse(Map.of());
    List<SignalSpec> signals = new ArrayList<>();
    Set<String> signalNames = new HashSet<>();
    for (ConfigNode s : m.children("signals")) {
      String signal = s.requiredString("name");
      s.string("unit");
      s.string("description");
      if (!signal.isEmpty() && !SIGNAL.matcher(signal).matches()) {
        s.problems().add(s.path("name"), "signal names are lower snake case (a-z, 0-9, _)", signal);
      } else if (!signal.isEmpty() && !signalNames.add(signal)) {
        s.problems().add(s.path("name"), "duplicate signal name in this machine", signal);
      }
      Map<String, Object> options = new LinkedHashMap<>(s.asMap());
      SIGNAL_KEYS.forEach(options::remove);
      signals.add(new SignalSpec(signal, s.path(), options));
    }
    MachineKpiConfig machineKpi = MachineKpiConfig.read(m.childOrEmpty("kpi"), kpi);
    m.rejectUnknownKeys();

    if (!id.isEmpty() && !machineIds.add(id)) {
      m.problems().add(m.path("id"), "duplicate machine id", id);
      return Optional.empty();
    }
    if (!connection.isEmpty() && !connectionIds.contains(connection)) {
      m.problems()
          .add(m.path("connection"), "no connection with this id in 'connections'", connection);
    }
    MachineRef ref = null;
    if (!pathText.isEmpty()) {
      try {
        ref = MachineRef.parse(pathText);
        if (!paths.add(ref.path())) {
          m.problems().add(m.path("path"), "two machines share this ISA-95 path", pathText);
        }
      } catch (IllegalArgumentException e) {
        m.problems().add(m.path("path"), e.getMessage(), pathText);
      }
    }
    if (id.isEmpty() || ref == null || connection.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = signals.stream().map(SignalSpec::name).toList();
    return Optional.of(
        new MachinePair(
            new MachineConfig(id, ref, connection, description, metadata, names, machineKpi),
            new MachineSpec(id, ref, m.path(), source, signals)));
  }

  private static String readId(ConfigNode node) {
    String id = node.requiredString("id");
    if (!id.isEmpty() && !ID.matcher(id).matches()) {
      node.problems().add(node.path("id"), "ids use letters, digits, '.', '_' and '-' only", id);
      return "";
    }
    return id;
  }

  /** Runs a connector factory's checks; a factory that throws still yields a problem. */
  public static void validateSafely(
      ConnectorFactory factory, ConnectionSpec spec, ConfigProblems problems) {
    try {
      factory.validate(spec, problems);
    } catch (RuntimeException e) {
      // A factory must not throw on bad input; if one does, the user still gets a message.
      problems.add(spec.path(), "the " + spec.type() + " connector could not check this: " + e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
