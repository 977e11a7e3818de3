package io.atelier.gateway.kpi;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.gateway.kpi.StateMapping.Mapped;
import io.atelier.gateway.kpi.StateMapping.Rules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a machine's {@code kpi.state} block and holds the built-in presets. */
public final class StateMappings {

  /** PackML StateCurrent (ISA-TR88.00.02) codes and names, with their default state. */
  private static final Object[][] PACKML = {
    {1, "Clearing", MachineState.DOWN},
    {2, "Stopped", MachineState.IDLE},
    {3, "Starting", MachineState.IDLE},
    {4, "Idle", MachineState.IDLE},
    {5, "Suspended", MachineState.IDLE},
    {6, "Execute", MachineState.PRODUCING},
    {7, "Stopping", MachineState.IDLE},
    {8, "Aborting", MachineState.DOWN},
    {9, "Aborted", MachineState.DOWN},
    {10, "Holding", MachineState.DOWN},
    {11, "Held", MachineState.DOWN},
    {12, "Unholding", MachineState.DOWN},
    {13, "Suspending", MachineState.IDLE},
    {14, "Unsuspending", MachineState.IDLE},
    {15, "Resetting", MachineState.IDLE},
    {16, "Completing", MachineState.IDLE},
    {17, "Complete", MachineState.IDLE},
  };

  /** OPC UA Machinery item state / operation mode to state; "*" is any mode. */
  private static final Map<String, MachineState> MACHINERY = new LinkedHashMap<>();

  static {
    MACHINERY.put("EXECUTING/PROCESSING", MachineState.PRODUCING);
    MACHINERY.put("EXECUTING/NONE", MachineState.PRODUCING);
    MACHINERY.put("EXECUTING/SETUP", MachineState.SETUP);
    MACHINERY.put("EXECUTING/MAINTENANCE", MachineState.DOWN);
    MACHINERY.put("EXECUTING/*", MachineState.PRODUCING);
    MACHINERY.put("NOTEXECUTING/SETUP", MachineState.SETUP);
    MACHINERY.put("NOTEXECUTING/MAINTENANCE", MachineState.DOWN);
    MACHINERY.put("NOTEXECUTING/*", MachineState.IDLE);
    MACHINERY.put("OUTOFSERVICE/*", MachineState.DOWN);
    MACHINERY.put("NOTAVAILABLE/*", MachineState.PLANNED_STOP);
  }

  private StateMappings() {}

  /** The default: signal {@code state} carrying Atelier state names (what the simulators send). */
  public static StateMapping atelierDefault() {
    return new StateMapping.Codes("codes", "state", atelierCodes(), MachineState.DOWN);
  }

  private static Map<String, Mapped> atelierCodes() {
    Map<String, Mapped> codes = new LinkedHashMap<>();
    for (MachineState s : MachineState.values()) {
      codes.put(s.name(), new Mapped(s, s.name(), true));
    }
    return codes;
  }

  private static Map<String, Mapped> packmlCodes() {
    Map<String, Mapped> codes = new LinkedHashMap<>();
    for (Object[] row : PACKML) {
      String name = (String) row[1];
      Mapped m = new Mapped((MachineState) row[2], name, true);
      codes.put(row[0].toString(), m);
      codes.put(CodeKey.of(name), m);
    }
    return codes;
  }

  /**
   * Reads {@code kpi.state}; see docs/kpis.md for the forms. Records problems and returns the
   * default mapping when the block cannot be used.
   */
  public static StateMapping read(ConfigNode node) {
    String type = node.string("type", "codes").trim().toLowerCase(java.util.Locale.ROOT);
    MachineState unknown = readState(node, "unknown", MachineState.DOWN);
    StateMapping result =
        switch (type) {
          case "codes", "state" ->
              codes(node, "codes", node.string("signal", "state"), atelierCodes(), unknown);
          case "packml" ->
              codes(node, "packml", node.string("signal", "packml_state"), packmlCodes(), unknown);
          case "opcua-machinery", "machinery" -> machinery(node, unknown);
          case "euromap" -> euromap(node, unknown);
          case "rules" -> rules(node, unknown);
          default -> {
            node.problems()
                .add(
                    node.path("type"),
                    "expected one of codes, packml, opcua-machinery, euromap, rules",
                    type);
            yield atelierDefault();
          }
        };
    node.rejectUnknownKeys();
    return result;
  }

