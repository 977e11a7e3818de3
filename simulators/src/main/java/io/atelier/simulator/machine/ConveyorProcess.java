package io.atelier.simulator.machine;

import static io.atelier.simulator.machine.ProcessModel.bool;
import static io.atelier.simulator.machine.ProcessModel.dbl;
import static io.atelier.simulator.machine.ProcessModel.lng;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A belt conveyor feeding the assembly line; a "part" is one carrier delivered. */
final class ConveyorProcess implements ProcessModel {

  private static final double NOMINAL_SPEED = 0.5;

  private final SplittableRandom noise;
  private final Lag belt = new Lag(0, 1.0);
  private final Lag motorTemp = new Lag(25, 1200);
  private double current;

  ConveyorProcess(SplittableRandom noise) {
    this.noise = noise;
  }

  @Override
  public List<SignalDef> signals() {
    return List.of(
        dbl("belt_speed_m_s", "m/s", "Monitoring/Drive/Speed"),
        dbl("motor_current_a", "A", "Monitoring/Drive/Current"),
        dbl("motor_temperature_c", "°C", "Monitoring/Drive/MotorTemperature"),
        lng("items_on_belt", "", "Monitoring/ItemsOnBelt"),
        bool("blocked", "Monitoring/Blocked"));
  }

  @Override
  public void update(ProductionModel m, double dt, Map<String, Object> out) {
    boolean running = m.state() == MachineState.PRODUCING;
    boolean blocked = m.state() == MachineState.IDLE && m.reason().equals("blocked");
    boolean starved = m.state() == MachineState.IDLE && m.reason().equals("starved");
    double speed = belt.step(running ? NOMINAL_SPEED * m.speed() : 0, dt);
    long items = starved ? 0 : blocked ? 8 : 3 + (m.machineCycles() % 3);
    current = speed > 0.01 ? 1.2 + 4 * speed / NOMINAL_SPEED * (0.6 + 0.05 * items) : 0.2;
    current = Math.max(0, current + 0.05 * Distribution.gaussian(noise));
    out.put("belt_speed_m_s", speed);
    out.put("motor_current_a", current);
    out.put("motor_temperature_c", motorTemp.step(25 + 4 * current, dt));
    out.put("items_on_belt", items);
    out.put("blocked", blocked);
  }

  @Override
  public double powerKw() {
    // A 400 V three-phase drive at cos(phi) 0.8.
    return Math.sqrt(3) * 400 * current * 0.8 / 1000;
  }
}
