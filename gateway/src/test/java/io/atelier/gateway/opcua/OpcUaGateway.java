package io.atelier.gateway.opcua;

import io.atelier.gateway.GatewayApp;
import io.atelier.gateway.config.ConfigLoader;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway in-process with the real connectors (OPC UA among them), a free loopback port and
 * two tokens: an operator and a viewer, both with scope all.
 */
final class OpcUaGateway implements AutoCloseable {

  static final String OPERATOR = "operator-token-0123456789abcdef";
  static final String VIEWER = "viewer-token-0123456789abcdef";

  private final GatewayApp app;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OpcUaGateway(GatewayApp app) {
    this.app = app;
  }

  /** The gateway and http sections; a configuration's connections and machines follow it. */
  static String header(Path dataDir) {
    return """
        gateway:
          dataDir: "%s"
        http:
          host: 127.0.0.1
          port: 0
          auth:
            mode: tokens
            tokens:
              - {name: operator, token: %s, role: operator, scope: all}
              - {name: viewer, token: %s, role: viewer, scope: all}
          rateLimit: {perSecond: 10000, burst: 10000}
        """
        .formatted(dataDir.toString().replace("\\", "/"), OPERATOR, VIEWER);
  }

  static GatewayConfig parse(String yaml, Path dir) {
    return new ConfigLoader(ConnectorRegistry.load(), name -> null).parse(yaml, dir);
  }

  static OpcUaGateway start(String yaml, Path dir) throws Exception {
    GatewayApp app = new GatewayApp(parse(yaml, dir), ConnectorRegistry.load());
    app.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new OpcUaGateway(app);
  }

  GatewayApp app() {
    return app;
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .header("authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String token) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.httpPort() + path);
  }

  @Override
  public void close() throws Exception {
    app.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
