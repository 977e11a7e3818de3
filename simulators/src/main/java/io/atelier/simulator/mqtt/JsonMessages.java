package io.atelier.simulator.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON style: {@code atelier/<site>/<area>/<line>/<machine>/<signal>} with {@code {"ts": <epoch
 * ms>, "value": ...}} per change, or, batched, {@code atelier/<site>/<area>/<line>/<machine>} with
 * {@code {"ts": ..., "values": {...}}} per tick holding the signals that changed since the last
 * tick ({@code ts} is the latest of their change times). Not thread-safe: used on the publisher's
 * thread.
 */
final class JsonMessages {

  static final String PROTOCOL = "mqtt-json";
  static final String TOPIC_ROOT = "atelier";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int qos;

  /** Per machine id: signal name to value, and the latest change time, since the last tick. */
  private final Map<String, Map<String, Object>> pendingValues = new LinkedHashMap<>();

  private final Map<String, Instant> pendingTimes = new LinkedHashMap<>();
  private final Map<String, MachineInfo> machines = new LinkedHashMap<>();

  JsonMessages(int qos) {
    this.qos = qos;
  }

  static String signalTopic(MachineInfo machine, SignalDef signal) {
    return machineTopic(machine) + "/" + signal.name();
  }

  static String machineTopic(MachineInfo machine) {
    return TOPIC_ROOT + "/" + machine.ref().path();
  }

  /** The message for one change, or empty when the value cannot be written as JSON. */
  Optional<OutboundMessage> single(
      MachineInfo machine, SignalDef signal, Object value, Instant time) {
    if (!representable(value)) {
      return Optional.empty();
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("ts", time.toEpochMilli());
    body.set("value", JSON.valueToTree(value));
    // Retained: a subscriber that joins later (a gateway started after the simulator) gets every
    // signal's last value at once, also those that rarely change (ideal cycle time, state), which
    // it would otherwise never learn. (A batch holds only what changed, so it is not retained.)
    return Optional.of(
        new OutboundMessage(signalTopic(machine, signal), bytes(body), qos, false, true));
  }

  /** Remembers a change for the next tick; false when the value cannot be written as JSON. */
  boolean remember(MachineInfo machine, SignalDef signal, Object value, Instant time) {
    if (!representable(value)) {
      return false;
    }
    machines.putIfAbsent(machine.id(), machine);
    pendingValues
        .computeIfAbsent(machine.id(), id -> new LinkedHashMap<>())
        .put(signal.name(), value);
    pendingTimes.merge(machine.id(), time, (a, b) -> a.isAfter(b) ? a : b);
    return true;
  }

  /** One message per machine that changed since the last tick. */
  List<OutboundMessage> tick() {
    List<OutboundMessage> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : pendingValues.entrySet()) {
      ObjectNode body = JSON.createObjectNode();
      body.put("ts", pendingTimes.get(e.getKey()).toEpochMilli());
      body.set("values", JSON.valueToTree(e.getValue()));
      out.add(new OutboundMessage(machineTopic(machines.get(e.getKey())), bytes(body), qos, false));
    }
    pendingValues.clear();
    pendingTimes.clear();
    return out;
  }

  /** NaN and infinities have no JSON form; other types come from the machine models' contract. */
  private static boolean representable(Object value) {
    if (value instanceof Double d) {
      return Double.isFinite(d);
    }
    if (value instanceof Float f) {
      return Float.isFinite(f);
    }
    return value instanceof Number || value instanceof Boolean || value instanceof String;
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON encoding of a plain object node failed", e);
    }
  }
}
