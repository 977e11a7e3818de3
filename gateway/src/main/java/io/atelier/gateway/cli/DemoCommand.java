package io.atelier.gateway.cli;

import io.atelier.gateway.demo.Demo;
import io.atelier.gateway.demo.DemoOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code atelier demo}: simulators, broker, gateway and dashboard on one machine. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Runs the simulated demonstrator machines, an embedded MQTT broker and the gateway with "
            + "its dashboard on this machine, until Ctrl-C.")
public final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description = "dashboard and API port (default 8080)")
  int httpPort = 8080;

  @Option(
      names = "--opcua-port",
      paramLabel = "N",
      description = "simulator OPC UA port (default 4840)")
  int opcuaPort = 4840;

  @Option(
      names = "--mqtt-port",
      paramLabel = "N",
      description = "embedded broker port (default 1883)")
  int mqttPort = 1883;

  @Option(
      names = "--mqtt-url",
      paramLabel = "URL",
      description = "use this broker (tcp://host:port) instead of the embedded one")
  String mqttUrl;

  @Option(
      names = "--control-port",
      paramLabel = "N",
      description = "simulator control API port (default 8081)")
  int controlPort = 8081;

  @Option(names = "--seed", paramLabel = "N", description = "simulation seed (default 42)")
  long seed = 42;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "where the demo keeps its files (default ./atelier-demo)")
  Path dataDir = Path.of("atelier-demo");

  @Option(names = "--scenario", paramLabel = "FILE", description = "a training scenario to replay")
  Path scenario;

  @Option(
      names = "--influx-url",
      paramLabel = "URL",
      defaultValue = "${env:ATELIER_INFLUX_URL}",
      description =
          "also write to this InfluxDB (env ATELIER_INFLUX_URL); without it the demo"
              + " keeps importable line-protocol files")
  String influxUrl;

  @Option(
      names = "--influx-api",
      paramLabel = "API",
      defaultValue = "${env:ATELIER_INFLUX_API:-auto}",
      description = "auto, v1 or v2 (default auto)")
  String influxApi;

  @Option(
      names = "--influx-database",
      paramLabel = "DB",
      defaultValue = "${env:ATELIER_INFLUX_DATABASE:-atelier}",
      description = "v1 database (default atelier)")
  String influxDatabase;

  @Option(
      names = "--influx-org",
      paramLabel = "ORG",
      defaultValue = "${env:ATELIER_INFLUX_ORG:-atelier}",
      description = "v2 organisation (default atelier)")
  String influxOrg;

  @Option(
      names = "--influx-bucket",
      paramLabel = "BUCKET",
      defaultValue = "${env:ATELIER_INFLUX_BUCKET:-atelier}",
      description = "v2 bucket (default atelier)")
  String influxBucket;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private static void putEnv(Map<String, Object> m, String key, String variable) {
    String value = System.getenv(variable);
    if (value != null && !value.isBlank()) {
      m.put(key, value);
    }
  }

  /** The storage.influx values; secrets only ever come from the environment. */
  private Map<String, Object> influx() {
    if (influxUrl == null || influxUrl.isBlank()) {
      return Map.of();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", influxUrl);
    m.put("api", influxApi);
    m.put("database", influxDatabase);
    m.put("org", influxOrg);
    m.put("bucket", influxBucket);
    putEnv(m, "token", "INFLUX_TOKEN");
    putEnv(m, "username", "INFLUX_USER");
    putEnv(m, "password", "INFLUX_PASSWORD");
    return m;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DemoOptions options =
        new DemoOptions(
            httpPort,
            opcuaPort,
            mqttPort,
            Optional.ofNullable(mqttUrl),
            controlPort,
            seed,
            dataDir.toAbsolutePath(),
            Optional.ofNullable(scenario),
            influx());
    Demo demo;
    try {
      demo = Demo.start(options);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println("The demo could not start: " + cause.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  demo.close();
                  stopped.countDown();
                },
                "atelier-demo-shutdown"));
    out.println();
    out.println("Atelier demo is running.");
    out.println("  Dashboard and API:     http://localhost:" + demo.httpPort() + "/");
    out.println("  Machines (JSON):       http://localhost:" + demo.httpPort() + "/api/machines");
    out.println("  Simulator control API: http://localhost:" + demo.controlPort() + "/machines");
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }
}
