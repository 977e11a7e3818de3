package io.atelier.connector.opcua;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A sink that keeps everything; it can be told to fail the test if anything arrives. */
final class CollectingSink implements SampleSink {

  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Sample> afterClose = new CopyOnWriteArrayList<>();

  @Override
  public void acceptAll(List<Sample> batch, Completion completion) {
    if (closed.get()) {
      afterClose.addAll(batch);
    }
    samples.addAll(batch);
    completion.succeeded();
  }

  List<Sample> all() {
    return new ArrayList<>(samples);
  }

  List<Sample> of(String machine, String signal) {
    return samples.stream()
        .filter(s -> s.machine().equals(machine) && s.signal().equals(signal))
        .toList();
  }

  Optional<Sample> last(String machine, String signal) {
    List<Sample> l = of(machine, signal);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(l.size() - 1));
  }

  void clear() {
    samples.clear();
  }

  /** From now on every arriving sample is a contract violation, kept for the assertion. */
  void close() {
    closed.set(true);
  }

  List<Sample> afterClose() {
    return new ArrayList<>(afterClose);
  }
}
