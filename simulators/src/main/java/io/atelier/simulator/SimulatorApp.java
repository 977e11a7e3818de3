package io.atelier.simulator;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.control.ControlApi;
import io.atelier.simulator.machine.LoadMachine;
import io.atelier.simulator.machine.MachineConfig;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.scenario.Scenario;
import io.atelier.simulator.scenario.ScenarioReader;
import io.atelier.simulator.scenario.Simulation;
import io.atelier.simulator.scenario.SimulationRunner;
import io.atelier.simulator.scenario.TruthReport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running simulator: machines on the simulated clock, the protocol endpoints serving them, the
 * control API, and an optional scenario. {@link #start} blocks until everything is up (call it from
 * a plain thread, not an event loop); {@link #close} stops it and writes the ground truth.
 */
public final class SimulatorApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorApp.class);
  private static final long START_TIMEOUT_S = 15;

  private final SimulatorConfig config;
  private final Simulation simulation;
  private final SimulationRunner runner;
  private final Vertx vertx;
  private final ControlApi api;
  private final List<ProtocolEndpoint> endpoints;
  private final int controlPort;
  private boolean closed;

  private SimulatorApp(
      SimulatorConfig config,
      Simulation simulation,
      SimulationRunner runner,
      Vertx vertx,
      ControlApi api,
      List<ProtocolEndpoint> endpoints,
      int controlPort) {
    this.config = config;
    this.simulation = simulation;
    this.runner = runner;
    this.vertx = vertx;
    this.api = api;
    this.endpoints = endpoints;
    this.controlPort = controlPort;
  }

  /**
   * Starts a simulator.
   *
   * @param scenarioFile a scenario to replay from the start, checked against the machines first
   * @param providers the protocol endpoints available in this build
   * @throws io.atelier.connector.api.config.InvalidConfigException when the scenario is malformed
   * @throws IOException when the scenario cannot be read
   * @throws IllegalStateException when the OPC UA server or the control API cannot start
   */
  public static SimulatorApp start(
      SimulatorConfig config, Optional<Path> scenarioFile, List<ProtocolEndpointProvider> providers)
      throws IOException {
    List<String> endpointNames = new ArrayList<>();
    for (ProtocolEndpointProvider p : providers) {
      if (enabled(config, p.name())) {
        endpointNames.add(p.name());
      }
    }
    List<String> machineIds = config.machines().stream().map(MachineConfig::id).toList();
    Optional<Scenario> scenario = Optional.empty();
    if (scenarioFile.isPresent()) {
      scenario = Optional.of(ScenarioReader.read(scenarioFile.get(), machineIds, endpointNames));
    }

    long startMs = Instant.now().toEpochMilli();
    SignalBoard board = new SignalBoard();
    Simulation sim = new Simulation(config.seed(), startMs, board, Clock.systemUTC());
    config.machines().forEach(sim::addMachine);
    config.load().ifPresent(l -> addLoad(sim, l));
    warnAboutUnservedMachines(config, endpointNames);

    EndpointOptions options =
        new EndpointOptions(config.bind(), config.opcuaPort(), config.mqttUrl(), config.dataDir());
    List<ProtocolEndpoint> endpoints = new ArrayList<>();
    for (ProtocolEndpointProvider p : providers) {
      if (endpointNames.contains(p.name())) {
        ProtocolEndpoint e = p.create(board, options);
        endpoints.add(e);
        sim.addEndpoint(e);
      }
    }
    scenario.ifPresent(s -> sim.schedule(s, startMs));

    SimulationRunner runner = new SimulationRunner(sim);
    Vertx vertx = Vertx.vertx();
    ControlApi api = new ControlApi(vertx, runner);
    SimulatorApp app = new SimulatorApp(config, sim, runner, vertx, api, endpoints, 0);
    try {
      for (ProtocolEndpoint e : endpoints) {
        startEndpoint(e);
      }
      int port =
          api.listen(config.bind(), config.controlPort())
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_TIMEOUT_S, TimeUnit.SECONDS);
      app = new SimulatorApp(config, sim, runner, vertx, api, endpoints, port);
      runner.startRealTime(config.tick(), config.timeScale());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      app.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      app.close();
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("simulator did not start: " + cause.getMessage(), cause);
    }
    LOG.info(
        "simulating {} machine(s){} with seed {}; control API on http://{}:{}{}",
        config.machines().size(),
        config.load().map(l -> " and " + l.machines() + " load machine(s)").orElse(""),
        config.seed(),
        config.bind(),
        app.controlPort,
        scenario
            .map(s -> "; scenario '" + s.name() + "' with " + s.events().size() + " event(s)")
            .orElse(""));
    return app;
  }

  private static boolean enabled(SimulatorConfig config, String endpoint) {
    return switch (endpoint) {
      case "opcua" -> config.opcuaEnabled();
      case "mqtt" -> config.mqttEnabled();
      default -> true;
    };
  }

  private static void addLoad(Simulation sim, SimulatorConfig.Load load) {
    for (int i = 1; i <= load.machines(); i++) {
      String id = String.format("load-%04d", i);
      sim.addLoadMachine(
          new MachineRef("platform", "hall-a", "load", id),
          load.protocol(),
          load.signals(),
          load.period());
    }
  }

  private static void warnAboutUnservedMachines(SimulatorConfig config, List<String> endpoints) {
    Map<String, List<String>> byEndpoint =
        config.machines().stream()
            .collect(
                Collectors.groupingBy(
                    m -> m.protocol().equals(MachineConfig.OPCUA) ? "opcua" : "mqtt",
                    Collectors.mapping(MachineConfig::id, Collectors.toList())));
    byEndpoint.forEach(
        (endpoint, ids) -> {
          if (!endpoints.contains(endpoint)) {
            LOG.warn(
                "no {} endpoint running (disabled or not in this build): {} simulated but not served",
                endpoint,
                ids);
          }
        });
  }

  /**
   * The OPC UA server must start (its machines are unreachable otherwise, and a busy port is a
   * set-up mistake to report); the MQTT publisher may wait for its broker and keeps trying.
   */
  private static void startEndpoint(ProtocolEndpoint e)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      e.start().get(START_TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("{} endpoint started", e.name());
    } catch (ExecutionException | TimeoutException ex) {
      if (e.name().equals("opcua")) {
        throw ex;
      }
      LOG.warn(
          "{} endpoint not running yet ({}); it keeps retrying",
          e.name(),
          ex instanceof TimeoutException
              ? "no answer in " + START_TIMEOUT_S + " s"
              : ex.getCause());
    }
  }

  public int controlPort() {
    return controlPort;
  }

  public SimulatorConfig config() {
    return config;
  }

  /** The simulation thread; use {@link SimulationRunner#call} to look at the simulation. */
  public SimulationRunner runner() {
    return runner;
  }

  public List<ProtocolEndpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  /** Stops everything and appends the run's ground truth to the truth file. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<TruthReport> truth = List.of();
    try {
      runner
          .call(SimulatorApp::loadSummary)
          .get(START_TIMEOUT_S, TimeUnit.SECONDS)
          .ifPresent(line -> LOG.info("{}", line));
      truth =
          runner
              .call(sim -> sim.truth(sim.startMs(), sim.now()))
              .get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("could not read the ground truth at exit", e);
    }
    runner.close();
    writeTruth(truth);
    for (ProtocolEndpoint e : endpoints) {
      try {
        e.stop().get(START_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException ex) {
        LOG.warn("{} endpoint did not stop cleanly: {}", e.name(), ex.toString());
      }
    }
    try {
      // One after the other from this thread: chaining vertx.close() inside a callback would run
      // on an event loop that the close itself terminates, and its completion would be lost.
      api.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S, TimeUnit.SECONDS);
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("control API did not close cleanly: {}", e.toString());
    }
  }

  /** What the load machines offered: a benchmark compares it with what arrived. */
  private static Optional<String> loadSummary(Simulation sim) {
    List<LoadMachine> load = sim.loadMachines();
    if (load.isEmpty()) {
      return Optional.empty();
    }
    LoadMachine first = load.get(0);
    return Optional.of(
        String.format(
            "load: %d machine(s), %d period boundaries, %d of them emitted a period or more late,"
                + " %d skipped",
            load.size(), first.periods(), first.late(), first.skipped()));
  }

  /**
   * One JSON line per machine, appended so that several runs can share a file; each line carries
   * the run's seed and start.
   */
  private void writeTruth(List<TruthReport> truth) {
    if (truth.isEmpty()) {
      return;
    }
    Path file = config.truthFile();
    StringBuilder lines = new StringBuilder();
    for (TruthReport r : truth) {
      JsonObject line = new JsonObject(r.toMap());
      line.put("seed", config.seed());
      line.put("run_start", Instant.ofEpochMilli(simulation.startMs()).toString());
      lines.append(line.encode()).append('\n');
    }
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      LOG.info("ground truth of {} machine(s) written to {}", truth.size(), file);
    } catch (IOException e) {
      LOG.error("could not write the ground truth to {}", file, e);
    }
  }
}
