package io.atelier.connector.mqtt;

import java.time.Instant;

/**
 * Turns one routed MQTT payload into samples. Implementations never throw for bad input: every
 * problem becomes an {@link Decoded.Issue}. They are stateless and thread-safe.
 */
interface PayloadDecoder {

  Decoded decode(Route route, byte[] payload, Instant receivedAt);
}
