package io.atelier.gateway.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.connector.opcua.discovery.OpcUaDiscovery;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.testsupport.FreePort;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway (in-process, real OPC UA connector, observed through its HTTP API) against the
 * project's simulator running as a SEPARATE JVM that the test kills and starts again: the server
 * restart and the server-not-there-yet cases of issue 4. Monitored items are counted on the server
 * side through the simulator's control API ({@code /endpoints}: {@code monitoredItems}), because
 * only the server knows whether a reconnecting client left duplicates behind.
 */
class OpcUaOutageIT {

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void aServerRestartedAsANewProcessResumesWithin30sWithoutDuplicatedItems() throws Exception {
    int opcua = FreePort.pick();
    int control = FreePort.pick();
    Path simData = dir.resolve("sim");
    String endpoint = "opc.tcp://127.0.0.1:" + opcua + "/atelier";
    SimulatorProcess first =
        SimulatorProcess.start(opcua, control, simData, dir.resolve("sim-1.log"));
    String yaml;
    try {
      yaml = discover(endpoint, dir.resolve("discover-pki"));
    } catch (Exception e) {
      first.close();
      throw e;
    }
    GatewayConfig config = OpcUaGateway.parse(yaml, dir);
    int signals = config.machines().stream().mapToInt(m -> m.signals().size()).sum();
    assertThat(config.machines()).hasSize(4);

    try (OpcUaGateway gw = OpcUaGateway.start(OpcUaGateway.header(dir.resolve("gw")) + yaml, dir)) {
      try {
        awaitFresh(gw, config, Instant.EPOCH, Duration.ofSeconds(60));
        assertThat(status(gw)).isEqualTo("CONNECTED");
        assertThat(first.monitoredItems()).isEqualTo(signals);
      } finally {
        first.close();
      }
      Instant stopped = Instant.now();
      List<String> seen = new ArrayList<>();
      // The gap shows: the connection (and its machines) leave CONNECTED...
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> record(seen, status(gw)).equals("DISCONNECTED"));
      assertThat(machineStatuses(gw)).containsOnly("DISCONNECTED");
      // ... and stay out for the 20 s the server is away.
      await()
          .during(Duration.ofSeconds(20).minus(Duration.between(stopped, Instant.now())))
          .atMost(Duration.ofSeconds(25))
          .until(() -> !record(seen, status(gw)).equals("CONNECTED"));

      try (SimulatorProcess second =
          SimulatorProcess.start(opcua, control, simData, dir.resolve("sim-2.log"))) {
        Instant restarted = Instant.now();
        awaitFresh(gw, config, restarted, Duration.ofSeconds(30));
        Duration resumed = Duration.between(restarted, Instant.now());
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> record(seen, status(gw)).equals("CONNECTED"));
        // One item per signal on the new server, and it stays that way (nothing re-created twice).
        await()
            .during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(10))
            .until(() -> second.monitoredItems() == signals);
        assertThat(second.opcua().getLong("sessions")).isEqualTo(1L);
        assertThat(seen).containsSubsequence("DISCONNECTED", "CONNECTED");
        System.out.printf(
            "server restart: outage %d s, all %d signals fresh %d ms after the new process"
                + " served, %d monitored items on it; statuses seen %s%n",
            Duration.between(stopped, restarted).toSeconds(),
            signals,
            resumed.toMillis(),
            second.monitoredItems(),
            seen.stream().distinct().toList());
      }
    }
  }

  @Test
  @Timeout(180)
  void aGatewayStartedBeforeItsServerReportsDisconnectedAndConnectsWhenItAppears()
      throws Exception {
    int opcua = FreePort.pick();
    int control = FreePort.pick();
    String yaml =
        """
        connections:
          - id: sim
            type: opcua
            settings:
              endpoint: opc.tcp://127.0.0.1:%d/atelier
              securityPolicy: None
              allowNone: true
        machines:
          - id: cnc-01
            path: platform/hall-a/machining/cnc-01
            connection: sim
            signals:
              - name: spindle_speed
                node: "nsu=urn:atelier:simulator;s=cnc-01/CncInterface/CncSpindleList/Spindle1/ActSpeed"
              - name: coolant_temperature_c
                node: "nsu=urn:atelier:simulator;s=cnc-01/Monitoring/Coolant/Temperature"
        """
            .formatted(opcua);
    GatewayConfig config = OpcUaGateway.parse(yaml, dir);
    try (OpcUaGateway gw = OpcUaGateway.start(OpcUaGateway.header(dir.resolve("gw")) + yaml, dir)) {
      assertThat(gw.get("/health", OpcUaGateway.VIEWER).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(15)).until(() -> status(gw).equals("DISCONNECTED"));
      assertThat(machineStatuses(gw)).containsExactly("DISCONNECTED");
      JsonObject ready = new JsonObject(gw.get("/ready", OpcUaGateway.VIEWER).body());
      assertThat(ready.getString("status")).isEqualTo("DEGRADED");

      try (SimulatorProcess sim =
          SimulatorProcess.start(opcua, control, dir.resolve("sim"), dir.resolve("sim.log"))) {
        Instant appeared = Instant.now();
        awaitFresh(gw, config, appeared, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> status(gw).equals("CONNECTED"));
        assertThat(machineStatuses(gw)).containsExactly("CONNECTED");
        assertThat(sim.monitoredItems()).isEqualTo(2);
        System.out.printf(
            "server appeared: connected with data %d ms after it served%n",
            Duration.between(appeared, Instant.now()).toMillis());
      }
    }
  }

  private static String discover(String endpoint, Path pki) throws Exception {
    Map<String, Object> settings =
        OpcUaDiscovery.settings(
            endpoint, Optional.of("None"), Optional.empty(), true, false, Optional.empty(), "X");
    return OpcUaDiscovery.discover(new OpcUaDiscovery.Request("sim", settings, v -> null, pki, 10))
        .yaml();
  }

  /** Every configured signal has a GOOD sample received after {@code after}. */
  private static void awaitFresh(
      OpcUaGateway gw, GatewayConfig config, Instant after, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (MachineConfig m : config.machines()) {
                Map<String, Sample> got = gw.app().lastValues().signals(m.id());
                for (String signal : m.signals()) {
                  Sample s = got.get(signal);
                  assertThat(s).as(m.id() + "/" + signal).isNotNull();
                  assertThat(s.receiveTime()).as(m.id() + "/" + signal).isAfter(after);
                  assertThat(s.quality().level()).isEqualTo(Quality.Level.GOOD);
                }
              }
            });
  }

  private static String status(OpcUaGateway gw) throws Exception {
    return new JsonObject(gw.get("/api/connections/sim", OpcUaGateway.VIEWER).body())
        .getString("status");
  }

  private static List<String> machineStatuses(OpcUaGateway gw) throws Exception {
    var machines =
        new JsonObject(gw.get("/api/machines", OpcUaGateway.VIEWER).body())
            .getJsonArray("machines");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < machines.size(); i++) {
      out.add(machines.getJsonObject(i).getString("status"));
    }
    return out;
  }

  private static String record(List<String> seen, String status) {
    synchronized (seen) {
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
        seen.add(status);
      }
    }
    return status;
  }
}
