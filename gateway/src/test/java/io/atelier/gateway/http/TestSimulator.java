package io.atelier.gateway.http;

import io.atelier.simulator.ProtocolEndpointProvider;
import io.atelier.simulator.SimulatorApp;
import io.atelier.simulator.SimulatorConfig;
import io.atelier.simulator.SimulatorConfigReader;
import io.atelier.testsupport.FreePort;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The project's real simulator with its control API on a free loopback port: the default six
 * machines (cnc-01, robot-01, imm-01... as in {@link TestGateway}), no OPC UA server, and an MQTT
 * publisher pointed at a port where no broker listens (it keeps retrying quietly), so that the
 * {@code mqtt} endpoint exists for endpoint operations.
 */
final class TestSimulator implements AutoCloseable {

  /** A gateway configuration that points the simulator section at {@code ${SIM_URL}}. */
  static final String CONFIG =
      TestGateway.CONFIG + "simulator:\n  controlUrl: ${SIM_URL}\n  timeout: 2s\n";

  private final SimulatorApp app;

  TestSimulator(Path dataDir) throws Exception {
    SimulatorConfig config =
        SimulatorConfigReader.defaults()
            .withNetwork("127.0.0.1", 0, false, 0, true, "tcp://127.0.0.1:" + FreePort.pick());
    config = config.withTiming(config.tick(), 1.0, dataDir);
    List<ProtocolEndpointProvider> providers =
        ServiceLoader.load(ProtocolEndpointProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    app = SimulatorApp.start(config, Optional.empty(), providers);
  }

  String url() {
    return "http://127.0.0.1:" + app.controlPort();
  }

  @Override
  public void close() {
    app.close();
  }
}
