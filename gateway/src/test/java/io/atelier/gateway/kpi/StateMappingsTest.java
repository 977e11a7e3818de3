package io.atelier.gateway.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.gateway.kpi.StateMapping.Mapped;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StateMappingsTest {

  private static StateMapping read(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    StateMapping m = StateMappings.read(new ConfigNode("kpi.state", KpiRig.yaml(yaml), problems));
    problems.throwIfAny();
    return m;
  }

  private static List<ConfigProblem> problems(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    StateMappings.read(new ConfigNode("m.kpi.state", KpiRig.yaml(yaml), problems));
    return problems.all();
  }

  private static Mapped map(StateMapping m, Object... inputs) {
    assertThat(m.signals()).hasSize(inputs.length);
    return m.map(inputs);
  }

  @Test
  void atelierStateNamesMapToThemselvesAndCodesCanBeAdded() {
    StateMapping m = read("map: {RUNNING: producing, 3: down}");
    assertThat(m.signals()).containsExactly("state");
    assertThat(map(m, "PRODUCING").state()).isEqualTo(MachineState.PRODUCING);
    assertThat(map(m, "planned_stop").state()).isEqualTo(MachineState.PLANNED_STOP);
    assertThat(map(m, "Running").state()).isEqualTo(MachineState.PRODUCING);
    assertThat(map(m, 3L).state()).isEqualTo(MachineState.DOWN);
    assertThat(map(m, 3.0).state()).isEqualTo(MachineState.DOWN);
    Mapped unknown = map(m, "WARMING");
    assertThat(unknown.known()).isFalse();
    assertThat(unknown.state()).isEqualTo(MachineState.DOWN);
  }

  @Test
  void packmlStateCurrentUsesTheStandardNumbering() {
    StateMapping m = read("type: packml\nmap: {5: down}");
    assertThat(m.signals()).containsExactly("packml_state");
    assertThat(map(m, 6L)).isEqualTo(new Mapped(MachineState.PRODUCING, "Execute", true));
    assertThat(map(m, 4L).state()).isEqualTo(MachineState.IDLE);
    assertThat(map(m, 11L).state()).isEqualTo(MachineState.DOWN); // Held
    assertThat(map(m, 9L).state()).isEqualTo(MachineState.DOWN); // Aborted
    assertThat(map(m, 5L))
        .isEqualTo(new Mapped(MachineState.DOWN, "Suspended", true)); // overridden
    assertThat(map(m, "Execute").state()).isEqualTo(MachineState.PRODUCING);
    assertThat(map(m, 42L).known()).isFalse();
  }

  @Test
  void opcUaMachineryCombinesItemStateAndOperationMode() {
    StateMapping m = read("type: opcua-machinery\nmap: {\"Executing/Maintenance\": setup}");
    assertThat(m.signals()).containsExactly("machinery_state", "operation_mode");
    assertThat(map(m, "Executing", "Processing").state()).isEqualTo(MachineState.PRODUCING);
    assertThat(map(m, "Executing", "Setup").state()).isEqualTo(MachineState.SETUP);
    assertThat(map(m, "NotExecuting", "Setup").state()).isEqualTo(MachineState.SETUP);
    assertThat(map(m, "NotExecuting", "Processing").state()).isEqualTo(MachineState.IDLE);
    assertThat(map(m, "OutOfService", "Processing").state()).isEqualTo(MachineState.DOWN);
    assertThat(map(m, "NotAvailable", "None").state()).isEqualTo(MachineState.PLANNED_STOP);
    assertThat(map(m, "Executing", "Maintenance").state()).isEqualTo(MachineState.SETUP);
    assertThat(map(m, "Executing", null).state()).isEqualTo(MachineState.PRODUCING);
    assertThat(map(m, "Exploding", "None").known()).isFalse();
  }

  @Test
  void euromapUsesTheMachineModeRefinedByAlarmAndRunning() {
    StateMapping m =
        read("type: euromap\nmode: machine_mode\nalarm: alarm_active\nrunning: cycle_running");
    assertThat(m.signals())
        .containsExactlyInAnyOrder("machine_mode", "alarm_active", "cycle_running");
    int mode = m.signals().indexOf("machine_mode");
    int alarm = m.signals().indexOf("alarm_active");
    int running = m.signals().indexOf("cycle_running");
    Object[] in = new Object[3];
    in[mode] = 1L;
    in[alarm] = false;
    in[running] = true;
    assertThat(m.map(in).state()).isEqualTo(MachineState.PRODUCING);
    in[running] = false;
    assertThat(m.map(in).state()).isEqualTo(MachineState.IDLE);
    in[alarm] = true;
    assertThat(m.map(in).state()).isEqualTo(MachineState.DOWN);
    in[alarm] = false;
    in[mode] = "SETUP";
    assertThat(m.map(in).state()).isEqualTo(MachineState.SETUP);
    in[mode] = 5L;
    assertThat(m.map(in).state()).isEqualTo(MachineState.PLANNED_STOP);
  }

  @Test
  void rulesApplyInPriorityOrder() {
    StateMapping m =
        read(
            """
            type: rules
            rules:
              - { when: "alarm_active == true", state: down }
              - { when: "spindle_speed > 0 and door_closed", state: producing }
              - { when: "mode == 'SETUP' or mode == 4", state: setup }
            otherwise: idle
            """);
    assertThat(m.signals()).containsExactly("alarm_active", "spindle_speed", "door_closed", "mode");
    assertThat(m.map(new Object[] {true, 1200.0, true, "AUTO"}).state())
        .isEqualTo(MachineState.DOWN);
    assertThat(m.map(new Object[] {false, 1200.0, true, "AUTO"}).state())
        .isEqualTo(MachineState.PRODUCING);
    assertThat(m.map(new Object[] {false, 1200.0, false, "AUTO"}).state())
        .isEqualTo(MachineState.IDLE);
    assertThat(m.map(new Object[] {false, 0.0, true, 4L}).state()).isEqualTo(MachineState.SETUP);
    assertThat(m.map(new Object[] {null, null, null, "setup"}).state())
        .isEqualTo(MachineState.SETUP);
    assertThat(m.map(new Object[] {false, 0.0, true, "AUTO"}).known()).isTrue(); // otherwise given
  }

  @Test
  void everyMistakeIsReportedWithItsPath() {
    assertThat(problems("type: bogus"))
        .extracting(ConfigProblem::path)
        .containsExactly("m.kpi.state.type");
    assertThat(problems("map: {RUNNING: sprinting}\nsignl: state"))
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("m.kpi.state.map.RUNNING", "m.kpi.state.signl");
    assertThat(problems("type: rules\nrules: [ { when: \"a ==\", state: down }, { when: \"b\" } ]"))
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("m.kpi.state.rules[0].when", "m.kpi.state.rules[1].state");
  }
}
