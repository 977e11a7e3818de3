package io.atelier.simulator;

import io.atelier.simulator.machine.MachineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a simulator run needs, read once from YAML ({@link SimulatorConfigReader}) and then
 * adjusted by command-line options.
 *
 * @param seed seeds every machine's random generator (with the machine id)
 * @param tick how often simulated time advances and process values refresh
 * @param timeScale simulated seconds per wall-clock second (1 = real time)
 * @param bind address the control API and the OPC UA server listen on
 * @param dataDir where the OPC UA PKI and the ground-truth file go
 * @param controlPort HTTP control API port (0 = any free port)
 * @param opcuaEnabled whether to run the OPC UA server
 * @param opcuaPort OPC UA server port
 * @param mqttEnabled whether to run the MQTT publisher
 * @param mqttUrl MQTT broker, {@code tcp://host:port}
 * @param machines the demonstrator machines
 * @param load synthetic benchmark machines, if any
 */
public record SimulatorConfig(
    long seed,
    Duration tick,
    double timeScale,
    String bind,
    Path dataDir,
    int controlPort,
    boolean opcuaEnabled,
    int opcuaPort,
    boolean mqttEnabled,
    String mqttUrl,
    List<MachineConfig> machines,
    Optional<Load> load) {

  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_CONTROL_PORT = 8081;
  public static final int DEFAULT_OPCUA_PORT = 4840;
  public static final String DEFAULT_MQTT_URL = "tcp://localhost:1883";
  public static final String DEFAULT_BIND = "127.0.0.1";

  /**
   * Synthetic machines for benchmarks: {@code machines} × {@code signals}, every signal changing
   * every {@code period}.
   */
  public record Load(int machines, int signals, Duration period, String protocol) {}

  public SimulatorConfig {
    machines = List.copyOf(machines);
  }

  /** The truth file written on exit. */
  public Path truthFile() {
    return dataDir.resolve("truth.jsonl");
  }

  public SimulatorConfig withSeed(long v) {
    return new SimulatorConfig(
        v,
        tick,
        timeScale,
        bind,
        dataDir,
        controlPort,
        opcuaEnabled,
        opcuaPort,
        mqttEnabled,
        mqttUrl,
        machines,
        load);
  }

  public SimulatorConfig withNetwork(
      String bindAddress,
      int control,
      boolean opcua,
      int opcuaPortNumber,
      boolean mqtt,
      String url) {
    return new SimulatorConfig(
        seed,
        tick,
        timeScale,
        bindAddress,
        dataDir,
        control,
        opcua,
        opcuaPortNumber,
        mqtt,
        url,
        machines,
        load);
  }

  public SimulatorConfig withTiming(Duration tickPeriod, double scale, Path data) {
    return new SimulatorConfig(
        seed,
        tickPeriod,
        scale,
        bind,
        data,
        controlPort,
        opcuaEnabled,
        opcuaPort,
        mqttEnabled,
        mqttUrl,
        machines,
        load);
  }

  /** Load mode: only synthetic machines. */
  public SimulatorConfig withLoad(Load l) {
    return new SimulatorConfig(
        seed,
        tick,
        timeScale,
        bind,
        dataDir,
        controlPort,
        opcuaEnabled,
        opcuaPort,
        mqttEnabled,
        mqttUrl,
        List.of(),
        Optional.of(l));
  }
}
