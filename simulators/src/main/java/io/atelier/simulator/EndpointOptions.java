package io.atelier.simulator;

import java.nio.file.Path;

/**
 * What a protocol endpoint is told about where to serve.
 *
 * @param bindAddress address a server listens on
 * @param opcuaPort OPC UA server port
 * @param mqttUrl MQTT broker URL, {@code tcp://host:port}
 * @param dataDir directory for the endpoint's own files (OPC UA PKI under {@code pki/})
 */
public record EndpointOptions(String bindAddress, int opcuaPort, String mqttUrl, Path dataDir) {

  public Path pkiDir() {
    return dataDir.resolve("pki");
  }
}
