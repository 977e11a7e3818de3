package io.atelier.gateway.demo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo runs on.
 *
 * @param httpPort the gateway's HTTP port (dashboard and API)
 * @param opcuaPort the simulator's OPC UA port
 * @param mqttPort the embedded broker's port (unused with {@code mqttUrl})
 * @param mqttUrl an existing broker to use instead of the embedded one
 * @param controlPort the simulator's control API port
 * @param seed the simulation seed
 * @param dataDir where broker, simulator and gateway keep their files
 * @param scenario a scenario to replay from the start
 * @param influx the {@code storage.influx} settings to write to InfluxDB (url, api, database,
 *     token, ...); empty to keep importable spool files only
 */
public record DemoOptions(
    int httpPort,
    int opcuaPort,
    int mqttPort,
    Optional<String> mqttUrl,
    int controlPort,
    long seed,
    Path dataDir,
    Optional<Path> scenario,
    Map<String, Object> influx) {

  public DemoOptions {
    influx = Map.copyOf(influx);
  }
}
