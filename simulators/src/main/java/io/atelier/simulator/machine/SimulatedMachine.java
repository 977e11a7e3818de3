package io.atelier.simulator.machine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One demonstrator machine: its production state machine, its process physics, and the signals it
 * shows on the {@link SignalBoard}. State and counter signals are written at the exact simulated
 * time they change; process values once per tick.
 */
public final class SimulatedMachine implements SimulatedDevice {

  /** Signals every machine has, whatever its type. */
  public static final List<SignalDef> COMMON_SIGNALS =
      List.of(
          ProcessModel.str("state", "Production/State"),
          ProcessModel.str("state_reason", "Production/StateReason"),
          ProcessModel.str("machinery_state", "MachineryItemState/CurrentState"),
          ProcessModel.str("operation_mode", "MachineryOperationMode/CurrentState"),
          ProcessModel.lng("good_count", "", "Production/GoodCount"),
          ProcessModel.lng("reject_count", "", "Production/RejectCount"),
          ProcessModel.lng("job_number", "", "Production/JobNumber"),
          ProcessModel.dbl("cycle_time_s", "s", "Production/CycleTime"),
          ProcessModel.dbl("ideal_cycle_time_s", "s", "Production/IdealCycleTime"),
          ProcessModel.lng("alarm_code", "", "Alarms/AlarmCode"),
          ProcessModel.str("alarm_text", "Alarms/AlarmText"),
          ProcessModel.dbl("power_kw", "kW", "Monitoring/Power"),
          ProcessModel.dbl("energy_kwh", "kWh", "Monitoring/Energy"));

  private final MachineConfig config;
  private final SignalBoard board;
  private final ProductionModel production;
  private final ProcessModel process;
  private final MachineInfo info;
  private final ProductionListener truth;
  private final Map<String, Object> values = new LinkedHashMap<>();
  private long lastTickMs;
  private double energyKwh;

  /**
   * Creates the machine at simulated time {@code startMs} and defines it on the board.
   *
   * @param seed run seed; the machine's generator is derived from it and the machine id
   * @param truth told of every state change and part (ground truth), besides the board
   */
  public SimulatedMachine(
      MachineConfig config, long seed, long startMs, SignalBoard board, ProductionListener truth) {
    this.config = config;
    this.board = board;
    this.truth = truth;
    SplittableRandom random = new SplittableRandom(machineSeed(seed, config.id()));
    this.process = ProcessModel.of(config.type(), random.split());
    this.production =
        new ProductionModel(config.type(), config.params(), random, startMs, new Forwarder());
    List<SignalDef> signals = new ArrayList<>(COMMON_SIGNALS);
    signals.addAll(process.signals());
    this.info =
        new MachineInfo(
            config.id(), config.type().code(), config.ref(), config.protocol(), signals);
    this.lastTickMs = startMs;
    process.update(production, 0, values);
    putCommon();
    board.define(info, rounded(values), Instant.ofEpochMilli(startMs));
    truth.stateChanged(startMs, production.state(), production.reason(), production.alarmCode());
  }

  /**
   * A machine's own seed: the run seed mixed with the machine id, so adding a machine does not
   * change the behaviour of the others.
   */
  static long machineSeed(long seed, String id) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public MachineInfo info() {
    return info;
  }

  public MachineConfig config() {
    return config;
  }

  /** The production state machine, read-only use outside the simulation thread is not allowed. */
  public ProductionModel production() {
    return production;
  }

  @Override
  public void advanceTo(long t) {
    production.advanceTo(t);
    double dt = (t - lastTickMs) / 1000.0;
    if (dt < 0) {
      return;
    }
    // Energy over the step at the power of its start (a left Riemann sum): exact enough at 100 ms
    // ticks and independent of how the power is computed next.
    energyKwh += process.powerKw() * dt / 3600.0;
    lastTickMs = t;
    process.update(production, dt, values);
    putCommon();
    Instant time = Instant.ofEpochMilli(t);
    for (Map.Entry<String, Object> e : rounded(values).entrySet()) {
      board.set(info.id(), e.getKey(), e.getValue(), time);
    }
  }

  private void putCommon() {
    MachineState s = production.state();
    values.put("state", s.name());
    values.put("state_reason", production.reason());
    values.put("machinery_state", s.machineryItemState());
    values.put("operation_mode", s.machineryOperationMode());
    values.put("good_count", production.goodCount());
    values.put("reject_count", production.rejectCount());
    values.put("job_number", production.jobNumber());
    values.put("cycle_time_s", production.lastCycleMs() / 1000.0);
    values.put("ideal_cycle_time_s", config.params().idealCycleTime().toMillis() / 1000.0);
    values.put("alarm_code", production.alarmCode());
    values.put("alarm_text", s == MachineState.DOWN ? production.reason() : "");
    values.put("power_kw", process.powerKw());
    values.put("energy_kwh", energyKwh);
  }

  private static Map<String, Object> rounded(Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>(in.size());
    for (Map.Entry<String, Object> e : in.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Double d) {
        // Three decimals: enough for every process value, and it keeps noise below that from
        // producing a change notification on every tick.
        v = Math.round(d * 1000) / 1000.0;
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  public double energyKwh() {
    return energyKwh;
  }

  // ---- trainer commands ----

  public void injectFault(Optional<Duration> duration, String reason) {
    production.injectFault(duration, reason);
  }

  public void forceSetup(Optional<Duration> duration) {
    production.forceSetup(duration);
  }

  public void plannedStop(Optional<Duration> duration, Optional<String> reason) {
    production.plannedStop(duration, reason);
  }

  public void resume() {
    production.resume();
  }

  public void setSpeed(double speed) {
    production.setSpeed(speed);
  }

  public void setScrapRate(double rate) {
    production.setScrapRate(rate);
  }

  /** Writes state signals at the instant of the change and forwards to the truth recorder. */
  private final class Forwarder implements ProductionListener {

    @Override
    public void stateChanged(long timeMs, MachineState state, String reason, long alarmCode) {
      Instant time = Instant.ofEpochMilli(timeMs);
      String id = config.id();
      board.set(id, "state", state.name(), time);
      board.set(id, "state_reason", reason, time);
      board.set(id, "machinery_state", state.machineryItemState(), time);
      board.set(id, "operation_mode", state.machineryOperationMode(), time);
      board.set(id, "alarm_code", alarmCode, time);
      board.set(id, "alarm_text", state == MachineState.DOWN ? reason : "", time);
      if (config.type() == MachineType.ASSEMBLY_STATION) {
        board.set(id, "packml_state", (long) state.packMlState(), time);
      }
      truth.stateChanged(timeMs, state, reason, alarmCode);
    }

    @Override
    public void partMade(long timeMs, boolean good) {
      Instant time = Instant.ofEpochMilli(timeMs);
      String id = config.id();
      board.set(id, good ? "good_count" : "reject_count", counter(good), time);
      board.set(id, "cycle_time_s", production.lastCycleMs() / 1000.0, time);
      truth.partMade(timeMs, good);
    }

    @Override
    public void countersReset(long timeMs) {
      Instant time = Instant.ofEpochMilli(timeMs);
      board.set(config.id(), "good_count", production.goodCount(), time);
      board.set(config.id(), "reject_count", production.rejectCount(), time);
      board.set(config.id(), "job_number", production.jobNumber(), time);
      truth.countersReset(timeMs);
    }

    private long counter(boolean good) {
      return good ? production.goodCount() : production.rejectCount();
    }
  }
}
