package io.atelier.gateway.demo;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.gateway.GatewayApp;
import io.atelier.gateway.config.ConfigLoader;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.influx.StorageSettings;
import io.atelier.simulator.ProtocolEndpointProvider;
import io.atelier.simulator.SimulatorApp;
import io.atelier.simulator.SimulatorConfig;
import io.atelier.simulator.SimulatorConfigReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything on one machine for a first look or a training room: an MQTT broker (embedded unless
 * one is given), the default simulators, and the gateway reading {@code
 * config/atelier.example.yaml} (built into the jar) pointed at them.
 */
public final class Demo implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
  static final String EXAMPLE_CONFIG = "/io/atelier/gateway/demo/atelier.example.yaml";

  private final Optional<EmbeddedBroker> broker;
  private final SimulatorApp simulator;
  private final GatewayApp gateway;

  private Demo(Optional<EmbeddedBroker> broker, SimulatorApp simulator, GatewayApp gateway) {
    this.broker = broker;
    this.simulator = simulator;
    this.gateway = gateway;
  }

  /**
   * Starts broker, simulators and gateway, in that order. Blocks until all are up: call it from a
   * plain thread, never an event loop.
   */
  public static Demo start(DemoOptions o) throws Exception {
    Optional<EmbeddedBroker> broker = Optional.empty();
    String mqttUrl = o.mqttUrl().orElse("");
    SimulatorApp sim = null;
    try {
      if (o.mqttUrl().isEmpty()) {
        EmbeddedBroker b =
            new EmbeddedBroker("127.0.0.1", o.mqttPort(), o.dataDir().resolve("broker"));
        b.start().get(60, TimeUnit.SECONDS);
        broker = Optional.of(b);
        mqttUrl = b.url();
        LOG.info("Embedded MQTT broker (HiveMQ CE) on {}", mqttUrl);
      }
      SimulatorConfig simConfig =
          SimulatorConfigReader.defaults()
              .withSeed(o.seed())
              .withNetwork("127.0.0.1", o.controlPort(), true, o.opcuaPort(), true, mqttUrl);
      simConfig =
          simConfig.withTiming(simConfig.tick(), simConfig.timeScale(), o.dataDir().resolve("sim"));
      List<ProtocolEndpointProvider> providers =
          ServiceLoader.load(ProtocolEndpointProvider.class).stream()
              .map(ServiceLoader.Provider::get)
              .toList();
      sim = SimulatorApp.start(simConfig, o.scenario(), providers);

      ConnectorRegistry registry = ConnectorRegistry.load();
      Map<String, String> env = new HashMap<>();
      env.put("ATELIER_DATA_DIR", o.dataDir().resolve("gateway").toString());
      env.put("ATELIER_OPCUA_URL", "opc.tcp://127.0.0.1:" + o.opcuaPort() + "/atelier");
      env.put("ATELIER_MQTT_URL", mqttUrl);
      // The trainer panel reaches the simulator through the gateway, on whatever port it got.
      env.put("ATELIER_SIM_CONTROL_URL", "http://127.0.0.1:" + sim.controlPort());
      GatewayConfig config =
          new ConfigLoader(registry, name -> env.getOrDefault(name, System.getenv(name)))
              .parse(exampleConfig(), Path.of("."))
              .withHttpPort(o.httpPort());
      if (!o.influx().isEmpty()) {
        config = config.withStorage(influxStorage(o.influx(), config.gateway().dataDir()));
        LOG.info("Writing to InfluxDB at {}", o.influx().get("url"));
      }
      GatewayApp gateway = new GatewayApp(config, registry);
      gateway.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return new Demo(broker, sim, gateway);
    } catch (Exception e) {
      if (sim != null) {
        sim.close();
      }
      broker.ifPresent(b -> b.stop().join());
      throw e;
    }
  }

  /** The storage settings for the given {@code storage.influx} values, checked like the file. */
  static StorageSettings influxStorage(Map<String, Object> influx, Path dataDir) {
    ConfigProblems problems = new ConfigProblems();
    StorageSettings s =
        StorageSettings.read(
            new ConfigNode("storage", Map.of("influx", influx), problems), dataDir);
    problems.throwIfAny();
    return s;
  }

  static String exampleConfig() throws IOException {
    try (InputStream in = Demo.class.getResourceAsStream(EXAMPLE_CONFIG)) {
      if (in == null) {
        throw new IOException(
            "the example configuration is missing from the jar: " + EXAMPLE_CONFIG);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public int httpPort() {
    return gateway.httpPort();
  }

  public int controlPort() {
    return simulator.controlPort();
  }

  public GatewayApp gateway() {
    return gateway;
  }

  /** Stops the gateway, then the simulators, then the broker. */
  @Override
  public void close() {
    try {
      gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Gateway did not stop cleanly: {}", e.toString());
    }
    simulator.close();
    broker.ifPresent(
        b -> {
          try {
            b.stop().get(20, TimeUnit.SECONDS);
          } catch (Exception e) {
            LOG.warn("Broker did not stop cleanly: {}", e.toString());
          }
        });
  }
}
