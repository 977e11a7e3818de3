package io.atelier.connector.mqtt;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.config.ConfigProblems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds a real connector from YAML against a real broker, with a collecting sink. */
final class ConnectorHarness implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();

  MqttConnector connector(String yaml, CollectingSink sink, Path dataDir) {
    ConnectionSpec spec = GatewayYaml.connection(yaml);
    ConfigProblems problems = new ConfigProblems();
    MqttConnectorFactory factory = new MqttConnectorFactory();
    factory.validate(spec, problems);
    problems.throwIfAny();
    return (MqttConnector) factory.create(new ConnectorContext(vertx, spec, sink, dataDir));
  }

  /** Waits for a future from the test thread (never an event loop), bounded. */
  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Vert.x did not close", e);
    }
  }
}