  private static StateMapping codes(
      ConfigNode node, String kind, String signal, Map<String, Mapped> base, MachineState unknown) {
    Map<String, Mapped> codes = new LinkedHashMap<>(base);
    node.child("map")
        .ifPresent(
            map -> {
              for (String key : map.keys()) {
                MachineState s = readState(map, key, null);
                if (s != null) {
                  Mapped old = codes.get(CodeKey.of(key));
                  String nativeName = old != null ? old.nativeState() : key.trim();
                  codes.put(CodeKey.of(key), new Mapped(s, nativeName, true));
                }
              }
            });
    return new StateMapping.Codes(kind, signal, codes, unknown);
  }

  private static StateMapping machinery(ConfigNode node, MachineState unknown) {
    String item = node.string("itemState", "machinery_state");
    String mode = node.string("operationMode", "operation_mode");
    Map<String, MachineState> table = new LinkedHashMap<>(MACHINERY);
    node.child("map")
        .ifPresent(
            map -> {
              for (String key : map.keys()) {
                MachineState s = readState(map, key, null);
                String k = key.trim().replace(" ", "").toUpperCase(java.util.Locale.ROOT);
                if (!k.contains("/")) {
                  k = k + "/*";
                }
                if (s != null) {
                  table.put(k, s);
                }
              }
            });
    return new StateMapping.Machinery(item, mode, table, unknown);
  }

  /**
   * EUROMAP 83 MachineMode (0 OTHER, 1 AUTOMATIC, 2 SEMI_AUTOMATIC, 3 MANUAL, 4 SETUP, 5 SLEEP),
   * refined by an optional alarm signal (DOWN while it is true) and an optional running signal
   * (PRODUCING in automatic modes only while it is true).
   */
  private static StateMapping euromap(ConfigNode node, MachineState unknown) {
    String mode = node.string("mode", "machine_mode");
    Optional<String> alarm = node.string("alarm");
    Optional<String> running = node.string("running");
    List<String> signals = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    alarm.ifPresent(a -> rules.add(new Rule(Condition.parse(a, signals), MachineState.DOWN)));
    rules.add(rule(mode + " == 4 or " + mode + " == 'SETUP'", MachineState.SETUP, signals));
    rules.add(rule(mode + " == 5 or " + mode + " == 'SLEEP'", MachineState.PLANNED_STOP, signals));
    String auto =
        mode
            + " == 1 or "
            + mode
            + " == 2 or "
            + mode
            + " == 'AUTOMATIC' or "
            + mode
            + " == 'SEMI_AUTOMATIC'";
    if (running.isPresent()) {
      String r = running.get();
      auto =
          mode
              + " == 1 and "
              + r
              + " or "
              + mode
              + " == 2 and "
              + r
              + " or "
              + mode
              + " == 'AUTOMATIC' and "
              + r
              + " or "
              + mode
              + " == 'SEMI_AUTOMATIC' and "
              + r;
    }
    rules.add(rule(auto, MachineState.PRODUCING, signals));
    return new StateMapping.Rules(signals, rules, MachineState.IDLE, false);
  }

  private static Rule rule(String expression, MachineState state, List<String> signals) {
    return new Rule(Condition.parse(expression, signals), state);
  }

  private static StateMapping rules(ConfigNode node, MachineState unknown) {
    List<String> signals = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    if (!node.has("rules")) {
      node.problems().add(node.path("rules"), "at least one rule is needed");
    }
    List<ConfigNode> items = node.children("rules");
    for (ConfigNode r : items) {
      String when = r.requiredString("when");
      MachineState state = readState(r, "state", null);
      if (state == null && !r.has("state")) {
        r.problems().add(r.path("state"), "missing required field");
      }
      r.rejectUnknownKeys();
      if (when.isEmpty() || state == null) {
        continue;
      }
      try {
        rules.add(new Rule(Condition.parse(when, signals), state));
      } catch (IllegalArgumentException e) {
        r.problems().add(r.path("when"), "not a valid expression: " + e.getMessage(), when);
      }
    }
    MachineState otherwise = readState(node, "otherwise", null);
    if (signals.isEmpty()) {
      signals.add("state");
    }
    return otherwise != null
        ? new StateMapping.Rules(signals, rules, otherwise, false)
        : new StateMapping.Rules(signals, rules, unknown, true);
  }

  /** A state name; records a problem and returns {@code fallback} if it is not one. */
  static MachineState readState(ConfigNode node, String key, MachineState fallback) {
    Optional<String> text = node.string(key);
    if (text.isEmpty()) {
      return fallback;
    }
    Optional<MachineState> s = MachineState.parse(text.get());
    if (s.isEmpty()) {
      node.problems().add(node.path(key), "expected one of " + MachineState.choices(), text.get());
      return fallback;
    }
    return s.get();
  }
}
