package io.atelier.connector.mqtt;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.connector.mqtt.MachineMapping.Resolution;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;

/**
 * Sparkplug B, from the host application's side: births register each edge node's metric names,
 * aliases and data types; data is resolved by alias or name; deaths mark the signals of that device
 * (or of every device of that node) BAD. A sequence gap, or data from a node or device we have not
 * seen born, asks the edge node for a rebirth (rate-limited per node).
 *
 * <p>Stateful, so calls are synchronized; Paho delivers from one thread anyway.
 */
final class SparkplugDecoder {

  /** One rebirth request per edge node per interval at most, so a flood of gaps stays quiet. */
  static final long REBIRTH_INTERVAL_NANOS = 5_000_000_000L;

  /** Hostile topics must not grow the state without bound. */
  static final int MAX_NODES = 4096;

  /** Ignition and others send a {@code Quality} property; 192 is OPC DA "good". */
  private static final int SPARKPLUG_GOOD_QUALITY = 192;

  /** Asks an edge node for a rebirth (publishes NCMD Node Control/Rebirth = true). */
  interface RebirthRequester {
    void requestRebirth(SparkplugTopic node);
  }

  private record AliasTarget(String device, String metric) {}

  private static final class DeviceState {
    boolean born;
    final Map<String, Boolean> metrics = new LinkedHashMap<>();
  }

  private static final class NodeState {
    boolean born;
    long lastSeq = -1;
    Long bdSeq;
    long lastRebirthNanos;
    boolean rebirthEverRequested;
    final MetricDataTypeMap types = new MetricDataTypeMap();
    final Map<Long, AliasTarget> aliases = new HashMap<>();
    final Map<String, DeviceState> devices = new HashMap<>();

    NodeState() {
      // Tahu's decoder logs an ERROR for every metric without a data type when the map is
      // empty; with any entry it fails quietly instead (and we count the message).
      types.addMetricDataType("\u0000atelier-sentinel", MetricDataType.Unknown);
    }
  }

