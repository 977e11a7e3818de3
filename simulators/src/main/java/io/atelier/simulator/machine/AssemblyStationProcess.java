package io.atelier.simulator.machine;

import static io.atelier.simulator.machine.ProcessModel.dbl;
import static io.atelier.simulator.machine.ProcessModel.lng;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An automated assembly station: load, press, two screwing steps, inspection, unload. It speaks
 * PackML: {@code StateCurrent} and {@code UnitModeCurrent} under {@code PackML/Status}.
 */
final class AssemblyStationProcess implements ProcessModel {

  /** PackML unit modes. */
  static final long MODE_PRODUCTION = 1;

  static final long MODE_MAINTENANCE = 2;
  static final long MODE_MANUAL = 3;

  private static final int STEPS = 6;

  private final SplittableRandom noise;
  private double power;

  AssemblyStationProcess(SplittableRandom noise) {
    this.noise = noise;
  }

  @Override
  public List<SignalDef> signals() {
    return List.of(
        lng("packml_state", "", "PackML/Status/StateCurrent"),
        lng("packml_unit_mode", "", "PackML/Status/UnitModeCurrent"),
        lng("station_step", "", "Monitoring/Step"),
        dbl("press_force_kn", "kN", "Monitoring/Press/Force"),
        dbl("screw_torque_nm", "N·m", "Monitoring/Screwdriver/Torque"));
  }

  @Override
  public void update(ProductionModel m, double dt, Map<String, Object> out) {
    MachineState s = m.state();
    boolean running = s == MachineState.PRODUCING;
    double p = m.activityProgress();
    long step = running ? Math.min(STEPS, 1 + (long) Math.floor(p * STEPS)) : 0;
    double within = running ? p * STEPS - (step - 1) : 0;
    double force = step == 2 ? 12 * Math.sin(Math.PI * within) : 0;
    double torque = step == 3 || step == 4 ? 4.5 * Math.min(1, within * 1.5) : 0;
    if (force > 0) {
      force += 0.2 * Distribution.gaussian(noise);
    }
    if (torque > 0) {
      torque += 0.05 * Distribution.gaussian(noise);
    }
    long mode =
        switch (s) {
          case SETUP -> MODE_MANUAL;
          case DOWN -> MODE_MAINTENANCE;
          default -> MODE_PRODUCTION;
        };
    out.put("packml_state", (long) s.packMlState());
    out.put("packml_unit_mode", mode);
    out.put("station_step", step);
    out.put("press_force_kn", Math.max(0, force));
    out.put("screw_torque_nm", Math.max(0, torque));
    power = 0.6 + (running ? 1.2 + 0.05 * force : 0);
  }

  @Override
  public double powerKw() {
    return power;
  }
}
