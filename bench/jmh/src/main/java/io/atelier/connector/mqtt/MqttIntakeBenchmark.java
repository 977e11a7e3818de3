package io.atelier.connector.mqtt;

import io.atelier.bench.MachineSignals;
import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import io.atelier.connector.api.config.ConfigProblems;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the MQTT connector pays per received message, from topic and payload bytes to the list of
 * samples: {@code *Decode} is {@link MessageIntake#decode} (payload size check, Sparkplug or
 * template routing with {@link TopicTemplate#match}, the decoder); {@code *OnMessage} is the whole
 * {@link MessageIntake#onMessage} as Paho's callback calls it (counters, rejection bookkeeping, the
 * hand-over to the sink and the acknowledgement), with a sink that completes at once. Paho's own
 * receive and parse cost (see docs/benchmarks.md, Profiles) comes before this and is not in it.
 *
 * <p>A fleet of 100 machines with 20 configured signals each, the default Atelier topic layout and
 * the simulators' payloads. Single-value scores are per message (= per sample); batch and Sparkplug
 * scores are per sample (20 per message).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MqttIntakeBenchmark {

  static final int MACHINES = 100;
  static final int SIGNALS = MachineSignals.NAMES.size();
  static final int MESSAGES = 1024; // a power of two: the index wraps with a mask
  static final String EDGE_NODE = "simulator";
  static final String DEVICE = MachineSignals.machineId(0);

  MessageIntake intake;
  final String[] singleTopics = new String[MESSAGES];
  final byte[][] singlePayloads = new byte[MESSAGES][];
  final String[] batchTopics = new String[MESSAGES];
  final byte[][] batchPayloads = new byte[MESSAGES][];

  /** DDATA by sequence number 0..255, so that the decoder sees no sequence gaps. */
  final byte[][] sparkplugPayloads = new byte[256][];

  final String ddataTopic = "spBv1.0/atelier/DDATA/" + EDGE_NODE + "/" + DEVICE;
  int next;
  int seq = 1; // NBIRTH was 0, DBIRTH 1
  long handed;
  long acks;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path deadLetters = Files.createTempFile("atelier-jmh-dead-letters", ".jsonl");
    deadLetters.toFile().deleteOnExit();
    ConnectionSpec spec = spec();
    ConfigProblems problems = new ConfigProblems();
    MqttSettings settings = MqttSettings.read(spec.settingsNode(problems), spec.id());
    MqttMapping mapping = MqttMapping.read(spec, settings, problems);
    problems.throwIfAny();
    MqttStats stats = new MqttStats();
    SampleSink sink =
        (samples, completion) -> {
          handed += samples.size();
          completion.succeeded();
        };
    intake =
        new MessageIntake(
            spec.id(),
            mapping,
            settings,
            new SparkplugDecoder(mapping, node -> {}, stats),
            new MqttRejections(spec.id(), new DeadLetterFile(deadLetters, 1 << 20)),
            stats,
            sink,
            (messageId, qos, epoch) -> acks++,
            (delay, task) -> {});
    buildJson();
    buildSparkplug();
  }

  static ConnectionSpec spec() {
    List<MachineSpec> machines = new ArrayList<>();
    for (int m = 0; m < MACHINES; m++) {
      List<SignalSpec> signals = new ArrayList<>();
      for (int s = 0; s < SIGNALS; s++) {
        signals.add(
            new SignalSpec(
                MachineSignals.NAMES.get(s), "machines[" + m + "].signals[" + s + "]", Map.of()));
      }
      String id = MachineSignals.machineId(m);
      machines.add(
          new MachineSpec(id, MachineSignals.ref(id), "machines[" + m + "]", Map.of(), signals));
    }
    Map<String, Object> settings =
        Map.of(
            "url",
            "tcp://127.0.0.1:1883",
            "subscriptions",
            List.of(
                Map.of("topic", "atelier/{site}/{area}/{line}/{machine}/{signal}"),
                Map.of("topic", "atelier/{site}/{area}/{line}/{machine}"),
                Map.of("topic", "spBv1.0/atelier/#")));
    return new ConnectionSpec("broker", "mqtt", "connections[0]", settings, machines);
  }

  private void buildJson() {
    MachineSignals[] sources = new MachineSignals[MACHINES];
    for (int m = 0; m < MACHINES; m++) {
      sources[m] = new MachineSignals(m);
    }
    for (int i = 0; i < MESSAGES; i++) {
      int m = i % MACHINES;
      long ts = MachineSignals.T0 + 250L * (i / MACHINES);
      Object[] values = sources[m].next();
      String base = "atelier/platform/hall-a/machining/" + MachineSignals.machineId(m);
      int s = (i / MACHINES + m) % SIGNALS;
      singleTopics[i] = base + "/" + MachineSignals.NAMES.get(s);
      singlePayloads[i] = utf8("{\"ts\":" + ts + ",\"value\":" + json(values[s]) + "}");
      StringBuilder b = new StringBuilder("{\"ts\":").append(ts).append(",\"values\":{");
      for (int k = 0; k < SIGNALS; k++) {
        b.append(k == 0 ? "" : ",").append('"').append(MachineSignals.NAMES.get(k)).append("\":");
        b.append(json(values[k]));
      }
      batchTopics[i] = base;
      batchPayloads[i] = utf8(b.append("}}").toString());
    }
  }

  private static String json(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** NBIRTH and DBIRTH through the intake, then 256 DDATA by alias as the simulator sends them. */
  private void buildSparkplug() throws Exception {
    SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    Instant now = Instant.ofEpochMilli(MachineSignals.T0);
    List<Metric> nodeMetrics = new ArrayList<>();
    nodeMetrics.add(untimed(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, 0L)));
    nodeMetrics.add(
        untimed(
            new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, false)
                .alias(0L)));
    byte[] nbirth = encoder.getBytes(payload(MachineSignals.T0, nodeMetrics, 0), false);
    MachineSignals source = new MachineSignals(7);
    Object[] first = source.next();
    List<Metric> birth = new ArrayList<>();
    for (int s = 0; s < SIGNALS; s++) {
      birth.add(
          untimed(
              new Metric.MetricBuilder(MachineSignals.NAMES.get(s), type(first[s]), first[s])
                  .alias(s + 1L)));
    }
    byte[] dbirth = encoder.getBytes(payload(MachineSignals.T0, birth, 1), false);
    require(intake.decode("spBv1.0/atelier/NBIRTH/" + EDGE_NODE, nbirth, now), 0);
    require(intake.decode("spBv1.0/atelier/DBIRTH/" + EDGE_NODE + "/" + DEVICE, dbirth, now), 20);
    for (int q = 0; q < 256; q++) {
      long ts = MachineSignals.T0 + 250L * (q + 1);
      Object[] values = source.next();
      List<Metric> metrics = new ArrayList<>();
      for (int s = 0; s < SIGNALS; s++) {
        Metric metric = new Metric.MetricBuilder(s + 1L, type(values[s]), values[s]).createMetric();
        metric.setTimestamp(new Date(ts));
        metrics.add(metric);
      }
      sparkplugPayloads[q] = encoder.getBytes(payload(ts, metrics, q), false);
    }
    require(intake.decode(ddataTopic, sparkplugPayloads[2], now), 20);
    seq = 2;
  }

  private static SparkplugBPayload payload(long ts, List<Metric> metrics, long seq) {
    return new SparkplugBPayload(new Date(ts), metrics, seq);
  }

  private static Metric untimed(Metric.MetricBuilder b) throws Exception {
    Metric m = b.createMetric();
    m.setTimestamp(null);
    return m;
  }

  private static MetricDataType type(Object v) {
    if (v instanceof String) {
      return MetricDataType.String;
    }
    if (v instanceof Long) {
      return MetricDataType.Int64;
    }
    if (v instanceof Boolean) {
      return MetricDataType.Boolean;
    }
    return MetricDataType.Double;
  }

  private static void require(Decoded d, int samples) {
    if (!d.issues().isEmpty() || d.samples().size() != samples) {
      throw new IllegalStateException("set-up message not decoded as expected: " + d);
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (MESSAGES - 1);
    return i;
  }

  private int nextSeq() {
    seq = (seq + 1) & 0xFF;
    return seq;
  }

  /** {"ts":..,"value":..} on atelier/…/&lt;machine&gt;/&lt;signal&gt;: route and decode. */
  @Benchmark
  public List<Sample> singleValueDecode() {
    int i = nextIndex();
    return intake.decode(singleTopics[i], singlePayloads[i], Instant.now()).samples();
  }

  /** The same through the whole intake (stats, sink, acknowledgement). */
  @Benchmark
  public long singleValueOnMessage() {
    int i = nextIndex();
    intake.onMessage(singleTopics[i], 1, 1, singlePayloads[i], 1);
    return handed;
  }

  /** {"ts":..,"values":{20 signals}} on atelier/…/&lt;machine&gt;: per sample. */
  @Benchmark
  @OperationsPerInvocation(20)
  public List<Sample> batch20Decode() {
    int i = nextIndex();
    return intake.decode(batchTopics[i], batchPayloads[i], Instant.now()).samples();
  }

  @Benchmark
  @OperationsPerInvocation(20)
  public long batch20OnMessage() {
    int i = nextIndex();
    intake.onMessage(batchTopics[i], 1, 1, batchPayloads[i], 1);
    return handed;
  }

  /** Sparkplug B DDATA with 20 metrics by alias, each with its timestamp: per sample. */
  @Benchmark
  @OperationsPerInvocation(20)
  public long sparkplug20OnMessage() {
    intake.onMessage(ddataTopic, 1, 1, sparkplugPayloads[nextSeq()], 1);
    return handed;
  }
}
