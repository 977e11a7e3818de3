package io.atelier.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.simulator.machine.Distribution;
import io.atelier.simulator.machine.MachineConfig;
import io.atelier.simulator.machine.MachineType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorConfigReaderTest {

  @Test
  void theBuiltInConfigRunsSixMachinesOneOfEachTypeFourOverOpcUaAndTwoOverMqtt() {
    SimulatorConfig cfg = SimulatorConfigReader.defaults();

    assertThat(cfg.machines())
        .extracting(MachineConfig::type)
        .containsExactlyInAnyOrder(MachineType.values());
    assertThat(cfg.machines())
        .extracting(MachineConfig::id)
        .containsExactly(
            "cnc-01", "robot-01", "imm-01", "printer-01", "conveyor-01", "assembly-01");
    assertThat(cfg.machines().stream().filter(m -> m.protocol().equals(MachineConfig.OPCUA)))
        .extracting(MachineConfig::id)
        .containsExactlyInAnyOrder("cnc-01", "robot-01", "imm-01", "assembly-01");
    assertThat(cfg.machines())
        .filteredOn(m -> m.id().equals("conveyor-01"))
        .extracting(MachineConfig::protocol)
        .containsExactly(MachineConfig.MQTT_JSON);
    assertThat(cfg.machines())
        .filteredOn(m -> m.id().equals("printer-01"))
        .extracting(MachineConfig::protocol)
        .containsExactly(MachineConfig.SPARKPLUG);
    assertThat(cfg.machines().get(0).ref().path()).isEqualTo("platform/hall-a/machining/cnc-01");
    assertThat(cfg.opcuaPort()).isEqualTo(4840);
    assertThat(cfg.controlPort()).isEqualTo(8081);
    assertThat(cfg.mqttUrl()).isEqualTo("tcp://localhost:1883");
    assertThat(cfg.bind()).isEqualTo("127.0.0.1");
  }

  @Test
  void readsEveryMachineParameter() {
    SimulatorConfig cfg =
        SimulatorConfigReader.parse(
            """
            seed: 7
            machines:
              - id: cnc-01
                type: cnc-mill
                path: platform/hall-a/machining/cnc-01
                ideal-cycle-time: 30s
                speed: 0.8
                cycle-jitter: 0
                scrap-rate: 0.1
                mtbf: never
                mttr: {distribution: uniform, min: 1m, max: 3m}
                micro-stops: {per-hour: 0, duration: 5s}
                idle: {probability: 0.5, duration: {distribution: exponential, mean: 20s}}
                job: {size: 10, setup-time: 5m, reset-counters: false}
                counter-wrap: 999
            """);

    var p = cfg.machines().get(0).params();
    assertThat(cfg.seed()).isEqualTo(7);
    assertThat(p.idealCycleTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.speed()).isEqualTo(0.8);
    assertThat(p.scrapRate()).isEqualTo(0.1);
    assertThat(p.mtbf().isNever()).isTrue();
    assertThat(p.mttr())
        .isEqualTo(Distribution.uniform(Duration.ofMinutes(1), Duration.ofMinutes(3)));
    assertThat(p.microStopInterval().isNever()).isTrue();
    assertThat(p.idleProbability()).isEqualTo(0.5);
    assertThat(p.idleDuration()).isEqualTo(Distribution.exponential(Duration.ofSeconds(20)));
    assertThat(p.jobSize()).isEqualTo(10);
    assertThat(p.setupTime()).isEqualTo(Distribution.fixed(Duration.ofMinutes(5)));
    assertThat(p.resetCountersPerJob()).isFalse();
    assertThat(p.counterWrap()).isEqualTo(999);
  }

  @Test
  void aMalformedConfigReportsEveryProblemWithItsPath() {
    String yaml =
        """
        seed: many
        opcua: {port: 70000}
        machines:
          - id: cnc-01
            type: lathe
            path: platform/hall-a/cnc-01
            scrap-rate: 1.5
            mtbf: {distribution: weibull, mean: 2h}
            job: {size: -1}
          - id: cnc-01
            type: cnc-mill
            path: platform/hall-a/machining/cnc-01
            protocol: modbus
            micro-stops: {per-hour: 2, duration: never}
            spede: 0.9
        """;

    assertThatThrownBy(() -> SimulatorConfigReader.parse(yaml))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::path)
                    .contains(
                        "seed",
                        "opcua.port",
                        "machines[0].type",
                        "machines[0].path",
                        "machines[0].scrap-rate",
                        "machines[0].mtbf.distribution",
                        "machines[0].job.size",
                        "machines[1].protocol",
                        "machines[1].micro-stops.duration",
                        "machines[1].spede"))
        .hasMessageContaining("machines[0].type: unknown machine type")
        .hasMessageContaining("lathe");
  }

  @Test
  void rejectsDuplicateMachineIdsAndAPathThatDoesNotEndWithTheId() {
    String yaml =
        """
        machines:
          - {id: a, type: conveyor, path: p/h/l/a}
          - {id: a, type: conveyor, path: p/h/l/a}
          - {id: b, type: conveyor, path: p/h/l/c}
        """;

    assertThatThrownBy(() -> SimulatorConfigReader.parse(yaml))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::path)
                    .containsExactly("machines[1].id", "machines[2].path"));
  }

  @Test
  void reportsBrokenYamlWithItsLine() {
    assertThatThrownBy(() -> SimulatorConfigReader.parse("machines:\n  - id: [a\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not valid YAML")
        .hasMessageContaining("line");
  }

  @Test
  void anEmptyFileIsTheDefaultsWithNoMachines() {
    SimulatorConfig cfg = SimulatorConfigReader.parse("");

    assertThat(cfg.machines()).isEqualTo(List.of());
    assertThat(cfg.seed()).isEqualTo(SimulatorConfig.DEFAULT_SEED);
  }
}
