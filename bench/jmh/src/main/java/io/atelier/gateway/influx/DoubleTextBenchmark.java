package io.atelier.gateway.influx;

import io.atelier.bench.MachineSignals;
import io.atelier.connector.api.Sample;
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
 * A float field's value as text, per value: the JDK's {@code StringBuilder.append(double)} against
 * {@link LineProtocolEncoder#appendDouble} (its short path for up to three decimals), over the
 * float values of {@link LineProtocolBenchmark}'s batch (three in four rounded to 3 decimals as the
 * simulators send them, one in four a widened OPC UA Float, which takes the JDK path in both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DoubleTextBenchmark {

  static final int VALUES = 1_000;

  final double[] values = new double[VALUES];
  final StringBuilder out = new StringBuilder(32 * VALUES);

  @Setup(Level.Trial)
  public void setUp() {
    int i = 0;
    for (Sample s : MachineSignals.samples(10 * VALUES, 50, 250, 1)) {
      if (i < VALUES && s.value() instanceof Double d) {
        values[i++] = d;
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public int jdk() {
    out.setLength(0);
    for (double d : values) {
      out.append(d).append(' ');
    }
    return out.length();
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public int appendDouble() {
    out.setLength(0);
    for (double d : values) {
      LineProtocolEncoder.appendDouble(d, out);
      out.append(' ');
    }
    return out.length();
  }
}
