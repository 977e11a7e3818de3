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
import java.lang.management.ManagementFactory;
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
 * Issue 4: 10,000 monitored items on one endpoint are created (in batches of at most
 * maxItemsPerCall) and deliver data. Prints the creation time and the CPU the JVM used (server and
 * client share it here) for docs/benchmarks.md; asserts only correctness, never speed.
 */
@Timeout(300)
class LargeSubscriptionIT {

  private static final int MACHINES = 250;
  private static final int SIGNALS_PER_MACHINE = 40;

  @TempDir Path serverPki;
  @TempDir Path dataDir;

  @Test
  void tenThousandMonitoredItemsAreCreatedAndDeliverData() throws Exception {
    SignalBoard board = new SignalBoard();
    List<MachineSpec> machines =
        LoadMachines.define(board, MACHINES, SIGNALS_PER_MACHINE, SignalType.DOUBLE, 0.0);
    int port = FreePort.pick();
    SimulatorOpcUaServer server =
        new SimulatorOpcUaServer(
            board, OpcUaServerSettings.defaults(serverPki, port).withBindAddress("127.0.0.1"));
    server.start().get(60, TimeUnit.SECONDS);
    Vertx vertx = Vertx.vertx();
    try {
      Map<String, Object> settings =
          new LinkedHashMap<>(Specs.noneSettings("opc.tcp://127.0.0.1:" + port + "/atelier"));
      settings.put("publishingInterval", "1s");
      settings.put("samplingInterval", "500ms");
      ConnectionSpec spec =
          new ConnectionSpec("load", "opcua", "connections[0]", settings, machines);
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
                              if (Double.valueOf(1.5).equals(s.value())) {
                                seen.add(s.machine() + "/" + s.signal());
                              }
                            }
                            completion.succeeded();
                          },
                          dataDir));
      int total = MACHINES * SIGNALS_PER_MACHINE;
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      done(connector.start());
      await()
          .atMost(Duration.ofMinutes(3))
          .until(
              () ->
                  connector.signalStatus().size() == total
                      && connector.signalStatus().values().stream().allMatch(st -> st.ok()));
      long created = System.nanoTime() - t0;
      long cpuCreate = os.getProcessCpuTime() - cpu0;
      assertThat(server.monitoredItemCount()).isEqualTo(total);

      long t1 = System.nanoTime();
      for (MachineSpec m : machines) {
        for (SignalSpec d : m.signals()) {
          board.set(m.id(), d.name(), 1.5, Instant.now());
        }
      }
      await().atMost(Duration.ofMinutes(2)).until(() -> seen.size() == total);
      long delivered = System.nanoTime() - t1;
      long cpuAll = os.getProcessCpuTime() - cpu0;
      System.out.printf(
          "BENCH opcua-10k: %d items (batches of %d) created and GOOD in %d ms, JVM CPU %d ms;"
              + " one change of every item delivered in %d ms; total JVM CPU %d ms;"
              + " %d cores%n",
          total,
          OpcUaConfigReader.DEFAULT_MAX_ITEMS_PER_CALL,
          TimeUnit.NANOSECONDS.toMillis(created),
          TimeUnit.NANOSECONDS.toMillis(cpuCreate),
          TimeUnit.NANOSECONDS.toMillis(delivered),
          TimeUnit.NANOSECONDS.toMillis(cpuAll),
          Runtime.getRuntime().availableProcessors());
      done(connector.stop());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      server.stop().get(30, TimeUnit.SECONDS);
    }
  }
}
