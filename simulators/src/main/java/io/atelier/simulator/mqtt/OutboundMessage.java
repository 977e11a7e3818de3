package io.atelier.simulator.mqtt;

/**
 * One message waiting to be published.
 *
 * @param sparkplug Sparkplug messages carry a sequence number and are worthless after the session
 *     they were numbered for; JSON messages stay valid and are resent after a reconnect
 */
record OutboundMessage(String topic, byte[] payload, int qos, boolean sparkplug) {}
