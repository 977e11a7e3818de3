package io.atelier.simulator.mqtt;

/**
 * One message waiting to be published.
 *
 * @param sparkplug Sparkplug messages carry a sequence number and are worthless after the session
 *     they were numbered for; JSON messages stay valid and are resent after a reconnect
 * @param retained published with the retain flag, so that a subscriber joining later gets it
 */
record OutboundMessage(String topic, byte[] payload, int qos, boolean sparkplug, boolean retained) {

  OutboundMessage(String topic, byte[] payload, int qos, boolean sparkplug) {
    this(topic, payload, qos, sparkplug, false);
  }
}
