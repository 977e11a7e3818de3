package io.atelier.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineConfig;
import io.atelier.simulator.machine.MachineParams;
import io.atelier.simulator.machine.MachineType;
import io.atelier.simulator.machine.ProductionListener;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SimulatedMachine;
import io.atelier.simulator.scenario.Scenario;
import io.atelier.simulator.scenario.ScenarioReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README honest: its examples parse and its signal tables name every signal. */
class ReadmeTest {

  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  private static String readme() throws Exception {
    return Files.readString(Path.of("README.md"));
  }

  private static List<String> yamlBlocks(String text) {
    Matcher m = YAML_BLOCK.matcher(text);
    return m.results().map(r -> r.group(1)).toList();
  }

  @Test
  void theConfigurationExampleParses() throws Exception {
    SimulatorConfig cfg = SimulatorConfigReader.parse(yamlBlocks(readme()).get(0));

    assertThat(cfg.machines())
        .extracting(MachineConfig::id)
        .containsExactly("cnc-01", "conveyor-01");
  }

  @Test
  void theScenarioExampleParsesAgainstTheBuiltInMachines() throws Exception {
    List<String> ids =
        SimulatorConfigReader.defaults().machines().stream().map(MachineConfig::id).toList();

    Scenario s = ScenarioReader.parse(yamlBlocks(readme()).get(1), ids, List.of("opcua", "mqtt"));

    assertThat(s.events()).hasSize(6);
  }

  @Test
  void everySignalOfEveryTypeIsDocumented() throws Exception {
    String text = readme();
    for (MachineType type : MachineType.values()) {
      SimulatedMachine m =
          new SimulatedMachine(
              new MachineConfig(
                  "x", type, MachineRef.parse("a/b/c/x"), "opcua", MachineParams.defaults(type)),
              1,
              0,
              new SignalBoard(),
              ProductionListener.NONE);
      for (SignalDef s : m.info().signals()) {
        assertThat(text).as(type.code() + " signal").contains("`" + s.name() + "`");
      }
    }
  }
}
