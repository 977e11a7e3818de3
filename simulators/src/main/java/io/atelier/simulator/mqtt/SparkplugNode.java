package io.atelier.simulator.mqtt;

import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * The simulator as one Sparkplug B edge node whose devices are the {@code sparkplug} machines:
 * NBIRTH (with bdSeq and the Node Control/Rebirth metric), a DBIRTH per device declaring every
 * metric with its alias, DDATA per change by alias, seq 0 to 255 wrapping, and the NDEATH that goes
 * to the broker as the will of each connection. Not thread-safe: used on the publisher's thread.
 */
final class SparkplugNode {

  static final String PROTOCOL = "sparkplug";
  static final String NAMESPACE = "spBv1.0";
  static final String BD_SEQ = "bdSeq";
  static final String REBIRTH = "Node Control/Rebirth";

  private final String groupId;
  private final String edgeNodeId;
  private final List<MachineInfo> devices;
  private final Map<String, Long> aliases = new HashMap<>();
  private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();

  /** bdSeq of the current (or next) connection; -1 before the first. */
  private long bdSeq = -1;

  private long seq;

  SparkplugNode(String groupId, String edgeNodeId, List<MachineInfo> devices) {
    this.groupId = groupId;
    this.edgeNodeId = edgeNodeId;
    this.devices = List.copyOf(devices);
    long next = 1; // alias 0 is Node Control/Rebirth
    for (MachineInfo m : this.devices) {
      for (SignalDef s : m.signals()) {
        aliases.put(key(m.id(), s.name()), next++);
      }
    }
  }

  boolean hasDevices() {
    return !devices.isEmpty();
  }

  String topic(String messageType) {
    return NAMESPACE + "/" + groupId + "/" + messageType + "/" + edgeNodeId;
  }

  String deviceTopic(String messageType, String deviceId) {
    return topic(messageType) + "/" + deviceId;
  }

  /** Starts the numbering of a new MQTT connection; returns its bdSeq (0 to 255). */
  long beginConnection() {
    bdSeq = (bdSeq + 1) % 256;
    return bdSeq;
  }

  /** The NDEATH of the current connection, to register as the will and to send on stop. */
  byte[] death() {
    SparkplugBPayload payload =
        new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(new Date())
            .addMetric(metric(BD_SEQ, null, MetricDataType.Int64, bdSeq, new Date()))
            .createPayload();
    return encode(payload);
  }

  /** NBIRTH then every DBIRTH, with current values; restarts seq at 0. */
  List<OutboundMessage> births(SignalBoard board) {
    seq = 0;
    Date now = new Date();
    List<OutboundMessage> out = new ArrayList<>();
    SparkplugBPayload nbirth =
        new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(now)
            .setSeq(nextSeq())
            .addMetric(metric(BD_SEQ, null, MetricDataType.Int64, bdSeq, now))
            .addMetric(metric(REBIRTH, 0L, MetricDataType.Boolean, false, now))
            .createPayload();
    out.add(new OutboundMessage(topic("NBIRTH"), encode(nbirth), 1, true));
    for (MachineInfo m : devices) {
      SparkplugBPayload.SparkplugBPayloadBuilder dbirth =
          new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(now).setSeq(nextSeq());
      for (SignalDef s : m.signals()) {
        Optional<SignalBoard.Value> v = board.get(m.id(), s.name());
        Object value =
            v.map(SignalBoard.Value::value).flatMap(x -> coerce(s.type(), x)).orElse(null);
        Date time = v.map(x -> Date.from(x.time())).orElse(now);
        dbirth.addMetric(
            metric(s.name(), aliases.get(key(m.id(), s.name())), typeOf(s.type()), value, time));
      }
      out.add(
          new OutboundMessage(
              deviceTopic("DBIRTH", m.id()), encode(dbirth.createPayload()), 1, true));
    }
    return out;
  }

  /** DDATA for one change, by alias; empty when the value does not fit the metric's type. */
  Optional<OutboundMessage> data(
      MachineInfo machine, SignalDef signal, Object value, Instant time, int qos) {
    Optional<Object> coerced = coerce(signal.type(), value);
    Long alias = aliases.get(key(machine.id(), signal.name()));
    if (coerced.isEmpty() || alias == null) {
      return Optional.empty();
    }
    SparkplugBPayload payload =
        new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(new Date())
            .setSeq(nextSeq())
            .addMetric(metric(null, alias, typeOf(signal.type()), coerced.get(), Date.from(time)))
            .createPayload();
    return Optional.of(
        new OutboundMessage(deviceTopic("DDATA", machine.id()), encode(payload), qos, true));
  }

  /** True when an NCMD payload asks for Node Control/Rebirth = true (by name or alias 0). */
  static boolean isRebirthRequest(byte[] ncmd) throws Exception {
    SparkplugBPayload payload = new SparkplugBPayloadDecoder().buildFromByteArray(ncmd, null);
    for (Metric m : payload.getMetrics()) {
      boolean named = REBIRTH.equals(m.getName());
      boolean aliased = !m.hasName() && m.hasAlias() && m.getAlias() == 0L;
      if ((named || aliased) && Boolean.TRUE.equals(m.getValue())) {
        return true;
      }
    }
    return false;
  }

  static MetricDataType typeOf(SignalType type) {
    return switch (type) {
      case DOUBLE -> MetricDataType.Double;
      case LONG -> MetricDataType.Int64;
      case BOOLEAN -> MetricDataType.Boolean;
      case STRING -> MetricDataType.String;
    };
  }

  static Optional<Object> coerce(SignalType type, Object value) {
    return Optional.ofNullable(
        switch (type) {
          case DOUBLE -> value instanceof Number n ? (Object) n.doubleValue() : null;
          case LONG ->
              value instanceof Long || value instanceof Integer || value instanceof Short
                  ? (Object) ((Number) value).longValue()
                  : null;
          case BOOLEAN -> value instanceof Boolean ? value : null;
          case STRING -> value instanceof String ? value : null;
        });
  }

  private long nextSeq() {
    long s = seq;
    seq = (seq + 1) % 256;
    return s;
  }

  private static Metric metric(
      String name, Long alias, MetricDataType type, Object value, Date time) {
    try {
      Metric.MetricBuilder b = new Metric.MetricBuilder(name, type, value).timestamp(time);
      if (alias != null) {
        b.alias(alias);
      }
      return b.createMetric();
    } catch (SparkplugInvalidTypeException e) {
      throw new IllegalStateException("metric " + name + " of type " + type, e);
    }
  }

  private byte[] encode(SparkplugBPayload payload) {
    try {
      return encoder.getBytes(payload, false);
    } catch (IOException e) {
      throw new IllegalStateException("Sparkplug encoding failed", e);
    }
  }

  private static String key(String machineId, String signal) {
    return machineId + '\u0000' + signal;
  }
}
