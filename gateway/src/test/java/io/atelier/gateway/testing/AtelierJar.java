package io.atelier.gateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the executable jar ({@code gateway/target/atelier.jar}) as a user does, in a directory of
 * the test's, with its output in {@code out.log} there. Integration tests only: the jar exists
 * after {@code package}.
 */
public final class AtelierJar implements AutoCloseable {

  public static final Path JAR = Path.of(System.getProperty("atelier.jar", "target/atelier.jar"));
  public static final Path ROOT = Path.of(System.getProperty("atelier.root", ".."));
  public static final Path EXAMPLE_CONFIG = ROOT.resolve("config/atelier.example.yaml");

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public AtelierJar(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code java -jar atelier.jar args...} with extra environment variables. */
  public Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** What the processes printed so far. */
  public String output() throws IOException {
    Path log = dir.resolve("out.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  public HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Kills whatever is still running. */
  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}
