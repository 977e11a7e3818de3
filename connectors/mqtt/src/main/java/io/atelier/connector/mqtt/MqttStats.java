package io.atelier.connector.mqtt;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The connector's running counters (messages, samples, acknowledgements, reconnects, Sparkplug
 * sequence gaps). Thread-safe; the gateway exports {@link #counts()} to Micrometer.
 */
public final class MqttStats {

  public static final String MESSAGES_RECEIVED = "messages-received";
  public static final String MESSAGES_REJECTED = "messages-rejected";
  public static final String SAMPLES_HANDED = "samples-handed";
  public static final String MESSAGES_ACKED = "messages-acked";
  public static final String ACKS_SKIPPED = "acks-skipped-after-reconnect";
  public static final String SINK_REFUSALS = "sink-refusals";
  public static final String QOS0_DROPPED = "qos0-dropped";
  public static final String CONNECTS = "connects";
  public static final String CONNECTION_LOSSES = "connection-losses";
  public static final String SPARKPLUG_SEQ_GAPS = "sparkplug-seq-gaps";
  public static final String SPARKPLUG_REBIRTH_REQUESTS = "sparkplug-rebirth-requests";

  /** Takeover (see {@code Takeover}): adoption attempts of crashed members' sessions. */
  public static final String TAKEOVER_ATTEMPTS = "takeover-attempts";

  /** Adoptions made (the broker still had the session). */
  public static final String TAKEOVER_ADOPTIONS = "takeover-adoptions-started";

  /** Followed by the reason: taken-over, expired, lost, failed, stopped. */
  public static final String TAKEOVER_ENDED_PREFIX = "takeover-adoptions-ended-";

  /** Messages received on adopted sessions. */
  public static final String TAKEOVER_MESSAGES = "takeover-messages-received";

  /** Messages of an adopted session's non-shared subscriptions (we have our own copy): acked. */
  public static final String TAKEOVER_UNSHARED_SKIPPED = "takeover-unshared-skipped";

  /** Presence messages that were not presence documents (ignored). */
  public static final String TAKEOVER_PRESENCE_INVALID = "takeover-presence-invalid";

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  public MqttStats() {
    // Every known counter exists from the start, so that exported series begin at zero.
    for (String name :
        new String[] {
          MESSAGES_RECEIVED,
          MESSAGES_REJECTED,
          SAMPLES_HANDED,
          MESSAGES_ACKED,
          ACKS_SKIPPED,
          SINK_REFUSALS,
          QOS0_DROPPED,
          CONNECTS,
          CONNECTION_LOSSES,
          SPARKPLUG_SEQ_GAPS,
          SPARKPLUG_REBIRTH_REQUESTS
        }) {
      counters.put(name, new LongAdder());
    }
  }

  void increment(String name) {
    add(name, 1);
  }

  void add(String name, long n) {
    // get() first: computeIfAbsent may lock the bin even when the counter exists, and this runs
    // a few times per message.
    LongAdder a = counters.get(name);
    if (a == null) {
      a = counters.computeIfAbsent(name, k -> new LongAdder());
    }
    a.add(n);
  }

  public long get(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /** A snapshot, sorted by name. */
  public Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
