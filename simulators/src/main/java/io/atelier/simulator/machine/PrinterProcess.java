package io.atelier.simulator.machine;

import static io.atelier.simulator.machine.ProcessModel.dbl;
import static io.atelier.simulator.machine.ProcessModel.lng;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** An FDM 3D printer; one cycle is one print job, a part is one printed piece. */
final class PrinterProcess implements ProcessModel {

  private static final long LAYERS = 240;

  private final SplittableRandom noise;
  private final Lag nozzle = new Lag(215, 45);
  private final Lag bed = new Lag(60, 240);
  private final Lag chamber = new Lag(35, 900);
  private double filamentM;
  private long layer;
  private double power;

  PrinterProcess(SplittableRandom noise) {
    this.noise = noise;
  }

  @Override
  public List<SignalDef> signals() {
    return List.of(
        dbl("nozzle_temperature_c", "°C", "Monitoring/Extruder/Temperature"),
        dbl("bed_temperature_c", "°C", "Monitoring/Bed/Temperature"),
        dbl("chamber_temperature_c", "°C", "Monitoring/Chamber/Temperature"),
        lng("layer", "", "Production/ActivePrint/Layer"),
        dbl("print_progress_pct", "%", "Production/ActivePrint/Progress"),
        dbl("filament_used_m", "m", "Monitoring/Extruder/FilamentUsed"));
  }

  @Override
  public void update(ProductionModel m, double dt, Map<String, Object> out) {
    MachineState s = m.state();
    boolean printing = s == MachineState.PRODUCING;
    double nozzleTarget =
        switch (s) {
          case PRODUCING, IDLE -> 215;
          case SETUP -> 180;
          case DOWN -> 150;
          case PLANNED_STOP -> 25;
        };
    double bedTarget = s == MachineState.PLANNED_STOP || s == MachineState.DOWN ? 25 : 60;
    double n = nozzle.step(nozzleTarget, dt) + 0.4 * Distribution.gaussian(noise);
    double b = bed.step(bedTarget, dt);
    double c = chamber.step(22 + (b - 22) * 0.3, dt);
    if (printing) {
      layer = Math.min(LAYERS, (long) Math.floor(m.activityProgress() * LAYERS) + 1);
      filamentM += dt * 0.004 * m.speed();
    } else if (m.activity() != MachineState.PRODUCING) {
      layer = 0;
    }
    out.put("nozzle_temperature_c", n);
    out.put("bed_temperature_c", b);
    out.put("chamber_temperature_c", c);
    out.put("layer", layer);
    out.put("print_progress_pct", printing ? 100 * m.activityProgress() : 0.0);
    out.put("filament_used_m", filamentM);
    power =
        0.04
            + (nozzleTarget > 25 ? 0.04 + 0.002 * Math.max(0, nozzleTarget - n) : 0)
            + (bedTarget > 25 ? 0.12 + 0.01 * Math.max(0, bedTarget - b) : 0)
            + (printing ? 0.05 : 0);
  }

  @Override
  public double powerKw() {
    return power;
  }
}
