package io.atelier.connector.mqtt;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A test pipeline: keeps every sample it is handed. By default it completes at once (as if the
 * spool had appended); a refusal rule makes it fail or hold chosen batches instead.
 */
final class CollectingSink implements SampleSink {

  enum Answer {
    SUCCEED,
    FAIL,
    NEVER
  }

  // A queue, not a copy-on-write list: benchmarks hand over 100,000 samples.
  private final java.util.Queue<Sample> samples =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final List<Completion> held = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Function<List<Sample>, Answer> rule = b -> Answer.SUCCEED;

  void answer(java.util.function.Function<List<Sample>, Answer> rule) {
    this.rule = rule;
  }

  @Override
  public void acceptAll(List<Sample> batch, Completion completion) {
    Answer a = rule.apply(batch);
    switch (a) {
      case SUCCEED -> {
        samples.addAll(batch);
        completion.succeeded();
      }
      case FAIL -> completion.failed(new IllegalStateException("test sink refuses"));
      case NEVER -> held.add(completion);
    }
  }

  List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  List<Sample> samples(Predicate<Sample> filter) {
    return samples.stream().filter(filter).toList();
  }

  int heldCount() {
    return held.size();
  }
}
