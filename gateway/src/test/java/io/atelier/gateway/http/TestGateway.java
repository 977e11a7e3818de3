package io.atelier.gateway.http;

import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import io.atelier.gateway.GatewayApp;
import io.atelier.gateway.config.ConfigLoader;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.testing.TestConnectorFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real gateway for HTTP tests: the configuration below (or another), a free loopback port, the
 * {@code test} connector type, and helpers to call it with a token. Three tokens: an admin with
 * scope all, a viewer of firm A who sees only cnc-01, an operator who sees the machining line.
 */
public final class TestGateway implements AutoCloseable {

  public static final String ADMIN = "admin-token-0123456789abcdef";
  public static final String VIEWER_A = "firm-a-viewer-token-0123456789";
  public static final String OPERATOR = "trainer-operator-token-0123456789";

  /** Machine A (in firm A's scope) and machines B (outside it). */
  public static final String MACHINE_A = "cnc-01";

  public static final List<String> MACHINES_B = List.of("robot-01", "imm-01");

  public static final String CONFIG =
      """
      gateway:
        dataDir: ${DATA}
      http:
        host: 127.0.0.1
        port: 0
        auth:
          mode: tokens
          tokens:
            - name: platform-admin
              token: ${ADMIN_TOKEN}
              role: admin
              scope: all
            - name: firm-a
              hash: ${VIEWER_A_HASH}
              role: viewer
              scope: {machines: [cnc-01]}
            - name: trainer
              token: ${OPERATOR_TOKEN}
              role: operator
              scope: {lines: [machining]}
        cors:
          origins: [https://dashboard.example.org]
        rateLimit: {perSecond: 10000, burst: 10000}
        bodyLimit: 65536
        ${EXTRA_HTTP}
      connections:
        - id: sim-opcua
          type: test
          settings:
            url: tcp://127.0.0.1:1
      machines:
        - id: cnc-01
          path: platform/hall-a/machining/cnc-01
          connection: sim-opcua
          description: demonstrator mill
          metadata: {firm: firm-a}
          signals:
            - name: spindle_speed
            - name: good_count
        - id: robot-01
          path: platform/hall-a/machining/robot-01
          connection: sim-opcua
        - id: imm-01
          path: platform/hall-a/moulding/imm-01
          connection: sim-opcua
      """;

  private final GatewayApp app;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestGateway(GatewayApp app) {
    this.app = app;
  }

  /** Starts the standard configuration in {@code dataDir}. */
  public static TestGateway start(Path dataDir) throws Exception {
    return start(dataDir, CONFIG, Map.of(), app -> {});
  }

  /**
   * Starts a configuration; {@code vars} add to the environment, and {@code beforeStart} may plug
   * engines into the app before it listens.
   */
  public static TestGateway start(
      Path dataDir, String yaml, Map<String, String> vars, Consumer<GatewayApp> beforeStart)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("DATA", dataDir.toString());
    env.put("ADMIN_TOKEN", ADMIN);
    env.put("OPERATOR_TOKEN", OPERATOR);
    env.put(
        "VIEWER_A_HASH",
        "sha256:" + io.atelier.gateway.config.HttpSettingsReader.sha256Hex(VIEWER_A));
    env.put("EXTRA_HTTP", "");
    env.putAll(vars);
    // ${EXTRA_HTTP} is a whole line: substitute it in the text, as the YAML must stay a mapping.
    String text = yaml.replace("${EXTRA_HTTP}", env.get("EXTRA_HTTP"));
    ConnectorRegistry registry = ConnectorRegistry.of(List.of(new TestConnectorFactory()));
    GatewayConfig config = new ConfigLoader(registry, env::get).parse(text, dataDir);
    GatewayApp app = new GatewayApp(config, registry);
    beforeStart.accept(app);
    app.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return new TestGateway(app);
  }

  public GatewayApp app() {
    return app;
  }

  public int port() {
    return app.httpPort();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** The sink of the test connection, as a connector would use it. */
  public SampleSink sink() {
    return TestConnectorFactory.SINKS.get("sim-opcua");
  }

  public void push(Sample... samples) {
    sink().acceptAll(List.of(samples), io.atelier.connector.api.Completion.NONE);
  }

  public HttpResponse<String> get(String path, String token) throws Exception {
    return send("GET", path, token, null, Map.of());
  }

  public HttpResponse<String> send(
      String method, String path, String token, String json, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    if (json != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close()
      throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    try {
      app.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the gateway", e);
    }
  }
}
