package io.atelier.simulator.machine;

import static io.atelier.simulator.machine.ProcessModel.bool;
import static io.atelier.simulator.machine.ProcessModel.dbl;
import static io.atelier.simulator.machine.ProcessModel.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A six-axis robot doing pick and place. Browse paths follow OPC 40010 (Robotics): axes under
 * {@code MotionDevices/Robot1/Axes/AxisN/ParameterSet/ActualPosition}.
 */
final class RobotCellProcess implements ProcessModel {

  private static final String ROBOT = "MotionDevices/Robot1/";
  private static final double[] HOME = {0, -90, 90, 0, 90, 0};
  private static final double[] AMPLITUDE = {85, 35, 40, 60, 30, 170};
  private static final List<String> PROGRAMS = List.of("PICK_PLACE_A", "PICK_PLACE_B", "PALLETISE");

  private final SplittableRandom noise;
  private final Lag[] axes = new Lag[6];
  private final Lag motorTemp = new Lag(28, 900);
  private double power;

  RobotCellProcess(SplittableRandom noise) {
    this.noise = noise;
    for (int i = 0; i < axes.length; i++) {
      axes[i] = new Lag(HOME[i], 0.25);
    }
  }

  @Override
  public List<SignalDef> signals() {
    List<SignalDef> out = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      out.add(dbl("axis_" + i, "deg", ROBOT + "Axes/Axis" + i + "/ParameterSet/ActualPosition"));
    }
    out.add(dbl("speed_override", "%", ROBOT + "ParameterSet/SpeedOverride"));
    out.add(bool("gripper_closed", "Gripper/Closed"));
    out.add(
        dbl(
            "motor_temperature_c",
            "°C",
            ROBOT + "PowerTrains/PowerTrain1/Motor/ParameterSet/MotorTemperature"));
    out.add(str("program_name", "Controllers/Controller1/TaskControls/Task1/TaskProgramName"));
    return out;
  }

  @Override
  public void update(ProductionModel m, double dt, Map<String, Object> out) {
    boolean moving = m.state() == MachineState.PRODUCING;
    double p = m.activityProgress();
    for (int i = 0; i < 6; i++) {
      double target = moving ? HOME[i] + AMPLITUDE[i] * Math.sin(2 * Math.PI * p + i) : HOME[i];
      out.put("axis_" + (i + 1), axes[i].step(target, dt));
    }
    out.put("speed_override", Math.min(100, m.speed() * 100));
    out.put("gripper_closed", moving && p >= 0.25 && p < 0.75);
    double temp = motorTemp.step(moving ? 45 + 10 * m.speed() : 28, dt);
    out.put("motor_temperature_c", temp);
    out.put("program_name", PROGRAMS.get((int) ((m.jobNumber() - 1) % PROGRAMS.size())));
    power =
        0.8 + (moving ? 3.5 * Math.min(1.2, m.speed()) + 0.1 * Distribution.gaussian(noise) : 0);
  }

  @Override
  public double powerKw() {
    return Math.max(0, power);
  }
}
