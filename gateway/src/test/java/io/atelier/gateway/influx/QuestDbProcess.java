package io.atelier.gateway.influx;

import static org.awaitility.Awaitility.await;

import io.atelier.testsupport.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
 * QuestDB 9.2.2 (from its Maven jar) as a child JVM, every listener on 127.0.0.1 free ports,
 * telemetry and UDP off. It speaks the InfluxDB v2 write API, so it is the real server our v2 path
 * is tested against; its {@code /exec} SQL endpoint reads the rows back.
 */
final class QuestDbProcess implements AutoCloseable {

  private final Process process;
  private final int httpPort;
  private final HttpClient http = HttpClient.newHttpClient();

  QuestDbProcess(Path root) throws IOException {
    List<Integer> ports = FreePort.pick(4);
    httpPort = ports.get(0);
    Path conf = Files.createDirectories(root.resolve("conf"));
    Files.writeString(
        conf.resolve("server.conf"),
        String.join(
            "\n",
            "http.net.bind.to=127.0.0.1:" + ports.get(0),
            "http.min.net.bind.to=127.0.0.1:" + ports.get(1),
            "pg.net.bind.to=127.0.0.1:" + ports.get(2),
            "line.tcp.net.bind.to=127.0.0.1:" + ports.get(3),
            "line.udp.enabled=false",
            "telemetry.enabled=false",
            "shared.worker.count=1",
            ""));
    String jar;
    try {
      jar =
          Path.of(
                  io.questdb.ServerMain.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-p",
                jar,
                "-m",
                "io.questdb/io.questdb.ServerMain",
                "-d",
                root.toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("questdb.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "QuestDB exited: " + Files.readString(root.resolve("questdb.log")));
              }
              return sql("select 1").statusCode() == 200;
            });
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Runs SQL through {@code /exec}; the JSON answer. */
  HttpResponse<String> sql(String query) throws IOException, InterruptedException {
    URI uri = URI.create(url() + "/exec?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
