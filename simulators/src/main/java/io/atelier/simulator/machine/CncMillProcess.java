package io.atelier.simulator.machine;

import static io.atelier.simulator.machine.ProcessModel.dbl;
import static io.atelier.simulator.machine.ProcessModel.str;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A 3-axis CNC mill. Browse paths follow OPC 40502 (CNC Systems): a channel {@code Channel1}, a
 * spindle {@code Spindle1} and axes {@code X}, {@code Y}, {@code Z} under {@code CncInterface}.
 */
final class CncMillProcess implements ProcessModel {

  private static final String SPINDLE = "CncInterface/CncSpindleList/Spindle1/";
  private static final String CHANNEL = "CncInterface/CncChannelList/Channel1/";
  private static final String AXES = "CncInterface/CncAxisList/";
  private static final List<String> PROGRAMS =
      List.of("BRACKET_A.NC", "HOUSING_B.NC", "FLANGE_C.NC");
  private static final double[] PROGRAM_RPM = {12_000, 9_000, 15_000};

  private final SplittableRandom noise;
  private final Lag spindle = new Lag(0, 0.8);
  private final Lag spindleTemp = new Lag(22, 600);
  private final Lag coolantTemp = new Lag(20, 900);
  private final Lag x = new Lag(0, 0.3);
  private final Lag y = new Lag(0, 0.3);
  private final Lag z = new Lag(100, 0.3);
  private double load;
  private double power;

  CncMillProcess(SplittableRandom noise) {
    this.noise = noise;
  }

  @Override
  public List<SignalDef> signals() {
    return List.of(
        dbl("spindle_speed", "rpm", SPINDLE + "ActSpeed"),
        dbl("spindle_speed_setpoint", "rpm", SPINDLE + "CmdSpeed"),
        dbl("spindle_load", "%", SPINDLE + "ActLoad"),
        dbl("spindle_temperature_c", "°C", SPINDLE + "Temperature"),
        dbl("axis_x", "mm", AXES + "X/ActPos"),
        dbl("axis_y", "mm", AXES + "Y/ActPos"),
        dbl("axis_z", "mm", AXES + "Z/ActPos"),
        dbl("feed_rate", "mm/min", CHANNEL + "ActFeedrate"),
        dbl("feed_override", "%", CHANNEL + "FeedOverride"),
        str("program_name", CHANNEL + "ActProgramName"),
        str("channel_status", CHANNEL + "ActStatus"),
        dbl("coolant_temperature_c", "°C", "Monitoring/Coolant/Temperature"));
  }

  @Override
  public void update(ProductionModel m, double dt, Map<String, Object> out) {
    int program = (int) ((m.jobNumber() - 1) % PROGRAMS.size());
    boolean cutting = m.state() == MachineState.PRODUCING;
    double p = m.activityProgress();
    double setpoint = cutting ? PROGRAM_RPM[program] * Math.min(1.2, m.speed()) : 0;
    double rpm = spindle.step(setpoint, dt);
    double target = cutting ? 30 + 25 * Math.abs(Math.sin(2 * Math.PI * 4 * p)) + 2 * gauss() : 0;
    load = Math.max(0, Math.min(150, target * Math.min(1, rpm / Math.max(1, setpoint))));
    double xt = cutting ? 250 + 150 * Math.sin(2 * Math.PI * 3 * p) : 0;
    double yt = cutting ? 150 + 100 * Math.cos(2 * Math.PI * 2 * p) : 0;
    double zt = cutting ? -15 - 10 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 6 * p)) : 100;
    double temp = spindleTemp.step(22 + 0.0015 * rpm + 0.12 * load, dt);
    double coolant = coolantTemp.step(20 + 0.05 * load, dt);
    power = 1.5 + 0.12 * rpm / 1000 + 0.15 * load;
    out.put("spindle_speed", rpm);
    out.put("spindle_speed_setpoint", setpoint);
    out.put("spindle_load", load);
    out.put("spindle_temperature_c", temp);
    out.put("axis_x", x.step(xt, dt));
    out.put("axis_y", y.step(yt, dt));
    out.put("axis_z", z.step(zt, dt));
    out.put("feed_rate", cutting ? 2400 * m.speed() : 0.0);
    out.put("feed_override", Math.min(120, m.speed() * 100));
    out.put("program_name", PROGRAMS.get(program));
    out.put(
        "channel_status",
        switch (m.state()) {
          case PRODUCING -> "Active";
          case DOWN -> "Interrupted";
          default -> "Reset";
        });
    out.put("coolant_temperature_c", coolant);
  }

  private double gauss() {
    return Distribution.gaussian(noise);
  }

  @Override
  public double powerKw() {
    return power;
  }
}
