package io.atelier.gateway.pipeline;

import io.atelier.connector.api.Sample;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The newest sample of every machine and signal, plus per-machine counts: what the REST API shows
 * as "last value". Written on the pipeline context, read from any thread.
 */
public final class LastValues implements PipelineConsumer {

  private static final class MachineValues {
    final Map<String, Sample> signals = new ConcurrentHashMap<>();
    final LongAdder count = new LongAdder();
    volatile Instant lastReceived;
  }

  private final Map<String, MachineValues> machines = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "last-values";
  }

  @Override
  public Future<Void> accept(List<Sample> batch) {
    // Samples come in runs of one machine (a batch message, or a device publishing its signals
    // one after another): look the machine up and count once per run, not once per sample.
    MachineValues m = null;
    String machine = null;
    int run = 0;
    for (Sample s : batch) {
      if (m == null || !s.machine().equals(machine)) {
        if (m != null) {
          m.count.add(run);
        }
        machine = s.machine();
        m = machines.computeIfAbsent(machine, k -> new MachineValues());
        run = 0;
      }
      run++;
      // Keep the newest by source time, so a replayed or late sample never hides a fresher one.
      m.signals.merge(
          s.signal(), s, (old, neu) -> neu.sourceTime().isBefore(old.sourceTime()) ? old : neu);
      Instant received = m.lastReceived;
      if (received == null || s.receiveTime().isAfter(received)) {
        m.lastReceived = s.receiveTime();
      }
    }
    if (m != null) {
      m.count.add(run);
    }
    return Future.succeededFuture();
  }

  /** The newest sample per signal of a machine; empty if none arrived yet. */
  public Map<String, Sample> signals(String machine) {
    MachineValues m = machines.get(machine);
    return m == null ? Map.of() : Map.copyOf(m.signals);
  }

  /** When the gateway last received a sample of the machine. */
  public Optional<Instant> lastReceived(String machine) {
    MachineValues m = machines.get(machine);
    return m == null ? Optional.empty() : Optional.ofNullable(m.lastReceived);
  }

  /** How many samples of the machine went through the pipeline. */
  public long count(String machine) {
    MachineValues m = machines.get(machine);
    return m == null ? 0 : m.count.sum();
  }
}
