package io.atelier.connector.mqtt;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts bad input per reason, logs the first occurrences of each reason with their topic (then at
 * most one summary line per reason per minute, so a flood of garbage cannot flood the log), and
 * keeps each offending message in the dead-letter file. Thread-safe. Payloads are never logged.
 */
public final class MqttRejections {

  private static final Logger LOG = LoggerFactory.getLogger(MqttRejections.class);

  static final int LOGGED_IN_FULL = 10;
  static final long SUMMARY_INTERVAL_NANOS = 60_000_000_000L;

  private final String connectionId;
  private final DeadLetterFile deadLetters;
  private final Map<RejectReason, LongAdder> counts = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, AtomicLong> lastSummary = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, AtomicLong> suppressed = new EnumMap<>(RejectReason.class);

  MqttRejections(String connectionId, DeadLetterFile deadLetters) {
    this.connectionId = connectionId;
    this.deadLetters = deadLetters;
    for (RejectReason r : RejectReason.values()) {
      counts.put(r, new LongAdder());
      lastSummary.put(r, new AtomicLong(System.nanoTime()));
      suppressed.put(r, new AtomicLong());
    }
  }

  /**
   * Records the issues of one message: each is counted and maybe logged; the message goes once to
   * the dead-letter file, under its first issue's reason.
   */
  void record(String topic, List<Decoded.Issue> issues, byte[] payload, Instant receivedAt) {
    if (issues.isEmpty()) {
      return;
    }
    for (Decoded.Issue issue : issues) {
      count(topic, issue);
    }
    Decoded.Issue first = issues.get(0);
    String detail =
        issues.size() == 1 ? first.detail() : first.detail() + " (+" + (issues.size() - 1) + ")";
    deadLetters.append(receivedAt, topic, first.reason().code(), detail, payload);
  }

  private void count(String topic, Decoded.Issue issue) {
    LongAdder counter = counts.get(issue.reason());
    counter.increment();
    long n = counter.sum();
    if (n <= LOGGED_IN_FULL) {
      String message = "MQTT {}: rejected message on topic '{}': {} ({}){}";
      String more =
          n == LOGGED_IN_FULL ? "; further rejections of this kind are summarised each minute" : "";
      log(
          issue.reason(),
          message,
          connectionId,
          topic,
          issue.reason().code(),
          issue.detail(),
          more);
      return;
    }
    suppressed.get(issue.reason()).incrementAndGet();
    AtomicLong last = lastSummary.get(issue.reason());
    long now = System.nanoTime();
    long prev = last.get();
    if (now - prev >= SUMMARY_INTERVAL_NANOS && last.compareAndSet(prev, now)) {
      long quiet = suppressed.get(issue.reason()).getAndSet(0);
      log(
          issue.reason(),
          "MQTT {}: {} more '{}' rejections in the last minute (latest on topic '{}': {})",
          connectionId,
          quiet,
          issue.reason().code(),
          topic,
          issue.detail());
    }
  }

  private static void log(RejectReason reason, String message, Object... args) {
    if (reason.expected()) {
      LOG.info(message, args);
    } else {
      LOG.warn(message, args);
    }
  }

  /** Rejections so far per reason code (only reasons that occurred), sorted by code. */
  public Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach(
        (reason, adder) -> {
          long n = adder.sum();
          if (n > 0) {
            out.put(reason.code(), n);
          }
        });
    return out;
  }

  public long count(RejectReason reason) {
    return counts.get(reason).sum();
  }

  public long total() {
    long sum = 0;
    for (LongAdder a : counts.values()) {
      sum += a.sum();
    }
    return sum;
  }
}
