package io.atelier.connector.opcua.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void browseNamesBecomeLowerSnakeCase() {
    assertThat(Names.snakeCase("GoodCount")).isEqualTo("good_count");
    assertThat(Names.snakeCase("Speed")).isEqualTo("speed");
    assertThat(Names.snakeCase("cycleTime_s")).isEqualTo("cycle_time_s");
    assertThat(Names.snakeCase("HTTPServerPort")).isEqualTo("http_server_port");
    assertThat(Names.snakeCase("Temperature (°C)")).isEqualTo("temperature_c");
    assertThat(Names.snakeCase("  Motor 2 -- Current  ")).isEqualTo("motor_2_current");
    assertThat(Names.snakeCase("Axis1Position")).isEqualTo("axis1_position");
    assertThat(Names.snakeCase("Température")).isEqualTo("temperature");
  }

  @Test
  void signalNamesStartWithALetterAndAreNeverEmpty() {
    assertThat(Names.signalName("2ndStage")).isEqualTo("s_2nd_stage");
    assertThat(Names.signalName("温度")).isEqualTo("signal");
    assertThat(Names.signalName("---")).isEqualTo("signal");
  }

  @Test
  void idsAreKebabCase() {
    assertThat(Names.id("cnc-01", "m")).isEqualTo("cnc-01");
    assertThat(Names.id("Robot Cell 1", "m")).isEqualTo("robot-cell-1");
    assertThat(Names.id("???", "machine")).isEqualTo("machine");
    assertThat(Names.uniqueIds(List.of("press", "press", "lathe", "press")))
        .containsExactly("press", "press-2", "lathe", "press-3");
  }

  @Test
  void signalNamesUseTheShortestUniqueTailOfTheirPath() {
    List<String> names =
        Names.uniqueSignalNames(
            List.of(
                List.of("Monitoring", "Spindle", "Speed"),
                List.of("Monitoring", "Feed", "Speed"),
                List.of("Production", "GoodCount"),
                List.of("Monitoring", "Temperature"),
                List.of("Spindle", "Temperature")));
    assertThat(names)
        .containsExactly(
            "spindle_speed",
            "feed_speed",
            "good_count",
            "monitoring_temperature",
            "spindle_temperature");
  }

  @Test
  void namesEqualOverTheirWholePathAreNumbered() {
    // "Good Count" and "GoodCount" are different browse names with the same snake case.
    List<String> names =
        Names.uniqueSignalNames(
            List.of(List.of("GoodCount"), List.of("Good Count"), List.of("good_count")));
    assertThat(names).containsExactly("good_count", "good_count_2", "good_count_3");
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void everyNameIsAcceptedByTheGatewaysSignalPattern() {
    List<String> names =
        Names.uniqueSignalNames(
            List.of(List.of("Ünïcode Näme"), List.of("9"), List.of("a.b[0]"), List.of("")));
    assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z][a-z0-9_]*"));
  }
}
