package io.atelier.simulator.opcua;

import io.atelier.simulator.EndpointOptions;
import io.atelier.simulator.ProtocolEndpoint;
import io.atelier.simulator.ProtocolEndpointProvider;
import io.atelier.simulator.machine.SignalBoard;
import java.util.concurrent.CompletableFuture;

/** Serves the simulator's OPC UA machines through {@link SimulatorOpcUaServer}. */
public final class OpcUaEndpointProvider implements ProtocolEndpointProvider {

  @Override
  public String name() {
    return "opcua";
  }

  @Override
  public ProtocolEndpoint create(SignalBoard board, EndpointOptions options) {
    OpcUaServerSettings settings =
        OpcUaServerSettings.defaults(options.pkiDir(), options.opcuaPort())
            .withBindAddress(options.bindAddress());
    SimulatorOpcUaServer server = new SimulatorOpcUaServer(board, settings);
    return new ProtocolEndpoint() {
      @Override
      public String name() {
        return "opcua";
      }

      @Override
      public CompletableFuture<Void> start() {
        return server.start();
      }

      @Override
      public CompletableFuture<Void> stop() {
        return server.stop();
      }

      @Override
      public boolean isRunning() {
        return server.isRunning();
      }

      @Override
      public java.util.Map<String, Long> counters() {
        return server.isRunning()
            ? java.util.Map.of(
                "monitoredItems", server.monitoredItemCount(), "sessions", server.sessionCount())
            : java.util.Map.of();
      }
    };
  }
}
