package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorFactory;
import io.atelier.connector.api.config.InvalidConfigException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpcUaConnectorFactoryTest {

  @Test
  void isFoundByTheServiceLoaderAsTypeOpcua() {
    assertThat(ServiceLoader.load(ConnectorFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(
            f -> {
              assertThat(f).isInstanceOf(OpcUaConnectorFactory.class);
              assertThat(f.type()).isEqualTo("opcua");
            });
  }

  @Test
  void refusesToCreateAConnectorFromAnInvalidSpec(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      var spec =
          Specs.spec(Map.of("endpoint", "http://x"), List.of(Map.of("name", "a", "node", "i=1")));
      assertThatThrownBy(
              () ->
                  new OpcUaConnectorFactory()
                      .create(new ConnectorContext(vertx, spec, (s, c) -> c.succeeded(), dir)))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("connections[0].settings.endpoint");
    } finally {
      vertx.close();
    }
  }

  @Test
  void createsAStoppedConnectorWithTheConnectionId(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      var spec =
          Specs.spec(
              Specs.noneSettings("opc.tcp://127.0.0.1:4840"),
              List.of(Map.of("name", "a", "node", "i=1")));
      var connector =
          new OpcUaConnectorFactory()
              .create(new ConnectorContext(vertx, spec, (s, c) -> c.succeeded(), dir));
      assertThat(connector.id()).isEqualTo("test");
      assertThat(connector.status().state().name()).isEqualTo("STOPPED");
      assertThat(((OpcUaConnector) connector).pkiDir()).isEqualTo(dir.resolve("pki"));
    } finally {
      vertx.close();
    }
  }
}
