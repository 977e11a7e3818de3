package io.atelier.gateway.kpi;

import java.util.List;
import java.util.Map;

/**
 * How a machine's native state signals become a {@link MachineState}. A mapping is a pure function
 * of the latest value of each of its input signals, so it is immutable and shared; the machine
 * keeps the inputs. Read from YAML by {@link StateMappings#read}.
 */
public sealed interface StateMapping
    permits StateMapping.Codes, StateMapping.Machinery, StateMapping.Rules {

  /** The outcome of a mapping: the state, the native state as text, and whether it was known. */
  record Mapped(MachineState state, String nativeState, boolean known) {}

  /** The input signals, in input order. */
  List<String> signals();

  /** Maps the inputs (null = no value yet); empty inputs give an unknown OFFLINE. */
  Mapped map(Object[] inputs);

  /**
   * One signal whose values are codes: PackML StateCurrent numbers, Atelier state names, any
   * vendor's codes. Keys are {@link CodeKey} texts.
   *
   * @param kind the preset it came from (state, packml, codes), for messages
   * @param signal the signal
   * @param codes code to outcome (nativeState holds the code's name where the preset has one)
   * @param unknown the state for a code not in the map (counted)
   */
  record Codes(String kind, String signal, Map<String, Mapped> codes, MachineState unknown)
      implements StateMapping {
    public Codes {
      codes = Map.copyOf(codes);
    }

    @Override
    public List<String> signals() {
      return List.of(signal);
    }

    @Override
    public Mapped map(Object[] inputs) {
      Object v = inputs[0];
      if (v == null) {
        return new Mapped(MachineState.OFFLINE, "", false);
      }
      String key = CodeKey.of(v);
      Mapped m = codes.get(key);
      return m != null ? m : new Mapped(unknown, key, false);
    }
  }

  /**
   * OPC UA Machinery (OPC 40001-1): the MachineryItemState (NotAvailable, OutOfService,
   * NotExecuting, Executing) together with the MachineryOperationMode (None, Maintenance, Setup,
   * Processing). Keys are {@code ITEMSTATE/MODE} or {@code ITEMSTATE/*}, upper case.
   */
  record Machinery(
      String itemStateSignal,
      String operationModeSignal,
      Map<String, MachineState> table,
      MachineState unknown)
      implements StateMapping {
    public Machinery {
      table = Map.copyOf(table);
    }

    @Override
    public List<String> signals() {
      return operationModeSignal.isEmpty()
          ? List.of(itemStateSignal)
          : List.of(itemStateSignal, operationModeSignal);
    }

    @Override
    public Mapped map(Object[] inputs) {
      if (inputs[0] == null) {
        return new Mapped(MachineState.OFFLINE, "", false);
      }
      String item = CodeKey.of(inputs[0]);
      String mode = inputs.length > 1 && inputs[1] != null ? CodeKey.of(inputs[1]) : "*";
      String key = item + "/" + mode;
      MachineState s = table.get(key);
      if (s == null) {
        s = table.get(item + "/*");
      }
      return s != null ? new Mapped(s, key, true) : new Mapped(unknown, key, false);
    }
  }

  /**
   * Rules in priority order: the first whose condition holds gives the state; none holding gives
   * {@code otherwise}, or the unknown state (counted) when no {@code otherwise} was configured.
   */
  record Rules(
      List<String> signals, List<Rule> rules, MachineState fallback, boolean fallbackIsUnknown)
      implements StateMapping {

    /** One rule: when the condition holds, the machine is in this state. */
    public record Rule(Condition when, MachineState state) {}

    public Rules {
      signals = List.copyOf(signals);
      rules = List.copyOf(rules);
    }

    @Override
    public Mapped map(Object[] inputs) {
      boolean any = false;
      for (Object o : inputs) {
        any |= o != null;
      }
      if (!any) {
        return new Mapped(MachineState.OFFLINE, "", false);
      }
      for (Rule r : rules) {
        if (r.when().test(inputs)) {
          return new Mapped(r.state(), r.when().text(), true);
        }
      }
      return new Mapped(fallback, "otherwise", !fallbackIsUnknown);
    }
  }
}
