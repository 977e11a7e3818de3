package io.atelier.connector.opcua;

import static io.atelier.connector.opcua.Futures.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.Sample;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalType;
import io.atelier.simulator.opcua.OpcUaServerSettings;
import io.atelier.simulator.opcua.SimulatorOpcUaServer;
import io.atelier.testsupport.FreePort;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * More changes queued on the server than fit one publish response still all arrive. 5,000 string
 * items with sampling interval 0 (the simulator reports every change) each change 16 times within
 * one publishing interval: 80,000 notifications of ~80 bytes wait for the next publish. With Milo's
 * default of 65,535 notifications per publish that response would be ~5 MB, over the client's 2 MiB
 * message limit: the server fails it with Bad_ResponseTooLarge and every value in it is lost. The
 * connector caps a response at 10,000 notifications instead.
 */
@Timeout(240)
class NotificationBurstIT {

  private static final int MACHINES = 125;
  private static final int SIGNALS_PER_MACHINE = 40;
  private static final int CHANGES = 16;

  @TempDir Path serverPki;
  @TempDir Path dataDir;

  @Test
  void aBurstLargerThanOnePublishResponseIsDeliveredCompletely() throws Exception {
    SignalBoard board = new SignalBoard();
    List<MachineSpec> machines =
        LoadMachines.define(board, MACHINES, SIGNALS_PER_MACHINE, SignalType.STRING, "initial");
    int port = FreePort.pick();
    SimulatorOpcUaServer server =
        new SimulatorOpcUaServer(
            board, OpcUaServerSettings.defaults(serverPki, port).withBindAddress("127.0.0.1"));
    server.start().get(60, TimeUnit.SECONDS);
    Vertx vertx = Vertx.vertx();
    try {
      Map<String, Object> settings =
          new LinkedHashMap<>(Specs.noneSettings("opc.tcp://127.0.0.1:" + port + "/atelier"));
      settings.put("publishingInterval", "3s");
      settings.put("samplingInterval", "0ms");
      settings.put("queueSize", CHANGES);
      ConnectionSpec spec =
          new ConnectionSpec("burst", "opcua", "connections[0]", settings, machines);
      // Distinct (item, value) pairs: a notification the client happens to receive twice (after a
      // Republish) must not make up for one that never came.
      Set<String> seen = ConcurrentHashMap.newKeySet();
      OpcUaConnector connector =
          (OpcUaConnector)
              new OpcUaConnectorFactory()
                  .create(
                      new ConnectorContext(
                          vertx,
                          spec,
                          (batch, completion) -> {
                            for (Sample s : batch) {
                              if (s.value() instanceof String v && v.startsWith("burst")) {
                                seen.add(s.machine() + "/" + s.signal() + "=" + v);
                              }
                            }
                            completion.succeeded();
                          },
                          dataDir));
      int total = MACHINES * SIGNALS_PER_MACHINE;
      done(connector.start());
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  connector.signalStatus().size() == total
                      && connector.signalStatus().values().stream().allMatch(st -> st.ok()));

      for (int n = 1; n <= CHANGES; n++) {
        for (MachineSpec m : machines) {
          for (SignalSpec d : m.signals()) {
            board.set(m.id(), d.name(), String.format("burst %02d %-40s", n, "x"), Instant.now());
          }
        }
      }

      await().atMost(Duration.ofMinutes(1)).until(() -> seen.size() == total * CHANGES);
      assertThat(seen).hasSize(total * CHANGES);
      done(connector.stop());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      server.stop().get(30, TimeUnit.SECONDS);
    }
  }
}
