package io.atelier.connector.opcua;

import static io.atelier.connector.opcua.Futures.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Connector;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.testsupport.FreePort;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector contract where no server is needed: starting against a closed port succeeds and
 * reports DISCONNECTED with the reason, start and stop are idempotent, and a stopped connector
 * starts again.
 */
@Timeout(60)
class ConnectorWithoutServerIT {

  @TempDir Path dataDir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A free loopback port nobody listens on. */
  private static int closedPort() {
    return FreePort.pick();
  }

  @Test
  void startsWithoutItsServerReportsDisconnectedAndStopsIdempotently() throws Exception {
    var spec =
        Specs.spec(
            Specs.noneSettings("opc.tcp://127.0.0.1:" + closedPort() + "/atelier"),
            List.of(Map.of("name", "speed", "node", "nsu=urn:atelier:simulator;s=x")));
    CollectingSink sink = new CollectingSink();
    Connector connector =
        new OpcUaConnectorFactory().create(new ConnectorContext(vertx, spec, sink, dataDir));

    assertThat(connector.start()).isSameAs(connector.start());
    done(connector.start());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(connector.status().state()).isEqualTo(State.DISCONNECTED);
              assertThat(connector.status().lastError())
                  .hasValueSatisfying(e -> assertThat(e).contains("not reachable"));
            });
    // The client certificate was generated into the default PKI directory.
    assertThat(dataDir.resolve("pki/own/client-cert.der")).exists();

    done(connector.stop());
    done(connector.stop());
    assertThat(connector.status().state()).isEqualTo(State.STOPPED);
    assertThat(sink.all()).isEmpty();

    done(connector.start());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> connector.status().state() == State.DISCONNECTED);
    done(connector.stop());
    assertThat(connector.status().state()).isEqualTo(State.STOPPED);
  }

  @Test
  void stopBeforeStartIsHarmless() throws Exception {
    var spec =
        Specs.spec(
            Specs.noneSettings("opc.tcp://127.0.0.1:" + closedPort()),
            List.of(Map.of("name", "speed", "node", "i=2258")));
    Connector connector =
        new OpcUaConnectorFactory()
            .create(new ConnectorContext(vertx, spec, new CollectingSink(), dataDir));
    done(connector.stop());
    assertThat(connector.status().state()).isEqualTo(State.STOPPED);
  }
}
