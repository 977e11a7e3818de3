package io.atelier.simulator;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.simulator.machine.MachineConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: runs the demonstrator machines with their OPC UA and MQTT endpoints and the
 * control API until stopped (Ctrl-C, SIGTERM) or for {@code --duration}. Exit codes: 0 after a
 * normal stop, 2 for a bad configuration or scenario, 1 when it could not start.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the demonstrator machine simulators (OPC UA server, MQTT publisher, control API).",
      "Without --config it runs six machines, one of each type."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "simulator YAML configuration")
  Path config;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "random seed (default: from config, 42)")
  Long seed;

  @Option(names = "--opcua-port", paramLabel = "N", description = "OPC UA port (default 4840)")
  Integer opcuaPort;

  @Option(
      names = "--mqtt-url",
      paramLabel = "URL",
      description = "MQTT broker (default tcp://localhost:1883)")
  String mqttUrl;

  @Option(
      names = "--control-port",
      paramLabel = "N",
      description = "HTTP control API port (default 8081; 0 = any free port)")
  Integer controlPort;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "address the control API and OPC UA server listen on (default 127.0.0.1)")
  String bind;

  @Option(names = "--scenario", paramLabel = "FILE", description = "scenario YAML to replay")
  Path scenario;

  @Option(names = "--no-opcua", description = "do not run the OPC UA server")
  boolean noOpcua;

  @Option(names = "--no-mqtt", description = "do not run the MQTT publisher")
  boolean noMqtt;

  @Option(
      names = "--time-scale",
      paramLabel = "X",
      description = "simulated seconds per real second (default 1)")
  Double timeScale;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "OPC UA PKI and truth.jsonl (default sim-data)")
  Path dataDir;

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      description = "stop after this long (wall clock), e.g. 10m; default: run until stopped")
  String duration;

  @Option(
      names = "--load-machines",
      paramLabel = "N",
      description = "load mode: N synthetic machines instead of the demonstrators")
  Integer loadMachines;

  @Option(
      names = "--load-signals",
      paramLabel = "K",
      description = "load mode: signals per machine (default 10)")
  Integer loadSignals;

  @Option(
      names = "--load-period",
      paramLabel = "TIME",
      description = "load mode: every signal changes this often (default 250ms)")
  String loadPeriod;

  @Option(
      names = "--load-protocol",
      paramLabel = "P",
      description = "load mode: opcua, mqtt-json or sparkplug (default opcua)")
  String loadProtocol;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    SimulatorConfig cfg;
    try {
      cfg = effectiveConfig();
    } catch (InvalidConfigException e) {
      err.println("Invalid simulator configuration" + (config == null ? "" : " " + config) + ":");
      e.problems().forEach(p -> err.println("  " + p));
      return 2;
    } catch (IOException e) {
      err.println("Cannot read " + config + ": " + e.getMessage());
      return 2;
    }
    Optional<Duration> runFor = Optional.empty();
    if (duration != null) {
      runFor = ConfigNode.parseDuration(duration);
      if (runFor.isEmpty()) {
        err.println("--duration: expected a duration such as 30s or 10m, got " + duration);
        return 2;
      }
    }
    SimulatorApp app;
    try {
      app = SimulatorApp.start(cfg, Optional.ofNullable(scenario), providers());
    } catch (InvalidConfigException e) {
      err.println("Invalid scenario " + scenario + ":");
      e.problems().forEach(p -> err.println("  " + p));
      return 2;
    } catch (IOException e) {
      err.println("Cannot read scenario " + scenario + ": " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
    // One machine-readable line, so scripts and tests that start the simulator as a process learn
    // the actual port (with --control-port 0).
    PrintWriter out = spec.commandLine().getOut();
    out.println("atelier-simulator ready: control=http://" + cfg.bind() + ":" + app.controlPort());
    out.flush();
    Thread hook =
        new Thread(
            () -> {
              app.close();
              stopped.countDown();
            },
            "atelier-sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (runFor.isPresent()) {
      stopped.await(runFor.get().toMillis(), TimeUnit.MILLISECONDS);
    } else {
      stopped.await();
    }
    if (stopped.getCount() > 0) {
      // --duration elapsed: stop here rather than in the hook.
      app.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return 0;
  }

  /** The configuration file (or the built-in one) with the command-line options applied. */
  SimulatorConfig effectiveConfig() throws IOException {
    SimulatorConfig cfg =
        config == null ? SimulatorConfigReader.defaults() : SimulatorConfigReader.read(config);
    if (seed != null) {
      cfg = cfg.withSeed(seed);
    }
    cfg =
        cfg.withNetwork(
            bind != null ? bind : cfg.bind(),
            controlPort != null ? controlPort : cfg.controlPort(),
            cfg.opcuaEnabled() && !noOpcua,
            opcuaPort != null ? opcuaPort : cfg.opcuaPort(),
            cfg.mqttEnabled() && !noMqtt,
            mqttUrl != null ? mqttUrl : cfg.mqttUrl());
    cfg =
        cfg.withTiming(
            cfg.tick(),
            timeScale != null ? timeScale : cfg.timeScale(),
            dataDir != null ? dataDir : cfg.dataDir());
    List<String> problems = new ArrayList<>();
    if (loadMachines != null && loadMachines > 0) {
      Optional<Duration> period =
          loadPeriod == null
              ? Optional.of(Duration.ofMillis(250))
              : ConfigNode.parseDuration(loadPeriod);
      String protocol = loadProtocol == null ? MachineConfig.OPCUA : loadProtocol;
      if (period.isEmpty() || period.get().toMillis() < 1) {
        problems.add("--load-period: expected a duration of at least 1ms, got " + loadPeriod);
      }
      if (!MachineConfig.PROTOCOLS.contains(protocol)) {
        problems.add("--load-protocol: expected opcua, mqtt-json or sparkplug, got " + protocol);
      }
      int signals = loadSignals == null ? 10 : loadSignals;
      if (signals < 1) {
        problems.add("--load-signals: must be at least 1, got " + signals);
      }
      if (problems.isEmpty()) {
        Duration p = period.get();
        cfg = cfg.withLoad(new SimulatorConfig.Load(loadMachines, signals, p, protocol));
        // Every period boundary must be seen: tick at least as often as the signals change.
        if (cfg.tick().compareTo(p) > 0) {
          cfg = cfg.withTiming(p, cfg.timeScale(), cfg.dataDir());
        }
      }
    }
    if (timeScale != null && !(timeScale > 0)) {
      problems.add("--time-scale: must be greater than zero, got " + timeScale);
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(
          problems.stream()
              .map(p -> new io.atelier.connector.api.config.ConfigProblem("(command line)", p, ""))
              .toList());
    }
    return cfg;
  }

  private static List<ProtocolEndpointProvider> providers() {
    List<ProtocolEndpointProvider> out = new ArrayList<>();
    ServiceLoader.load(ProtocolEndpointProvider.class).forEach(out::add);
    return out;
  }

  /** Runs the command on its own: {@code System.exit} with its exit code. */
  public static int run(String... args) {
    return new CommandLine(new SimulateCommand()).execute(args);
  }
}
