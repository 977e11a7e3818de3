package io.atelier.connector.opcua;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

/**
 * A blocking session for one-off tasks such as discovery, with exactly the security of a running
 * connection: the same client certificate and PKI directory, endpoint choice, full server
 * certificate validation (refused certificates land in {@code rejected/}) and identity rules. Not
 * for event loops: every method blocks for up to the request timeout.
 */
public final class OneShotClient implements AutoCloseable {

  private final OpcUaClient client;
  private final ClientSecurity security;

  private OneShotClient(OpcUaClient client, ClientSecurity security) {
    this.client = client;
    this.security = security;
  }

  /**
   * Connects and activates a session.
   *
   * @throws IOException with an operator-readable reason (server absent, no matching endpoint,
   *     certificate refused, credentials refused)
   */
  public static OneShotClient connect(OpcUaSettings settings, Path pkiDir, String sessionName)
      throws IOException {
    AtomicReference<String> refusal = new AtomicReference<>();
    ClientSecurity security;
    try {
      security = ClientSecurity.prepare(settings, pkiDir, refusal::set);
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IOException(
          "cannot prepare the PKI directory " + pkiDir + ": " + e.getMessage(), e);
    }
    long timeoutMs = settings.requestTimeout().toMillis() + 5_000;
    String url = settings.endpoint().toString();
    OpcUaClient client = null;
    boolean connected = false;
    try {
      List<EndpointDescription> endpoints;
      try {
        endpoints =
            DiscoveryClient.getEndpoints(url, b -> ClientSession.configureTransport(settings, b))
                .get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(
            "server not reachable at " + url + ": " + SessionFailures.describe(cause(e)), e);
      }
      Optional<EndpointDescription> chosen = EndpointChooser.choose(endpoints, settings);
      if (chosen.isEmpty()) {
        throw new IOException(
            "the server offers no endpoint with security policy "
                + settings.securityPolicy().opcUaName()
                + " and mode "
                + settings.securityMode().opcUaName()
                + "; it offers "
                + EndpointChooser.describe(endpoints));
      }
      try {
        client = ClientSession.newClient(settings, security, chosen.get(), sessionName);
        client.connectAsync().get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        String why = refusal.get();
        throw new IOException(
            why != null ? why : "cannot open a session: " + SessionFailures.describe(cause(e)), e);
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("cannot set up the client: " + SessionFailures.describe(e), e);
      }
      OneShotClient done = new OneShotClient(client, security);
      client = null;
      connected = true;
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      if (client != null) {
        client.disconnectAsync();
      }
      if (!connected) {
        security.close();
      }
    }
  }

  public OpcUaClient client() {
    return client;
  }

  private static Throwable cause(Exception e) {
    return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
  }

  @Override
  public void close() {
    try {
      client.disconnectAsync().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The server went away: nothing left to close on its side.
    } finally {
      security.close();
    }
  }
}
