package io.atelier.simulator;

import io.atelier.simulator.machine.SignalBoard;

/**
 * Creates a protocol endpoint for the simulator. Found with {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/io.atelier.simulator.ProtocolEndpointProvider}), so the application
 * wiring does not depend on any protocol stack.
 */
public interface ProtocolEndpointProvider {

  /** The endpoint's name: {@code opcua} or {@code mqtt}; see {@link ProtocolEndpoint#name()}. */
  String name();

  /** Creates (does not start) the endpoint serving {@code board}. */
  ProtocolEndpoint create(SignalBoard board, EndpointOptions options);
}
