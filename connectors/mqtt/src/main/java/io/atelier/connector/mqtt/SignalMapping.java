package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Optional;

/**
 * How one configured signal is found in MQTT messages.
 *
 * @param name the signal name
 * @param topic its own topic, when the signal arrives on a topic of its own
 * @param decoder the decoder for its own topic
 * @param qos the QoS for its own topic
 * @param pointer where the value sits in a JSON payload (default {@code /value} on its own topic)
 * @param timestampPointer where the timestamp sits (default {@code /ts} or {@code /timestamp})
 * @param metric the Sparkplug metric name, when it differs from the signal name
 */
public record SignalMapping(
    String name,
    Optional<TopicTemplate> topic,
    DecoderKind decoder,
    int qos,
    Optional<JsonPointer> pointer,
    Optional<JsonPointer> timestampPointer,
    Optional<String> metric) {}
