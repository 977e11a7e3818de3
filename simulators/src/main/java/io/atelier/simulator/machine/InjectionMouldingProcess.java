package io.atelier.simulator.machine;

import static io.atelier.simulator.machine.ProcessModel.dbl;
import static io.atelier.simulator.machine.ProcessModel.lng;
import static io.atelier.simulator.machine.ProcessModel.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An injection moulding machine. Job counters follow EUROMAP 77 (OPC 40077) {@code
 * Jobs/ActiveJobValues}; barrel zones heat with a long time constant and cool down during planned
 * stops, and the shot follows inject, hold, plasticise and eject phases.
 */
final class InjectionMouldingProcess implements ProcessModel {

  private static final String JOB = "Jobs/ActiveJobValues/";
  private static final String UNIT = "InjectionUnits/InjectionUnit_1/";
  private static final double[] ZONE_SETPOINTS = {220, 230, 240};
  private static final double NOZZLE_SETPOINT = 245;
  private static final double AMBIENT = 25;

  private final SplittableRandom noise;
  private final Lag[] zones = new Lag[3];
  private final Lag nozzle = new Lag(NOZZLE_SETPOINT, 300);
  private final Lag mould = new Lag(45, 600);
  private double power;

  InjectionMouldingProcess(SplittableRandom noise) {
    this.noise = noise;
    for (int i = 0; i < zones.length; i++) {
      // Start hot: the machine was warmed up before the run began.
      zones[i] = new Lag(ZONE_SETPOINTS[i], 300);
    }
  }

  @Override
  public List<SignalDef> signals() {
    List<SignalDef> out = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      out.add(
          dbl(
              "barrel_zone_" + i + "_temperature_c",
              "°C",
              UNIT + "TemperatureZones/Zone_" + i + "/ActualTemperature"));
    }
    out.add(dbl("nozzle_temperature_c", "°C", UNIT + "Nozzle/ActualTemperature"));
    out.add(dbl("mould_temperature_c", "°C", "Moulds/Mould_1/ActualTemperature"));
    out.add(dbl("injection_pressure_bar", "bar", UNIT + "ActualInjectionPressure"));
    out.add(dbl("screw_position_mm", "mm", UNIT + "ActualScrewPosition"));
    out.add(dbl("clamp_force_kn", "kN", "ClampingUnits/ClampingUnit_1/ActualClampingForce"));
    out.add(lng("job_cycle_counter", "", JOB + "JobCycleCounter"));
    out.add(lng("machine_cycle_counter", "", JOB + "MachineCycleCounter"));
    out.add(lng("job_parts_counter", "", JOB + "JobPartsCounter"));
    out.add(lng("job_good_parts_counter", "", JOB + "JobGoodPartsCounter"));
    out.add(lng("job_bad_parts_counter", "", JOB + "JobBadPartsCounter"));
    out.add(dbl("last_cycle_time_s", "s", JOB + "LastCycleTime"));
    out.add(str("job_name", "Jobs/ActiveJob/JobName"));
    return out;
  }

  @Override
  public void update(ProductionModel m, double dt, Map<String, Object> out) {
    boolean heatersOn = m.state() != MachineState.PLANNED_STOP;
    double heating = 0;
    for (int i = 0; i < zones.length; i++) {
      double target = heatersOn ? ZONE_SETPOINTS[i] : AMBIENT;
      double t = zones[i].step(target, dt) + 0.3 * Distribution.gaussian(noise);
      heating += heatersOn ? Math.max(0.3, Math.min(1, (ZONE_SETPOINTS[i] - t) / 20 + 0.3)) : 0;
      out.put("barrel_zone_" + (i + 1) + "_temperature_c", t);
    }
    out.put("nozzle_temperature_c", nozzle.step(heatersOn ? NOZZLE_SETPOINT : AMBIENT, dt));
    boolean running = m.state() == MachineState.PRODUCING;
    out.put("mould_temperature_c", mould.step(running ? 45 : AMBIENT + 5, dt));

    double p = m.activityProgress();
    double pressure = 0;
    double screw = 80;
    double clamp = 0;
    double hydraulics = 1;
    if (running) {
      clamp = p < 0.85 ? 1200 : 0;
      if (p < 0.1) {
        pressure = 1200 * (p / 0.1);
        screw = 80 - 70 * (p / 0.1);
        hydraulics = 12;
      } else if (p < 0.3) {
        pressure = 600;
        screw = 10;
        hydraulics = 6;
      } else if (p < 0.6) {
        pressure = 80;
        screw = 10 + 70 * ((p - 0.3) / 0.3);
        hydraulics = 4;
      } else {
        hydraulics = 2;
      }
      pressure += 5 * Distribution.gaussian(noise);
    }
    out.put("injection_pressure_bar", Math.max(0, pressure));
    out.put("screw_position_mm", screw);
    out.put("clamp_force_kn", clamp);
    out.put("job_cycle_counter", m.jobCycles());
    out.put("machine_cycle_counter", m.machineCycles());
    out.put("job_parts_counter", m.jobGood() + m.jobReject());
    out.put("job_good_parts_counter", m.jobGood());
    out.put("job_bad_parts_counter", m.jobReject());
    out.put("last_cycle_time_s", m.lastCycleMs() / 1000.0);
    out.put("job_name", String.format("JOB-%04d", m.jobNumber()));
    power = 2.5 * heating + hydraulics;
  }

  @Override
  public double powerKw() {
    return power;
  }
}
