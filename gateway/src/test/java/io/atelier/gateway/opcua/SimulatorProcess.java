package io.atelier.gateway.opcua;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's simulator as a separate JVM ({@code SimulatorMain}: OPC UA only, 127.0.0.1), so a
 * test can kill it and start a new process with the same node ids (same ports, same data directory
 * and so the same server certificate). Its control API answers the server's monitored-item count.
 */
final class SimulatorProcess implements AutoCloseable {

  private final Process process;
  private final int controlPort;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private SimulatorProcess(Process process, int controlPort, Path log) {
    this.process = process;
    this.controlPort = controlPort;
    this.log = log;
  }

  /** Starts the process and waits until its OPC UA server runs. */
  static SimulatorProcess start(int opcuaPort, int controlPort, Path dataDir, Path log)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.atelier.simulator.SimulatorMain",
                    "--opcua-port",
                    Integer.toString(opcuaPort),
                    "--no-mqtt",
                    "--control-port",
                    Integer.toString(controlPort),
                    "--bind",
                    "127.0.0.1",
                    "--data-dir",
                    dataDir.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    SimulatorProcess sim = new SimulatorProcess(p, controlPort, log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> sim.opcua().getBoolean("running", false));
    } catch (RuntimeException e) {
      sim.close();
      throw new IllegalStateException("simulator did not start; log:\n" + sim.logText(), e);
    }
    return sim;
  }

  /** The control API's view of the OPC UA endpoint: running, monitoredItems, sessions. */
  JsonObject opcua() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + "/endpoints"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonArray list = new JsonObject(r.body()).getJsonArray("endpoints");
    for (int i = 0; i < list.size(); i++) {
      if ("opcua".equals(list.getJsonObject(i).getString("name"))) {
        return list.getJsonObject(i);
      }
    }
    throw new IllegalStateException("no opcua endpoint in " + r.body());
  }

  long monitoredItems() throws IOException, InterruptedException {
    return opcua().getLong("monitoredItems", -1L);
  }

  String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the process (SIGTERM, then kill after 20 s) and waits for it to be gone. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
