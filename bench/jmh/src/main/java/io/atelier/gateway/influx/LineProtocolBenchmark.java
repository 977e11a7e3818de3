package io.atelier.gateway.influx;

import io.atelier.bench.MachineSignals;
import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Sample;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * Samples to InfluxDB line protocol, a batch of 1,000 (50 machines × 20 signals: floats, integers,
 * booleans and strings as machines send them; 4 tags), per sample. {@code encode} is {@link
 * LineProtocolEncoder#encode} into a reused builder; {@code encodeToBytes} adds the {@code
 * toString().getBytes(UTF_8)} that {@code InfluxStorage} does before each spool append, i.e. the
 * whole encoding cost of the storage path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LineProtocolBenchmark {

  static final int BATCH = 1_000;

  LineProtocolEncoder encoder;
  List<Sample> batch;
  final StringBuilder out = new StringBuilder(64 * 1024);

  @Setup(Level.Trial)
  public void setUp() {
    Map<String, MachineRef> refs = new HashMap<>();
    for (int m = 0; m < 50; m++) {
      String id = MachineSignals.machineId(m);
      refs.put(id, MachineSignals.ref(id));
    }
    // As GatewayApp builds it.
    encoder = new LineProtocolEncoder(id -> Optional.ofNullable(refs.get(id)), Precision.MS);
    batch = MachineSignals.samples(BATCH, 50, 250, 1);
    LineProtocolEncoder.Result r = encoder.encode(batch, out);
    if (r.points() != BATCH) {
      throw new IllegalStateException("not every sample encodes: " + r);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int encode() {
    out.setLength(0);
    encoder.encode(batch, out);
    return out.length();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] encodeToBytes() {
    out.setLength(0);
    encoder.encode(batch, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
