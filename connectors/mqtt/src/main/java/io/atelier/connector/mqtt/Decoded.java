package io.atelier.connector.mqtt;

import io.atelier.connector.api.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * What a decoder made of one message: the samples, and every problem met on the way. A message can
 * yield both (a batch with one value of the wrong type); the problems are counted either way.
 */
public record Decoded(List<Sample> samples, List<Issue> issues) {

  /** One problem: the counter it goes to and a short human-readable detail. */
  public record Issue(RejectReason reason, String detail) {}

  public Decoded {
    samples = List.copyOf(samples);
    issues = List.copyOf(issues);
  }

  public static Decoded of(List<Sample> samples) {
    return new Decoded(samples, List.of());
  }

  public static Decoded rejected(RejectReason reason, String detail) {
    return new Decoded(List.of(), List.of(new Issue(reason, detail)));
  }

  /** Nothing to deliver and nothing wrong (e.g. a Sparkplug command or STATE message). */
  public static Decoded nothing() {
    return new Decoded(List.of(), List.of());
  }

  /** Collects samples and issues while decoding. */
  static final class Builder {
    private final List<Sample> samples = new ArrayList<>();
    private final List<Issue> issues = new ArrayList<>();

    Builder sample(Sample s) {
      samples.add(s);
      return this;
    }

    Builder issue(RejectReason reason, String detail) {
      issues.add(new Issue(reason, detail));
      return this;
    }

    boolean hasSamples() {
      return !samples.isEmpty();
    }

    Decoded build() {
      return new Decoded(samples, issues);
    }
  }
}
