package io.atelier.gateway.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.cli.AtelierCommand;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.simulator.SimulatorApp;
import io.atelier.simulator.SimulatorConfig;
import io.atelier.simulator.SimulatorConfigReader;
import io.atelier.simulator.opcua.OpcUaEndpointProvider;
import io.atelier.testsupport.FreePort;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code atelier discover} against the project's simulator (the default demonstrators, in-process
 * on a free 127.0.0.1 port), its output loaded by the gateway's ConfigLoader unchanged, and a
 * gateway running it collecting every discovered signal; {@code GET /api/discover} likewise.
 */
@Timeout(180)
class DiscoverIT {

  @TempDir static Path dir;
  private static SimulatorApp simulator;
  private static String endpoint;

  @BeforeAll
  static void startSimulator() throws Exception {
    int port = FreePort.pick();
    SimulatorConfig defaults = SimulatorConfigReader.defaults();
    SimulatorConfig config =
        defaults
            .withNetwork("127.0.0.1", 0, true, port, false, defaults.mqttUrl())
            .withTiming(defaults.tick(), 1.0, dir.resolve("sim"));
    simulator = SimulatorApp.start(config, Optional.empty(), List.of(new OpcUaEndpointProvider()));
    endpoint = "opc.tcp://127.0.0.1:" + port + "/atelier";
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  private static String discover(String... extra) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AtelierCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "discover",
                endpoint,
                "--security-policy",
                "None",
                "--allow-none",
                "--connection-id",
                "sim",
                "--data-dir",
                dir.resolve("gw").toString()));
    args.addAll(List.of(extra));
    int code = cli.execute(args.toArray(String[]::new));
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("discovered 4 machine(s)");
    return out.toString();
  }

  @Test
  void runAcceptsTheDiscoveredConfigurationUnchangedAndCollectsEverySignal() throws Exception {
    String yaml = discover();

    // Unchanged, on its own: no problems.
    GatewayConfig alone = OpcUaGateway.parse(yaml, dir);
    assertThat(alone.machines())
        .extracting(MachineConfig::id)
        .containsExactlyInAnyOrder("cnc-01", "robot-01", "imm-01", "assembly-01");
    assertThat(alone.machines())
        .allSatisfy(
            m -> {
              assertThat(m.ref().path()).isEqualTo("discovered/opcua/sim/" + m.id());
              assertThat(m.signals()).isNotEmpty().doesNotHaveDuplicates();
            });
    assertThat(alone.connections())
        .singleElement()
        .satisfies(c -> assertThat(c.type()).isEqualTo("opcua"));

    // Run it (a gateway and http section in front, for a temporary data dir and a free port).
    try (OpcUaGateway gw =
        OpcUaGateway.start(OpcUaGateway.header(dir.resolve("run")) + yaml, dir)) {
      for (MachineConfig m : alone.machines()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  Map<String, Sample> got = gw.app().lastValues().signals(m.id());
                  assertThat(got.keySet()).as(m.id()).containsAll(m.signals());
                  assertThat(got.values())
                      .as(m.id())
                      .allMatch(s -> s.quality().level() == Quality.Level.GOOD);
                });
      }
      System.out.println(
          "discover -> run: "
              + alone.machines().size()
              + " machines, "
              + alone.machines().stream().mapToInt(m -> m.signals().size()).sum()
              + " signals collected");
    }
  }

  @Test
  void theApiDiscoversForOperatorsOnly() throws Exception {
    String header = OpcUaGateway.header(dir.resolve("api"));
    String yaml = header + "connections: []\nmachines: []\n";
    try (OpcUaGateway gw = OpcUaGateway.start(yaml, dir)) {
      String query =
          "/api/discover?endpoint="
              + URLEncoder.encode(endpoint, StandardCharsets.UTF_8)
              + "&securityPolicy=None&allowNone=true&connection=sim";
      HttpResponse<String> ok = gw.get(query, OpcUaGateway.OPERATOR);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      JsonObject body = new JsonObject(ok.body());
      assertThat(body.getInteger("machines")).isEqualTo(4);
      assertThat(body.getBoolean("truncated")).isFalse();
      GatewayConfig parsed = OpcUaGateway.parse(body.getString("yaml"), dir);
      assertThat(parsed.machines()).hasSize(4);
      assertThat(parsed.machines().stream().mapToInt(m -> m.signals().size()).sum())
          .isEqualTo(body.getInteger("signals"));

      assertThat(gw.get(query, OpcUaGateway.VIEWER).statusCode()).isEqualTo(403);
      assertThat(gw.get("/api/discover", OpcUaGateway.OPERATOR).statusCode()).isEqualTo(400);
      HttpResponse<String> noneRefused =
          gw.get(
              "/api/discover?endpoint="
                  + URLEncoder.encode(endpoint, StandardCharsets.UTF_8)
                  + "&securityPolicy=None",
              OpcUaGateway.OPERATOR);
      assertThat(noneRefused.statusCode()).isEqualTo(400);
      assertThat(noneRefused.body()).contains("allowNone");
      HttpResponse<String> absent =
          gw.get(
              "/api/discover?endpoint=opc.tcp://127.0.0.1:"
                  + FreePort.pick()
                  + "/x&securityPolicy=None&allowNone=true",
              OpcUaGateway.OPERATOR);
      assertThat(absent.statusCode()).isEqualTo(502);
      assertThat(new JsonObject(absent.body()).getString("detail")).contains("not reachable");
      // Outside http.discover.allow (default: private networks): refused before any connection.
      HttpResponse<String> outside =
          gw.get(
              "/api/discover?endpoint=opc.tcp://203.0.113.9:4840/x&securityPolicy=None"
                  + "&allowNone=true",
              OpcUaGateway.OPERATOR);
      assertThat(outside.statusCode()).isEqualTo(403);
      assertThat(new JsonObject(outside.body()).getString("detail"))
          .contains("203.0.113.9")
          .contains("http.discover.allow");
    }
  }
}