  private final MqttMapping mapping;
  private final RebirthRequester rebirth;
  private final MqttStats stats;
  private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
  private final Map<String, NodeState> nodes =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NodeState> eldest) {
          return size() > MAX_NODES;
        }
      };

  SparkplugDecoder(MqttMapping mapping, RebirthRequester rebirth, MqttStats stats) {
    this.mapping = mapping;
    this.rebirth = rebirth;
    this.stats = stats;
  }

  synchronized Decoded decode(String topicName, byte[] payload, Instant receivedAt) {
    Optional<SparkplugTopic> parsed = SparkplugTopic.parse(topicName);
    if (parsed.isEmpty()) {
      return Decoded.rejected(RejectReason.SPARKPLUG_MALFORMED, "not a Sparkplug B topic");
    }
    SparkplugTopic topic = parsed.get();
    return switch (topic.type()) {
      case "STATE", "NCMD", "DCMD" -> Decoded.nothing(); // host/command traffic, not data
      case "NBIRTH" -> nodeBirth(topic, payload);
      case "NDEATH" -> nodeDeath(topic, payload, receivedAt);
      case "NDATA" -> nodeData(topic, payload);
      case "DBIRTH", "DDATA" -> deviceMessage(topic, payload, receivedAt);
      case "DDEATH" -> deviceDeath(topic, payload, receivedAt);
      default ->
          Decoded.rejected(
              RejectReason.SPARKPLUG_MALFORMED, "unknown message type " + topic.type());
    };
  }

  private static String key(SparkplugTopic t) {
    return t.group() + "/" + t.node();
  }

  private Decoded nodeBirth(SparkplugTopic topic, byte[] payload) {
    NodeState node = new NodeState();
    Optional<SparkplugBPayload> p = parse(payload, node.types);
    if (p.isEmpty()) {
      return Decoded.rejected(RejectReason.SPARKPLUG_MALFORMED, "undecodable NBIRTH");
    }
    NodeState previous = nodes.get(key(topic));
    if (previous != null) {
      node.lastRebirthNanos = previous.lastRebirthNanos;
      node.rebirthEverRequested = previous.rebirthEverRequested;
    }
    register(node, null, p.get().getMetrics());
    node.bdSeq = bdSeq(p.get());
    node.lastSeq = p.get().getSeq() == null ? 0 : p.get().getSeq();
    node.born = true;
    nodes.put(key(topic), node);
    return Decoded.nothing();
  }

  private Decoded nodeDeath(SparkplugTopic topic, byte[] payload, Instant receivedAt) {
    NodeState node = nodes.get(key(topic));
    if (node == null || !node.born) {
      return Decoded.nothing();
    }
    Optional<SparkplugBPayload> p = parse(payload, node.types);
    if (p.isEmpty()) {
      return Decoded.rejected(RejectReason.SPARKPLUG_MALFORMED, "undecodable NDEATH");
    }
    Long deathBdSeq = bdSeq(p.get());
    if (node.bdSeq != null && deathBdSeq != null && !node.bdSeq.equals(deathBdSeq)) {
      // The will of an older session, delivered late: the current session is alive.
      return Decoded.nothing();
    }
    node.born = false;
    Instant ts = time(p.get().getTimestamp(), receivedAt);
    Decoded.Builder out = new Decoded.Builder();
    for (Map.Entry<String, DeviceState> d : node.devices.entrySet()) {
      if (d.getValue().born) {
        markBad(
            topic.node(), d.getKey(), d.getValue(), "sparkplug node death", ts, receivedAt, out);
      }
    }
    node.devices.clear();
    return out.build();
  }

  private Decoded nodeData(SparkplugTopic topic, byte[] payload) {
    NodeState node = nodes.get(key(topic));
    if (node == null || !node.born) {
      askRebirth(topic, node);
      return Decoded.rejected(RejectReason.SPARKPLUG_NOT_BORN, "NDATA before NBIRTH");
    }
    Optional<SparkplugBPayload> p = parse(payload, node.types);
    if (p.isEmpty()) {
      return Decoded.rejected(RejectReason.SPARKPLUG_MALFORMED, "undecodable NDATA");
    }
    checkSeq(topic, node, p.get());
    return Decoded.nothing(); // node-level metrics belong to no machine
  }

  private Decoded deviceMessage(SparkplugTopic topic, byte[] payload, Instant receivedAt) {
    String device = topic.device().orElseThrow();
    boolean birth = topic.type().equals("DBIRTH");
    NodeState node = nodes.get(key(topic));
    if (node == null || !node.born) {
      askRebirth(topic, node);
      return Decoded.rejected(
          RejectReason.SPARKPLUG_NOT_BORN, topic.type() + " before the node's NBIRTH");
    }
    Optional<MachineMapping> machine = mapping.sparkplugMachine(topic.node(), device);
    if (machine.isEmpty()) {
      return Decoded.rejected(
          RejectReason.UNKNOWN_MACHINE, "no machine for Sparkplug device '" + device + "'");
    }
    DeviceState state = node.devices.get(device);
    if (!birth && (state == null || !state.born)) {
      askRebirth(topic, node);
      return Decoded.rejected(RejectReason.SPARKPLUG_NOT_BORN, "DDATA before DBIRTH");
    }
    Optional<SparkplugBPayload> p = parse(payload, node.types);
    if (p.isEmpty()) {
      return Decoded.rejected(RejectReason.SPARKPLUG_MALFORMED, "undecodable " + topic.type());
    }
    checkSeq(topic, node, p.get());
    if (birth) {
      state = new DeviceState();
      state.born = true;
      node.devices.put(device, state);
      register(node, device, p.get().getMetrics());
      for (Metric m : p.get().getMetrics()) {
        if (m != null && m.getName() != null) {
          state.metrics.put(m.getName(), Boolean.TRUE);
        }
      }
    }
    Instant payloadTime = time(p.get().getTimestamp(), receivedAt);
    Decoded.Builder out = new Decoded.Builder();
    boolean unknownMetric = false;
    for (Metric m : p.get().getMetrics()) {
      if (m == null) {
        out.issue(RejectReason.SPARKPLUG_MALFORMED, "metric without name, alias or type");
        continue;
      }
      String name = m.getName();
      if (name == null && m.hasAlias()) {
        AliasTarget target = node.aliases.get(m.getAlias());
        name = target != null && device.equals(target.device()) ? target.metric() : null;
      }
      if (name == null) {
        out.issue(RejectReason.SPARKPLUG_UNKNOWN_METRIC, "alias " + m.getAlias() + " not born");
        unknownMetric = true;
        continue;
      }
      Resolution r = machine.get().resolveMetric(name);
      if (!r.ok()) {
        out.issue(r.reason(), "metric '" + shorten(name) + "'");
        continue;
      }
      Instant ts = time(m.getTimestamp(), payloadTime);
      Optional<Object> value = value(m);
      if (Boolean.TRUE.equals(m.isNull())) {
        out.sample(
            new Sample(
                machine.get().id(),
                r.signal(),
                null,
                Quality.bad("sparkplug null value"),
                ts,
                receivedAt));
      } else if (value.isEmpty()) {
        out.issue(RejectReason.UNSUPPORTED_TYPE, name + " has type " + m.getDataType());
      } else {
        out.sample(
            new Sample(machine.get().id(), r.signal(), value.get(), quality(m), ts, receivedAt));
      }
    }
    if (unknownMetric) {
      askRebirth(topic, node);
    }
    return out.build();
  }

  private Decoded deviceDeath(SparkplugTopic topic, byte[] payload, Instant receivedAt) {
    String device = topic.device().orElseThrow();
    NodeState node = nodes.get(key(topic));
    DeviceState state = node == null ? null : node.devices.get(device);
    if (state == null || !state.born) {
      return Decoded.nothing();
    }
    Optional<SparkplugBPayload> p = parse(payload, node.types);
    Instant ts = p.map(x -> time(x.getTimestamp(), receivedAt)).orElse(receivedAt);
    p.ifPresent(x -> checkSeq(topic, node, x));
    state.born = false;
    Decoded.Builder out = new Decoded.Builder();
    markBad(topic.node(), device, state, "sparkplug device death", ts, receivedAt, out);
    return out.build();
  }

  private void markBad(
      String edgeNode,
      String device,
      DeviceState state,
      String why,
      Instant ts,
      Instant receivedAt,
      Decoded.Builder out) {
    Optional<MachineMapping> machine = mapping.sparkplugMachine(edgeNode, device);
    if (machine.isEmpty()) {
      return;
    }
    for (String metric : state.metrics.keySet()) {
      Resolution r = machine.get().resolveMetric(metric);
      if (r.ok()) {
        out.sample(
            new Sample(machine.get().id(), r.signal(), null, Quality.bad(why), ts, receivedAt));
      }
    }
  }

  private static void register(NodeState node, String device, List<Metric> metrics) {
    for (Metric m : metrics) {
      if (m == null || m.getName() == null || m.getDataType() == null) {
        continue;
      }
      node.types.addMetricDataType(m.getName(), m.getDataType());
      if (m.hasAlias()) {
        node.types.addMetricDataType(m.getAlias(), m.getDataType());
        node.aliases.put(m.getAlias(), new AliasTarget(device, m.getName()));
      }
    }
  }

  private void checkSeq(SparkplugTopic topic, NodeState node, SparkplugBPayload p) {
    Long seq = p.getSeq();
    long expected = (node.lastSeq + 1) % 256;
    if (seq == null || seq != expected) {
      stats.increment(MqttStats.SPARKPLUG_SEQ_GAPS);
      askRebirth(topic, node);
    }
    if (seq != null) {
      node.lastSeq = seq;
    }
  }

  private void askRebirth(SparkplugTopic topic, NodeState node) {
    long now = System.nanoTime();
    if (node != null) {
      if (node.rebirthEverRequested && now - node.lastRebirthNanos < REBIRTH_INTERVAL_NANOS) {
        return;
      }
      node.rebirthEverRequested = true;
      node.lastRebirthNanos = now;
    } else {
      NodeState placeholder = new NodeState();
      placeholder.rebirthEverRequested = true;
      placeholder.lastRebirthNanos = now;
      nodes.put(key(topic), placeholder);
    }
    stats.increment(MqttStats.SPARKPLUG_REBIRTH_REQUESTS);
    rebirth.requestRebirth(topic);
  }

  private Optional<SparkplugBPayload> parse(byte[] payload, MetricDataTypeMap types) {
    try {
      return Optional.ofNullable(decoder.buildFromByteArray(payload, types));
    } catch (Exception | StackOverflowError e) {
      return Optional.empty();
    }
  }

  private static Long bdSeq(SparkplugBPayload p) {
    for (Metric m : p.getMetrics()) {
      if (m != null && "bdSeq".equals(m.getName()) && m.getValue() instanceof Number n) {
        return n.longValue();
      }
    }
    return null;
  }

  private static Instant time(Date date, Instant fallback) {
    if (date == null || date.getTime() < 0 || date.getTime() > JsonSupport.MAX_EPOCH_MILLIS) {
      return fallback;
    }
    return date.toInstant();
  }

  static Optional<Object> value(Metric m) {
    Object v = m.getValue();
    if (v instanceof Boolean || v instanceof String) {
      return Optional.of(v);
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return Optional.of(((Number) v).longValue());
    }
    if (v instanceof Float || v instanceof Double) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
    }
    if (v instanceof BigInteger b) {
      return Optional.of(b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue());
    }
    if (v instanceof Date d) {
      return Optional.of(d.getTime());
    }
    return Optional.empty();
  }

  private static Quality quality(Metric m) {
    PropertySet props = m.getProperties();
    if (props == null) {
      return Quality.GOOD;
    }
    PropertyValue<?> q = props.getPropertyValue("Quality");
    if (q != null && q.getValue() instanceof Number n && n.intValue() != SPARKPLUG_GOOD_QUALITY) {
      return new Quality(Quality.Level.BAD, n.intValue(), "sparkplug quality " + n.intValue());
    }
    return Quality.GOOD;
  }

  private static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }

  /** For tests: the edge nodes currently known. */
  synchronized List<String> knownNodes() {
    return new ArrayList<>(nodes.keySet());
  }
}
