package io.atelier.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real InfluxDB 1.6 (Debian package {@code influxdb}; v1 API only: /write, /query, /ping) on free
 * 127.0.0.1 ports, with its meta, data and WAL in a temporary directory. Every listener is bound to
 * loopback (HTTP and the meta/backup RPC port); reporting, the _internal monitor store, UDP,
 * Graphite, collectd and OpenTSDB are off. Writes are fsynced before the 204, so acknowledged
 * points survive {@link #kill()}.
 */
public final class InfluxServer extends ProcessServer {

  public static final String BINARY = "influxd";
  public static final String DEBIAN_PACKAGE = "influxdb";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Duration startTimeout;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int httpPort;
  private int rpcPort;

  private InfluxServer(Builder builder) {
    super("influxd");
    this.startTimeout = builder.startTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>}; the same across restarts. */
  public synchronized String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The HTTP port. */
  public synchronized int port() {
    requireStartedOnce();
    return httpPort;
  }

  public void createDatabase(String database) {
    query("", "CREATE DATABASE " + quoteIdentifier(database));
  }

  /** Writes line protocol with nanosecond timestamps (InfluxDB's default precision). */
  public void write(String database, String lineProtocol) {
    write(database, lineProtocol, "ns");
  }

  /** Writes line protocol; {@code precision} is one of ns, u, ms, s, m, h. Fails unless 204. */
  public void write(String database, String lineProtocol, String precision) {
    URI uri = uri("/write", Map.of("db", database, "precision", precision));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(lineProtocol, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 204) {
      throw new IllegalStateException(
          "InfluxDB write to '"
              + database
              + "' failed: "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  /**
   * Runs InfluxQL and returns the parsed JSON response. Times come back as epoch milliseconds.
   * Fails with InfluxDB's message if the request or any statement failed.
   */
  public JsonNode query(String database, String influxql) {
    String form = form(Map.of("db", database, "q", influxql, "epoch", "ms"));
    HttpRequest request =
        HttpRequest.newBuilder(uri("/query", Map.of()))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response = send(request);
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          "InfluxDB answered " + response.statusCode() + " with non-JSON: " + response.body(), e);
    }
    String error = firstError(body);
    if (response.statusCode() != 200 || error != null) {
      throw new IllegalStateException(
          "InfluxQL failed (" + response.statusCode() + "): " + error + " for: " + influxql);
    }
    return body;
  }

  /**
   * The rows of every series of the first statement, one object per row with the columns and the
   * series' GROUP BY tags as fields. Empty when nothing matched.
   */
  public List<ObjectNode> rows(String database, String influxql) {
    List<ObjectNode> rows = new ArrayList<>();
    for (JsonNode series : query(database, influxql).path("results").path(0).path("series")) {
      JsonNode columns = series.path("columns");
      for (JsonNode values : series.path("values")) {
        ObjectNode row = JSON.createObjectNode();
        series.path("tags").fields().forEachRemaining(tag -> row.set(tag.getKey(), tag.getValue()));
        for (int i = 0; i < columns.size(); i++) {
          row.set(columns.get(i).asText(), values.get(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Exact number of points in {@code measurement}, whatever fields they carry. */
  public long count(String database, String measurement) {
    return rows(database, "SELECT * FROM " + quoteIdentifier(measurement)).size();
  }

  /** Number of points in {@code measurement} that carry {@code field}. */
  public long countField(String database, String measurement, String field) {
    List<ObjectNode> rows =
        rows(
            database,
            "SELECT count(" + quoteIdentifier(field) + ") FROM " + quoteIdentifier(measurement));
    return rows.isEmpty() ? 0 : rows.get(0).path("count").asLong();
  }

  /** InfluxQL identifier quoting: names with spaces, dashes or keywords need it. */
  public static String quoteIdentifier(String name) {
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  void choosePorts() {
    List<Integer> ports = FreePort.pick(2);
    httpPort = ports.get(0);
    rpcPort = ports.get(1);
  }

  @Override
  void writeConfig(Path directory) throws IOException {
    String config =
        String.join(
            "\n",
            "# written by atelier test-support; every listener on 127.0.0.1",
            "reporting-disabled = true",
            "bind-address = " + toml("127.0.0.1:" + rpcPort),
            "[meta]",
            "  dir = " + toml(directory.resolve("meta")),
            "  logging-enabled = false",
            "[data]",
            "  dir = " + toml(directory.resolve("data")),
            "  wal-dir = " + toml(directory.resolve("wal")),
            "  wal-fsync-delay = \"0s\"",
            "  query-log-enabled = false",
            "[monitor]",
            "  store-enabled = false",
            "[subscriber]",
            "  enabled = false",
            "[http]",
            "  enabled = true",
            "  bind-address = " + toml("127.0.0.1:" + httpPort),
            "  auth-enabled = false",
            "  log-enabled = false",
            "  pprof-enabled = false",
            "  unix-socket-enabled = false",
            "  max-row-limit = 0",
            "[ifql]",
            "  enabled = false",
            "[logging]",
            "  level = \"info\"",
            "  suppress-logo = true",
            "[[graphite]]",
            "  enabled = false",
            "[[collectd]]",
            "  enabled = false",
            "[[opentsdb]]",
            "  enabled = false",
            "[[udp]]",
            "  enabled = false",
            "[continuous_queries]",
            "  log-enabled = false",
            "");
    Files.writeString(directory.resolve("influxdb.conf"), config);
  }

  @Override
  ManagedProcess createProcess(Path directory) {
    Path binary = Binaries.require(BINARY, DEBIAN_PACKAGE);
    return ManagedProcess.builder("influxd", binary)
        .args("run", "-config", directory.resolve("influxdb.conf").toString())
        .workingDirectory(directory)
        // INFLUXDB_* variables would override the config file, e.g. bind addresses.
        .removeEnvironmentPrefix("INFLUXDB_")
        .readiness(this::answersPing)
        .startTimeout(startTimeout)
        .build();
  }

  private boolean answersPing() throws IOException, InterruptedException {
    HttpRequest ping =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ping"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    return http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("InfluxDB request " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during InfluxDB request " + request.uri(), e);
    }
  }

  private URI uri(String path, Map<String, String> parameters) {
    String query = parameters.isEmpty() ? "" : "?" + form(parameters);
    return URI.create(url() + path + query);
  }

  private static String form(Map<String, String> parameters) {
    List<String> pairs = new ArrayList<>();
    parameters.forEach(
        (key, value) ->
            pairs.add(
                URLEncoder.encode(key, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return String.join("&", pairs);
  }

  private static String firstError(JsonNode body) {
    if (body.hasNonNull("error")) {
      return body.get("error").asText();
    }
    for (JsonNode result : body.path("results")) {
      if (result.hasNonNull("error")) {
        return result.get("error").asText();
      }
    }
    return null;
  }

  private static String toml(Object value) {
    return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Options for the database server. */
  public static final class Builder {
    private Duration startTimeout = Duration.ofSeconds(30);

    private Builder() {}

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public InfluxServer build() {
      return new InfluxServer(this);
    }
  }
}
