package io.atelier.gateway.testing;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.Connector;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorFactory;
import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.SampleSink;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connector type for the gateway's own tests ({@code type: test}): it talks to no peer, reports
 * DISCONNECTED as a connector with an absent server would, and lets a test push samples through the
 * gateway's real sink. It checks a required {@code url} setting and a per-signal {@code address},
 * so config tests can exercise connector validation without depending on a protocol.
 */
public final class TestConnectorFactory implements ConnectorFactory {

  /** The sinks of the running test connectors, by connection id. */
  public static final Map<String, SampleSink> SINKS = new ConcurrentHashMap<>();

  @Override
  public String type() {
    return "test";
  }

  @Override
  public void validate(ConnectionSpec spec, ConfigProblems problems) {
    ConfigNode settings = spec.settingsNode(problems);
    settings.uri("url", true, "tcp", "http");
    settings.rejectUnknownKeys();
    for (ConnectionSpec.MachineSpec m : spec.machines()) {
      for (ConnectionSpec.SignalSpec s : m.signals()) {
        ConfigNode options = s.optionsNode(problems);
        options.string("address");
        options.rejectUnknownKeys();
      }
    }
  }

  @Override
  public Connector create(ConnectorContext context) {
    return new Connector() {
      private volatile ConnectorStatus status = ConnectorStatus.stopped();

      @Override
      public String id() {
        return context.spec().id();
      }

      @Override
      public Future<Void> start() {
        SINKS.put(id(), context.sink());
        status = status.to(State.DISCONNECTED, Optional.of("test connector has no peer"));
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stop() {
        SINKS.remove(id());
        status = status.to(State.STOPPED, Optional.empty());
        return Future.succeededFuture();
      }

      @Override
      public ConnectorStatus status() {
        return status;
      }

      @Override
      public Map<String, Long> counters() {
        return Map.of("messages-received", 7L, "rejected.malformed-json", 2L);
      }
    };
  }
}
