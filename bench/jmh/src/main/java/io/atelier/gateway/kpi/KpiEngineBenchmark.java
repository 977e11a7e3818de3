package io.atelier.gateway.kpi;

import io.atelier.bench.MachineSignals;
import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
 * {@link KpiEngine#accept} fed one machine's stream, one batch per 250 ms epoch with its 20 signals
 * (state, part counters, ideal cycle time, energy, alarm code and 14 process values the KPIs
 * ignore), per sample. The engine runs with the defaults (10 s buckets; 15 min, 1 h and 8 h
 * windows; the Atelier state codes) and {@link KpiEngine#tick} every 5 s of stream time as the
 * gateway's timer does, on a clock that follows the stream. Source time never repeats, so the
 * windows roll forever.
 *
 * <ul>
 *   <li>{@code steady}: the state changes about once a minute, counters every few seconds.
 *   <li>{@code stateChangeEveryEpoch}: the state flips between PRODUCING and IDLE at every epoch,
 *       so every batch makes the engine emit the machine's reports (the worst case).
 *   <li>{@code samplesOnly}: builds the batches and nothing else; subtract it from the two above
 *       (it is the Sample allocation, which the connectors pay, not the engine).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KpiEngineBenchmark {

  static final int SIGNALS = 20; // MachineSignals.NAMES.size(), as a constant for the annotations
  static final int EPOCHS = 1024; // pre-generated values, replayed with ever later times
  static final long PERIOD_MS = 250;
  static final String MACHINE = MachineSignals.machineId(0);

  /** A clock the benchmark moves with the stream. */
  static final class StreamClock extends Clock {
    long millis;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  final StreamClock clock = new StreamClock();
  final Object[][] values = new Object[EPOCHS][];
  KpiEngine engine;
  long epoch;
  long reports;

  @Setup(Level.Trial)
  public void setUp() {
    clock.millis = MachineSignals.T0;
    KpiSettings settings = KpiSettings.defaults();
    engine =
        new KpiEngine(
            settings,
            List.of(
                new KpiMachine(MACHINE, MachineSignals.ref(MACHINE), MachineKpiConfig.defaults())),
            clock,
            new KpiListener() {
              @Override
              public void onKpis(List<KpiReport> r) {
                reports += r.size();
              }

              @Override
              public void onStateChanges(List<MachineStateChange> changes) {
                reports += changes.size();
              }
            });
    MachineSignals source = new MachineSignals(3);
    for (int e = 0; e < EPOCHS; e++) {
      values[e] = source.next();
    }
  }

  private List<Sample> nextBatch(String forcedState) {
    long e = epoch++;
    long t = MachineSignals.T0 + e * PERIOD_MS;
    Instant time = Instant.ofEpochMilli(t);
    Object[] v = values[(int) (e & (EPOCHS - 1))];
    List<Sample> batch = new ArrayList<>(SIGNALS);
    for (int s = 0; s < SIGNALS; s++) {
      Object value = s == 0 && forcedState != null ? forcedState : v[s];
      batch.add(new Sample(MACHINE, MachineSignals.NAMES.get(s), value, Quality.GOOD, time, time));
    }
    // Received within the lateness allowance; "now" is where the gateway's clock would be.
    clock.millis = t + 50;
    return batch;
  }

  private void feed(List<Sample> batch) {
    engine.accept(batch);
    if (epoch % 20 == 0) {
      engine.tick(); // every 5 s of stream time, like the emit timer
    }
  }

  @Benchmark
  @OperationsPerInvocation(SIGNALS)
  public long steady() {
    feed(nextBatch(null));
    return reports;
  }

  @Benchmark
  @OperationsPerInvocation(SIGNALS)
  public long stateChangeEveryEpoch() {
    feed(nextBatch((epoch & 1) == 0 ? "PRODUCING" : "IDLE"));
    return reports;
  }

  @Benchmark
  @OperationsPerInvocation(SIGNALS)
  public List<Sample> samplesOnly() {
    return nextBatch(null);
  }
}
