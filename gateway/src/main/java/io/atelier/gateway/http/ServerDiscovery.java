package io.atelier.gateway.http;

import io.atelier.connector.opcua.discovery.OpcUaDiscovery;
import java.io.IOException;

/**
 * Browses a server for {@code GET /api/discover}. Blocking: the route calls it on a worker. {@link
 * #OPCUA} is the real one; tests that check the API's shape plug in their own.
 */
public interface ServerDiscovery {

  OpcUaDiscovery.Result discover(OpcUaDiscovery.Request request) throws IOException;

  ServerDiscovery OPCUA = OpcUaDiscovery::discover;
}
