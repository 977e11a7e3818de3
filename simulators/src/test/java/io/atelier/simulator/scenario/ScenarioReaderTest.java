package io.atelier.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {

  private static final List<String> MACHINES = List.of("cnc-01", "imm-01");
  private static final List<String> ENDPOINTS = List.of("opcua", "mqtt");

  @Test
  void readsAPlainListOfEventsSortedByOffset() {
    Scenario s =
        ScenarioReader.parse(
            """
            - at: 2m
              action: endpoint-stop
              endpoint: opcua
              duration: 30s
            - at: 30s
              action: fault
              machine: cnc-01
              duration: 45s
              reason: tool-breakage
            """,
            MACHINES,
            ENDPOINTS);

    assertThat(s.events())
        .extracting(Scenario.TimedCommand::at)
        .containsExactly(Duration.ofSeconds(30), Duration.ofMinutes(2));
    assertThat(s.events().get(0).command())
        .isEqualTo(
            new Command.Fault("cnc-01", Optional.of(Duration.ofSeconds(45)), "tool-breakage"));
    assertThat(s.events().get(1).command())
        .isEqualTo(
            new Command.Endpoint(
                "opcua", Command.EndpointOperation.STOP, Optional.of(Duration.ofSeconds(30))));
  }

  @Test
  void aMalformedScenarioReportsEveryProblemWithItsPath() {
    String yaml =
        """
        name: broken
        events:
          - {at: 10s, action: fault, machine: cnc-99}
          - {action: setup, machine: cnc-01}
          - {at: soon, action: speed, machine: imm-01, speed: 5}
          - {at: 1m, action: explode, machine: cnc-01}
          - {at: 1m, action: endpoint-restart, endpoint: modbus}
          - {at: 1m, action: planned-stop, machine: cnc-01, durration: 5m}
          - just a string
        """;

    assertThatThrownBy(() -> ScenarioReader.parse(yaml, MACHINES, ENDPOINTS))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::path)
                    .containsExactlyInAnyOrder(
                        "events[0].machine",
                        "events[1].at",
                        "events[2].at",
                        "events[2].speed",
                        "events[3].action",
                        "events[4].endpoint",
                        "events[5].durration",
                        "events[6]"))
        .hasMessageContaining("events[0].machine: unknown machine")
        .hasMessageContaining("cnc-99");
  }

  @Test
  void aTopLevelListNamesItsItemsByIndex() {
    assertThatThrownBy(
            () -> ScenarioReader.parse("- {at: 1s, action: resume}\n", MACHINES, ENDPOINTS))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("[0].machine: missing required field");
  }

  @Test
  void aMappingWithoutEventsIsAnError() {
    assertThatThrownBy(() -> ScenarioReader.parse("name: nothing\n", MACHINES, ENDPOINTS))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("events: missing required field");
  }
}
