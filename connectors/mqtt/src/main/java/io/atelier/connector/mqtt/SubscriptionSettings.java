package io.atelier.connector.mqtt;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.mqtt.TopicTemplate.Placeholder;
import java.util.Optional;

/**
 * One entry of {@code settings.subscriptions}: a topic template, its QoS and payload decoder, and
 * optionally an MQTT 5 shared-subscription group.
 */
public record SubscriptionSettings(
    TopicTemplate template, int qos, DecoderKind decoder, Optional<String> shared) {

  /** The filter to subscribe to, with the {@code $share/<group>/} prefix when shared. */
  public String subscriptionFilter() {
    return shared.map(g -> "$share/" + g + "/" + template.filter()).orElse(template.filter());
  }

  static Optional<SubscriptionSettings> read(ConfigNode node) {
    String topic = node.requiredString("topic");
    int qos = node.integer("qos", 1, 0, 2);
    boolean hasDecoder = node.has("decoder");
    DecoderKind decoder = node.enumValue("decoder", DecoderKind.class, DecoderKind.JSON_VALUE);
    Optional<String> shared = node.string("shared").map(String::trim);
    node.rejectUnknownKeys();
    if (shared.isPresent() && !validGroup(shared.get())) {
      node.problems()
          .add(node.path("shared"), "a share group is one non-empty topic level", shared.get());
    }
    if (topic.isEmpty()) {
      return Optional.empty();
    }
    Optional<TopicTemplate> template =
        TopicTemplate.parse(topic, msg -> node.problems().add(node.path("topic"), msg, topic));
    if (template.isEmpty()) {
      return Optional.empty();
    }
    TopicTemplate t = template.get();
    if (!hasDecoder) {
      // A template naming the signal carries one value; one without carries a batch.
      decoder = t.binds(Placeholder.SIGNAL) ? DecoderKind.JSON_VALUE : DecoderKind.JSON_BATCH;
      if (topic.startsWith("spBv1.0/")) {
        decoder = DecoderKind.SPARKPLUG;
      }
    }
    checkTemplateFitsDecoder(node, t, decoder);
    return Optional.of(new SubscriptionSettings(t, qos, decoder, shared));
  }

  private static void checkTemplateFitsDecoder(ConfigNode node, TopicTemplate t, DecoderKind d) {
    String path = node.path("topic");
    switch (d) {
      case SPARKPLUG -> {
        for (Placeholder p : Placeholder.values()) {
          if (t.binds(p)) {
            node.problems()
                .add(
                    path,
                    "a sparkplug subscription takes no placeholders (machines are found by"
                        + " device id), e.g. spBv1.0/atelier/#",
                    t.text());
            return;
          }
        }
        if (!t.text().startsWith("spBv1.0/")) {
          node.problems().add(path, "a sparkplug subscription must start with spBv1.0/", t.text());
        }
      }
      case JSON_VALUE, PLAIN -> {
        if (!t.binds(Placeholder.MACHINE) || !t.binds(Placeholder.SIGNAL)) {
          node.problems()
              .add(
                  path,
                  "decoder " + d.code() + " needs {machine} and {signal} in the topic",
                  t.text());
        }
      }
      case JSON_BATCH -> {
        if (!t.binds(Placeholder.MACHINE)) {
          node.problems().add(path, "decoder json-batch needs {machine} in the topic", t.text());
        }
        if (t.binds(Placeholder.SIGNAL)) {
          node.problems()
              .add(
                  path,
                  "decoder json-batch takes the signal names from the payload; remove {signal}",
                  t.text());
        }
      }
    }
  }

  private static boolean validGroup(String g) {
    return !g.isEmpty() && g.indexOf('/') < 0 && g.indexOf('+') < 0 && g.indexOf('#') < 0;
  }
}
