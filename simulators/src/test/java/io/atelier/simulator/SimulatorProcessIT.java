package io.atelier.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator as its own process, the way other modules' integration tests start it: launched
 * with {@code java -cp}, found through its ready line, stopped with SIGTERM, leaving its truth.
 */
@Timeout(120)
class SimulatorProcessIT {

  private static final Pattern READY =
      Pattern.compile("atelier-simulator ready: control=(http://[^\\s]+)");

  @TempDir Path dir;

  @Test
  void runsAsAProcessServesTheControlApiAndWritesTruthWhenTerminated() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SimulatorMain.class.getName(),
                "--control-port",
                "0",
                "--no-opcua",
                "--no-mqtt",
                "--time-scale",
                "60",
                "--data-dir",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String base =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      for (String line = out.readLine(); line != null; line = out.readLine()) {
                        Matcher m = READY.matcher(line);
                        if (m.find()) {
                          return m.group(1);
                        }
                      }
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                    throw new IllegalStateException("simulator exited before it was ready");
                  })
              .get(60, TimeUnit.SECONDS);
      // Keep draining the output so the process never blocks on a full pipe.
      CompletableFuture.runAsync(() -> out.lines().forEach(l -> {}));

      HttpResponse<String> machines =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/machines"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(machines.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(machines.body()).getJsonArray("machines")).hasSize(6);

      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
      List<String> truth = Files.readAllLines(dir.resolve("truth.jsonl"));
      assertThat(truth).hasSize(6);
      assertThat(new JsonObject(truth.get(0)).getLong("seed")).isEqualTo(42L);
    } finally {
      p.destroyForcibly();
    }
  }
}
