package io.atelier.gateway.connection;

import io.atelier.connector.opcua.CertInfo;
import io.atelier.connector.opcua.CertificateStore;
import io.atelier.connector.opcua.OpcUaConnector;
import io.atelier.gateway.http.CertificateTrust;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Certificate trust for the API over the OPC UA connections' PKI directories: an operator trusts a
 * server without touching files, and the connector retries at once. File work runs on a worker.
 */
public final class OpcUaCertificateTrust implements CertificateTrust {

  private final Vertx vertx;
  private final Connections connections;

  public OpcUaCertificateTrust(Vertx vertx, Connections connections) {
    this.vertx = vertx;
    this.connections = connections;
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Future<List<Certificate>> list(String connectionId) {
    Optional<CertificateStore> store = store(connectionId);
    if (store.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(
        () -> {
          List<Certificate> out = new ArrayList<>();
          store.get().trusted().forEach(c -> out.add(certificate(c, "trusted")));
          store.get().rejected().forEach(c -> out.add(certificate(c, "rejected")));
          return out;
        });
  }

  @Override
  public Future<Optional<Certificate>> trust(String connectionId, String thumbprint) {
    Optional<CertificateStore> store = store(connectionId);
    if (store.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return vertx.executeBlocking(
        () -> store.get().trust(thumbprint).map(c -> certificate(c, "trusted")));
  }

  private Optional<CertificateStore> store(String connectionId) {
    return connections
        .connector(connectionId)
        .filter(OpcUaConnector.class::isInstance)
        .map(c -> ((OpcUaConnector) c).certificates());
  }

  private static Certificate certificate(CertInfo c, String status) {
    return new Certificate(c.fingerprint(), c.subject(), c.notAfter(), status);
  }
}
