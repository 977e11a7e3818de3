package io.atelier.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class SimulateCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new SimulateCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void runsTheBuiltInMachinesForADurationAndWritesTheirTruthOnExit() throws Exception {
    int code =
        run(
            "--control-port",
            "0",
            "--no-opcua",
            "--no-mqtt",
            "--seed",
            "5",
            "--time-scale",
            "600",
            "--duration",
            "1s",
            "--data-dir",
            dir.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("atelier-simulator ready: control=http://127.0.0.1:");
    List<String> lines = Files.readAllLines(dir.resolve("truth.jsonl"));
    assertThat(lines).hasSize(6);
    JsonObject cnc = new JsonObject(lines.get(0));
    assertThat(cnc.getString("machine")).isEqualTo("cnc-01");
    assertThat(cnc.getLong("seed")).isEqualTo(5L);
    // About 10 simulated minutes at 600x: the 45 s mill made parts.
    assertThat(cnc.getDouble("window_s")).isGreaterThan(300.0);
    assertThat(cnc.getLong("pq")).isPositive();
  }

  @Test
  void aMalformedConfigExitsWith2AndNamesThePath() throws Exception {
    Path cfg = dir.resolve("sim.yaml");
    Files.writeString(
        cfg,
        """
        machines:
          - {id: cnc-01, type: cnc-mill, path: a/b/c/cnc-01, scrap-rate: 2}
        """);

    int code = run("--config", cfg.toString(), "--control-port", "0", "--no-opcua", "--no-mqtt");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("machines[0].scrap-rate").contains("sim.yaml");
  }

  @Test
  void aMalformedScenarioExitsWith2AndNamesThePath() throws Exception {
    Path scenario = dir.resolve("drill.yaml");
    Files.writeString(scenario, "- {at: 30s, action: fault, machine: cnc-42, duration: 45s}\n");

    int code =
        run(
            "--scenario",
            scenario.toString(),
            "--control-port",
            "0",
            "--no-opcua",
            "--no-mqtt",
            "--data-dir",
            dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("[0].machine").contains("cnc-42").contains("drill.yaml");
  }

  @Test
  void badLoadOptionsExitWith2() {
    int code = run("--load-machines", "3", "--load-period", "often", "--no-opcua", "--no-mqtt");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--load-period");
  }

  @Test
  void loadModeReplacesTheDemonstratorsWithSyntheticMachines() throws Exception {
    SimulateCommand cmd = new SimulateCommand();
    new CommandLine(cmd)
        .parseArgs("--load-machines", "50", "--load-signals", "20", "--load-period", "50ms");

    SimulatorConfig cfg = cmd.effectiveConfig();

    assertThat(cfg.machines()).isEmpty();
    assertThat(cfg.load()).get().extracting(SimulatorConfig.Load::machines).isEqualTo(50);
    assertThat(cfg.load().get().signals()).isEqualTo(20);
    assertThat(cfg.tick().toMillis()).isEqualTo(50);
  }
}
