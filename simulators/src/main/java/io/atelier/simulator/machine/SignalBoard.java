package io.atelier.simulator.machine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meeting point between the machine models and the protocol endpoints: models write the current
 * value of each signal here, the OPC UA server and the MQTT publisher read it and are told of every
 * change. Thread-safe. Keeping the two sides apart lets a machine be served over any protocol and
 * lets a protocol endpoint restart without touching the models.
 */
public final class SignalBoard {

  /** The current value of one signal and when it last changed. */
  public record Value(Object value, Instant time) {}

  /** Told of every change, on the thread that made it; must not block. */
  @FunctionalInterface
  public interface Listener {
    void changed(MachineInfo machine, SignalDef signal, Object value, Instant time);
  }

  /** A machine's signals by name and their current values: one lookup per change, no key built. */
  private record Entry(
      MachineInfo info, Map<String, SignalDef> signals, Map<String, Value> values) {}

  private final Map<String, Entry> machines = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Declares a machine and the initial value of each of its signals. */
  public void define(MachineInfo machine, Map<String, Object> initialValues, Instant time) {
    Map<String, SignalDef> signals = new HashMap<>();
    Map<String, Value> values = new ConcurrentHashMap<>();
    for (SignalDef s : machine.signals()) {
      Object v = initialValues.get(s.name());
      if (v == null) {
        throw new IllegalArgumentException("no initial value for " + machine.id() + "/" + s.name());
      }
      signals.put(s.name(), s);
      values.put(s.name(), new Value(v, time));
    }
    if (machines.putIfAbsent(machine.id(), new Entry(machine, Map.copyOf(signals), values))
        != null) {
      throw new IllegalArgumentException("machine defined twice: " + machine.id());
    }
    order.add(machine.id());
  }

  /** Sets a signal; listeners hear of it only when the value actually changed. */
  public void set(String machineId, String signal, Object value, Instant time) {
    Entry m = machines.get(machineId);
    if (m == null) {
      throw new IllegalArgumentException("unknown machine " + machineId);
    }
    SignalDef def = m.signals().get(signal);
    if (def == null) {
      throw new IllegalArgumentException("unknown signal " + machineId + "/" + signal);
    }
    Value old = m.values().put(signal, new Value(value, time));
    if (old == null || !old.value().equals(value)) {
      for (Listener l : listeners) {
        l.changed(m.info(), def, value, time);
      }
    }
  }

  public Optional<Value> get(String machineId, String signal) {
    Entry m = machines.get(machineId);
    return m == null ? Optional.empty() : Optional.ofNullable(m.values().get(signal));
  }

  /** Machines in the order they were defined. */
  public List<MachineInfo> machines() {
    List<MachineInfo> out = new ArrayList<>();
    for (String id : order) {
      out.add(machines.get(id).info());
    }
    return out;
  }

  public Optional<MachineInfo> machine(String id) {
    return Optional.ofNullable(machines.get(id)).map(Entry::info);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }
}
