package io.atelier.simulator.scenario;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.ProtocolEndpoint;
import io.atelier.simulator.machine.LoadMachine;
import io.atelier.simulator.machine.MachineConfig;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SimulatedDevice;
import io.atelier.simulator.machine.SimulatedMachine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The simulated world: machines on one simulated clock, their ground truth, timed commands from
 * scenarios, and the event log. Time only moves when {@link #advanceTo} is called: a real-time
 * runner calls it from the wall clock, a test calls it as fast as it likes, and both see the same
 * states and counts for the same seed and commands.
 *
 * <p>Not thread-safe: confine it to one thread ({@link SimulationRunner} does).
 */
public final class Simulation {

  private record Scheduled(long timeMs, long seq, Command command, String source) {}

  private final long seed;
  private final long startMs;
  private final SignalBoard board;
  private final EventLog events;
  private final Map<String, SimulatedMachine> machines = new LinkedHashMap<>();
  private final Map<String, MachineTruth> truths = new LinkedHashMap<>();
  private final List<SimulatedDevice> devices = new ArrayList<>();
  private final List<LoadMachine> loadMachines = new ArrayList<>();
  private final Map<String, ProtocolEndpoint> endpoints = new LinkedHashMap<>();
  private final PriorityQueue<Scheduled> schedule =
      new PriorityQueue<>(
          (a, b) ->
              a.timeMs() != b.timeMs()
                  ? Long.compare(a.timeMs(), b.timeMs())
                  : Long.compare(a.seq(), b.seq()));
  private long scheduleSeq;
  private long now;

  public Simulation(long seed, long startMs, SignalBoard board, Clock wallClock) {
    this.seed = seed;
    this.startMs = startMs;
    this.now = startMs;
    this.board = board;
    this.events = new EventLog(wallClock);
  }

  public void addMachine(MachineConfig config) {
    if (machines.containsKey(config.id())) {
      throw new IllegalArgumentException("machine defined twice: " + config.id());
    }
    MachineTruth truth = new MachineTruth(config.id(), config.params().idealCycleTime().toMillis());
    SimulatedMachine m = new SimulatedMachine(config, seed, now, board, truth);
    machines.put(config.id(), m);
    truths.put(config.id(), truth);
    devices.add(m);
  }

  public void addLoadMachine(MachineRef ref, String protocol, int signals, Duration period) {
    // Boundaries on multiples of the period since the epoch, like bench/MqttLoad.java's: a mixed
    // run then has one grid, so a measuring window holds the same boundaries for every source.
    long periodMs = period.toMillis();
    long start = now - Math.floorMod(now, periodMs);
    LoadMachine m = new LoadMachine(ref, protocol, signals, periodMs, start, board);
    loadMachines.add(m);
    devices.add(m);
  }

  /** Makes an endpoint controllable by name ({@code endpoint-stop} and friends). */
  public void addEndpoint(ProtocolEndpoint endpoint) {
    endpoints.put(endpoint.name(), endpoint);
  }

  public long seed() {
    return seed;
  }

  public long startMs() {
    return startMs;
  }

  public long now() {
    return now;
  }

  public SignalBoard board() {
    return board;
  }

  public EventLog events() {
    return events;
  }

  /** The machines in configuration order (a read-only view; simulation thread only). */
  public Map<String, SimulatedMachine> machines() {
    return Collections.unmodifiableMap(machines);
  }

  public List<String> machineIds() {
    return List.copyOf(machines.keySet());
  }

  public Optional<SimulatedMachine> machine(String id) {
    return Optional.ofNullable(machines.get(id));
  }

  public List<LoadMachine> loadMachines() {
    return List.copyOf(loadMachines);
  }

  public Map<String, ProtocolEndpoint> endpoints() {
    return Map.copyOf(endpoints);
  }

  /** Schedules every event of a scenario at its offset from {@code baseMs}. */
  public void schedule(Scenario scenario, long baseMs) {
    for (Scenario.TimedCommand tc : scenario.events()) {
      schedule(baseMs + tc.at().toMillis(), tc.command(), "scenario");
    }
  }

  public void schedule(long timeMs, Command command, String source) {
    schedule.add(new Scheduled(Math.max(timeMs, now), ++scheduleSeq, command, source));
  }

  /** Commands scheduled and not yet applied. */
  public int pending() {
    return schedule.size();
  }

  public void advanceBy(Duration d) {
    advanceTo(now + d.toMillis());
  }

  /**
   * Runs the world to simulated time {@code t}: every scheduled command is applied at its exact
   * time, with every machine brought up to that time first.
   */
  public void advanceTo(long t) {
    if (t < now) {
      return;
    }
    while (!schedule.isEmpty() && schedule.peek().timeMs() <= t) {
      Scheduled s = schedule.poll();
      advanceDevices(s.timeMs());
      try {
        apply(s.command(), s.source());
      } catch (CommandException e) {
        events.add(now, s.source(), s.command().action(), s.command().details(), "failed: " + e);
      }
    }
    advanceDevices(t);
  }

  private void advanceDevices(long t) {
    for (SimulatedDevice d : devices) {
      d.advanceTo(t);
    }
    now = t;
  }

  /**
   * Applies a command now and logs it.
   *
   * @throws CommandException when it names an unknown machine or endpoint (nothing is logged)
   */
  public SimEvent apply(Command command, String source) {
    if (command instanceof Command.MachineCommand mc) {
      SimulatedMachine m = machines.get(mc.machine());
      if (m == null) {
        throw new CommandException(
            "unknown machine",
            "no machine '"
                + mc.machine()
                + "'; known machines: "
                + String.join(", ", machineIds()));
      }
      if (mc instanceof Command.Fault f) {
        m.injectFault(f.duration(), f.reason());
      } else if (mc instanceof Command.Setup s) {
        m.forceSetup(s.duration());
      } else if (mc instanceof Command.PlannedStop p) {
        m.plannedStop(p.duration(), p.reason());
      } else if (mc instanceof Command.Resume) {
        m.resume();
      } else if (mc instanceof Command.Speed s) {
        m.setSpeed(s.speed());
      } else if (mc instanceof Command.ScrapRate r) {
        m.setScrapRate(r.rate());
      }
      return events.add(now, source, command.action(), command.details(), "applied");
    }
    Command.Endpoint e = (Command.Endpoint) command;
    ProtocolEndpoint endpoint = endpoints.get(e.endpoint());
    if (endpoint == null) {
      throw new CommandException(
          "unknown endpoint",
          "no endpoint '"
              + e.endpoint()
              + "'; running endpoints: "
              + (endpoints.isEmpty() ? "none" : String.join(", ", endpoints.keySet())));
    }
    SimEvent logged = events.add(now, source, command.action(), command.details(), "requested");
    long at = now;
    Supplier<CompletableFuture<Void>> op =
        switch (e.operation()) {
          case STOP -> endpoint::stop;
          case START -> endpoint::start;
          case RESTART -> () -> endpoint.stop().thenCompose(v -> endpoint.start());
        };
    CompletableFuture<Void> done;
    try {
      done = op.get();
    } catch (RuntimeException ex) {
      done = CompletableFuture.failedFuture(ex);
    }
    done.whenComplete(
        (v, err) ->
            events.add(
                at,
                source,
                command.action(),
                command.details(),
                err == null ? "completed" : "failed: " + err.getMessage()));
    if (e.operation() == Command.EndpointOperation.STOP && e.duration().isPresent()) {
      schedule(
          now + e.duration().get().toMillis(),
          new Command.Endpoint(e.endpoint(), Command.EndpointOperation.START, Optional.empty()),
          "auto");
    }
    return logged;
  }

  /** Ground truth of one machine over {@code [fromMs, toMs)}, clipped to what has been run. */
  public Optional<TruthReport> truth(String machine, long fromMs, long toMs) {
    MachineTruth t = truths.get(machine);
    return t == null ? Optional.empty() : Optional.of(t.report(fromMs, toMs, now));
  }

  /** Ground truth of every machine, in configuration order. */
  public List<TruthReport> truth(long fromMs, long toMs) {
    List<TruthReport> out = new ArrayList<>();
    for (MachineTruth t : truths.values()) {
      out.add(t.report(fromMs, toMs, now));
    }
    return out;
  }

  public Optional<MachineTruth> truthRecord(String machine) {
    return Optional.ofNullable(truths.get(machine));
  }
}
