package io.atelier.connector.mqtt;

import io.atelier.connector.api.config.ConfigNode;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code settings.takeover}: how the members of a shared subscription adopt the persistent session
 * of a member that crashed (see {@link Takeover}).
 *
 * @param enabled publish presence, arm the will and adopt orphaned sessions; defaults to true when
 *     any subscription is shared
 * @param delay the will delay: how long a crashed member has to come back before another adopts its
 *     session
 * @param topic presence topics are {@code <topic>/<clientId>} (retained)
 */
public record TakeoverSettings(boolean enabled, Duration delay, String topic) {

  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
  public static final String DEFAULT_TOPIC = "atelier/_gateways";

  static TakeoverSettings defaults(boolean enabled) {
    return new TakeoverSettings(enabled, DEFAULT_DELAY, DEFAULT_TOPIC);
  }

  /** The retained presence topic of one member. */
  String presenceTopic(String clientId) {
    return topic + "/" + clientId;
  }

  /** What members subscribe to (not shared: every member sees every presence). */
  String presenceFilter() {
    return topic + "/+";
  }

  /** The client id a presence topic is about, if the topic is one. */
  Optional<String> clientIdOf(String messageTopic) {
    String prefix = topic + "/";
    if (!messageTopic.startsWith(prefix)) {
      return Optional.empty();
    }
    String id = messageTopic.substring(prefix.length());
    return id.isEmpty() || id.indexOf('/') >= 0 ? Optional.empty() : Optional.of(id);
  }

  /**
   * Reads {@code takeover:} (absent: the defaults). Problems go to the node's problems with their
   * paths; always returns usable settings.
   */
  static TakeoverSettings read(ConfigNode settings, boolean anyShared, Duration sessionExpiry) {
    Optional<ConfigNode> node = settings.child("takeover");
    if (node.isEmpty()) {
      return defaults(anyShared);
    }
    ConfigNode n = node.get();
    boolean enabled = n.bool("enabled", anyShared);
    Duration delay = n.duration("delay", DEFAULT_DELAY);
    String topic = n.string("topic").map(String::trim).orElse(DEFAULT_TOPIC);
    n.rejectUnknownKeys();
    if (delay.toMillis() < 1_000 || delay.toNanos() % 1_000_000_000L != 0) {
      // MQTT's Will Delay Interval counts whole seconds.
      n.problems().add(n.path("delay"), "must be a whole number of seconds, at least 1s", delay);
      delay = DEFAULT_DELAY;
    } else if (delay.compareTo(sessionExpiry) > 0) {
      n.problems()
          .add(
              n.path("delay"),
              "must not exceed sessionExpiry ("
                  + sessionExpiry
                  + "): the broker would end the crashed member's session, and its queued"
                  + " messages, before anyone may adopt it",
              delay);
      delay = sessionExpiry;
    }
    if (!validTopic(topic)) {
      n.problems()
          .add(
              n.path("topic"),
              "a topic without wildcards (+ #), not starting with $ and not ending with /",
              topic);
      topic = DEFAULT_TOPIC;
    }
    if (enabled && !anyShared) {
      n.problems()
          .add(
              n.path("enabled"),
              "takeover needs a shared subscription (subscriptions[].shared): without one there"
                  + " is no other member to take over");
      enabled = false;
    }
    return new TakeoverSettings(enabled, delay, topic);
  }

  static boolean validTopic(String t) {
    return !t.isEmpty()
        && t.indexOf('+') < 0
        && t.indexOf('#') < 0
        && t.indexOf('\0') < 0
        && !t.startsWith("$")
        && !t.endsWith("/");
  }

  @Override
  public String toString() {
    return enabled ? "takeover[delay=" + delay + ", topic=" + topic + "]" : "takeover[off]";
  }
}
