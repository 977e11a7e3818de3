package io.atelier.connector.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.atelier.connector.api.ConnectorStatus.State;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfig;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfigBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's lifecycle: discover the server's endpoints, build a Milo client for the chosen
 * one, connect, and keep watching. Once a client exists Milo reconnects and re-creates sessions by
 * itself (backoff 1 to 16 s), also when its very first connect failed. What Milo cannot do alone is
 * the first step: {@code OpcUaClient.create(url, ...)} blocks on a GetEndpoints call and throws
 * when the server is absent. So this class discovers asynchronously with its own capped backoff,
 * and it starts over from discovery when the client keeps failing or the server's certificate stops
 * matching the endpoint (a new server instance), so a changed server is picked up without a gateway
 * restart.
 *
 * <p>All state is confined to one Vert.x context; Milo's futures are bridged onto it and never
 * waited for.
 */
final class ClientSession {

  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

  private static final Duration DISCOVERY_INITIAL = Duration.ofSeconds(1);
  private static final Duration DISCOVERY_MAX = Duration.ofSeconds(10);
  private static final Duration REFUSAL_MEMORY = Duration.ofSeconds(30);

  /**
   * Failed session attempts on one client, with the server answering, before starting over from
   * discovery (its endpoints or certificate may have changed).
   */
  private static final int FAILURES_BEFORE_REDISCOVERY = 3;

  /** Told when a session comes and goes. Called on the session's context. */
  interface Listener {
    void active(OpcUaClient client);

    void inactive();
  }

  private final String connectorId;
  private final OpcUaSettings settings;
  private final ClientSecurity security;
  private final StatusBoard board;
  private final Vertx vertx;
  private final Context context;
  private final WorkerExecutor worker;
  private final Listener listener;

  // Context-confined state.
  private boolean running;
  private OpcUaClient client;
  private long generation;
  private long timer = -1;
  private int failures;
  private final Backoff discoveryBackoff = new Backoff(DISCOVERY_INITIAL, DISCOVERY_MAX);
  private volatile String lastRefusal;
  private volatile Instant lastRefusalTime = Instant.EPOCH;

  ClientSession(
      String connectorId,
      OpcUaSettings settings,
      ClientSecurity security,
      StatusBoard board,
      Vertx vertx,
      Context context,
      WorkerExecutor worker,
      Listener listener) {
    this.connectorId = connectorId;
    this.settings = settings;
    this.security = security;
    this.board = board;
    this.vertx = vertx;
    this.context = context;
    this.worker = worker;
    this.listener = listener;
  }

  /** Called by the certificate validator (any thread) with an operator-readable refusal. */
  void certificateRefused(String message) {
    lastRefusal = message;
    lastRefusalTime = Instant.now();
    board.set(State.ERROR, Optional.of(message));
  }

  void start() {
    context.runOnContext(
        v -> {
          running = true;
          connect();
        });
  }

  /** An operator trusted a certificate: try again now instead of after the backoff. */
  void certificateTrusted(X509Certificate certificate) {
    security.trustNow(certificate);
    context.runOnContext(
        v -> {
          if (running && board.status().state() == State.ERROR) {
            LOG.info("Connection {}: certificate trusted, reconnecting now", connectorId);
            lastRefusal = null;
            discoveryBackoff.reset();
            startOver(Duration.ZERO);
          }
        });
  }

  /** Closes the session and the client; completes within a few seconds even if the server hangs. */
  Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          running = false;
          generation++;
          cancelTimer();
          OpcUaClient c = client;
          client = null;
          if (c == null) {
            done.complete();
            return;
          }
          long guard = vertx.setTimer(5_000, t -> done.tryComplete());
          Future.fromCompletionStage(c.disconnectAsync(), context)
              .onComplete(
                  ar -> {
                    vertx.cancelTimer(guard);
                    done.tryComplete();
                  });
        });
    return done.future();
  }

  private void connect() {
    if (!running) {
      return;
    }
    long gen = generation;
    String url = settings.endpoint().toString();
    Future.fromCompletionStage(DiscoveryClient.getEndpoints(url, this::configureTransport), context)
        .onComplete(
            ar -> {
              if (!running || gen != generation) {
                return;
              }
              if (ar.failed()) {
                disconnected(
                    "server not reachable at " + url + ": " + SessionFailures.describe(ar.cause()));
                retryLater();
                return;
              }
              List<EndpointDescription> endpoints = ar.result();
              Optional<EndpointDescription> chosen = EndpointChooser.choose(endpoints, settings);
              if (chosen.isEmpty()) {
                board.set(
                    State.ERROR,
                    Optional.of(
                        "the server offers no endpoint with security policy "
                            + settings.securityPolicy().opcUaName()
                            + " and mode "
                            + settings.securityMode().opcUaName()
                            + "; it offers "
                            + EndpointChooser.describe(endpoints)));
                retryLater();
                return;
              }
              worker
                  .<OpcUaClient>executeBlocking(() -> buildClient(chosen.get()), false)
                  .onComplete(
                      built -> {
                        if (!running || gen != generation) {
                          if (built.succeeded()) {
                            built.result().disconnectAsync();
                          }
                          return;
                        }
                        if (built.failed()) {
                          board.set(
                              State.ERROR,
                              Optional.of(
                                  "cannot set up the client: "
                                      + SessionFailures.describe(built.cause())));
                          retryLater();
                          return;
                        }
                        open(built.result(), gen);
                      });
            });
  }

  private OpcUaClient buildClient(EndpointDescription endpoint) throws Exception {
    return newClient(settings, security, endpoint, "atelier:" + connectorId);
  }

  /** A Milo client for {@code endpoint} with the connection's certificate, trust and identity. */
  static OpcUaClient newClient(
      OpcUaSettings settings,
      ClientSecurity security,
      EndpointDescription endpoint,
      String sessionName)
      throws Exception {
    ClientCertificate own = security.own();
    OpcUaClientConfig config =
        OpcUaClientConfig.builder()
            .setApplicationName(LocalizedText.english("Atelier gateway"))
            .setApplicationUri(security.applicationUri())
            .setProductUri("urn:atelier:gateway")
            .setEndpoint(endpoint)
            .setKeyPair(own.keyPair())
            .setCertificate(own.certificate())
            .setCertificateChain(new X509Certificate[] {own.certificate()})
            .setCertificateValidator(security.validator())
            .setIdentityProvider(security.identityFor(settings.identity(), endpoint))
            .setRequestTimeout(uint(settings.requestTimeout().toMillis()))
            .setSessionName(() -> sessionName)
            // One publish request in flight. With Milo's default (subscriptions + 1 = 2) two
            // responses hop to a thread pool before Milo queues them for processing, so they can
            // be processed out of order: the client takes that for a gap, republishes a message it
            // already has and delivers it twice (12-32 Republish requests and ~5 % duplicate
            // samples per 20,000-item benchmark run; none with one). The cost is one round trip
            // per response; the server still sends up to 10,000 notifications in each.
            .setMaxPendingPublishRequests(uint(1))
            .build();
    var transportConfig = OpcTcpClientTransportConfig.newBuilder();
    configureTransport(settings, transportConfig);
    return new OpcUaClient(config, new OpcTcpClientTransport(transportConfig.build()));
  }

  private void configureTransport(OpcTcpClientTransportConfigBuilder b) {
    configureTransport(settings, b);
  }

  static void configureTransport(OpcUaSettings settings, OpcTcpClientTransportConfigBuilder b) {
    long connectTimeout = Math.min(5_000, settings.requestTimeout().toMillis());
    b.setConnectTimeout(uint(connectTimeout));
  }

  private void open(OpcUaClient c, long gen) {
    client = c;
    failures = 0;
    c.addSessionActivityListener(
        new SessionActivityListener() {
          @Override
          public void onSessionActive(UaSession session) {
            context.runOnContext(v -> sessionActive(c));
          }

          @Override
          public void onSessionInactive(UaSession session) {
            context.runOnContext(v -> sessionInactive(c));
          }
        });
    LOG.info(
        "Connection {}: connecting to {} ({}/{}, {})",
        connectorId,
        c.getConfig().getEndpoint().getEndpointUrl(),
        settings.securityPolicy().opcUaName(),
        settings.securityMode().opcUaName(),
        settings.identity());
    Future.fromCompletionStage(c.connectAsync(), context)
        .onComplete(
            ar -> {
              if (ar.failed() && c == client && gen == generation) {
                sessionFailed(c, ar.cause());
              }
              watch(c, gen);
            });
  }

  /**
   * Follows Milo's own reconnect attempts: each getSessionAsync() completes with the next attempt's
   * outcome, which is how the status learns why the server stays out of reach.
   */
  private void watch(OpcUaClient c, long gen) {
    if (!running || c != client || gen != generation) {
      return;
    }
    Future.fromCompletionStage(c.getSessionAsync(), context)
        .onComplete(
            ar -> {
              if (!running || c != client || gen != generation || ar.succeeded()) {
                return; // an active session is followed by the activity listener
              }
              sessionFailed(c, ar.cause());
              if (c == client && gen == generation) {
                timer = vertx.setTimer(500, t -> watch(c, gen));
              }
            });
  }

  private void sessionActive(OpcUaClient c) {
    if (!running || c != client) {
      return;
    }
    failures = 0;
    discoveryBackoff.reset();
    lastRefusal = null;
    board.set(State.CONNECTED, Optional.empty());
    listener.active(c);
  }

  private void sessionInactive(OpcUaClient c) {
    if (!running || c != client) {
      return;
    }
    disconnected("session lost");
    listener.inactive();
    watch(c, generation);
  }

  private void sessionFailed(OpcUaClient c, Throwable cause) {
    Optional<Long> code = UaException.extract(cause).map(e -> e.getStatusCode().value());
    if (!SessionFailures.unreachable(code)) {
      failures++;
    }
    String message = SessionFailures.describe(cause);
    String refusal = lastRefusal;
    boolean recentRefusal =
        refusal != null && lastRefusalTime.plus(REFUSAL_MEMORY).isAfter(Instant.now());
    if (recentRefusal) {
      board.set(State.ERROR, Optional.of(refusal));
    } else if (cause instanceof IllegalStateException || SessionFailures.needsOperator(code)) {
      board.set(State.ERROR, Optional.of(explain(code, message)));
    } else {
      disconnected(message);
    }
    if (failures >= FAILURES_BEFORE_REDISCOVERY) {
      LOG.info(
          "Connection {}: {} attempts refused by the server; discovering its endpoints again",
          connectorId,
          failures);
      startOver(discoveryBackoff.next());
    }
  }

  /** Drops the client and begins again with discovery after {@code delay}. */
  private void startOver(Duration delay) {
    OpcUaClient old = client;
    client = null;
    generation++;
    cancelTimer();
    if (old != null) {
      listener.inactive();
      old.disconnectAsync();
    }
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), t -> connect());
  }

  private void retryLater() {
    cancelTimer();
    timer = vertx.setTimer(Math.max(1, discoveryBackoff.next().toMillis()), t -> connect());
  }

  private void disconnected(String message) {
    State now = board.status().state();
    // An operator-fixable error stays visible until a connection proves it fixed.
    if (now != State.ERROR || lastRefusal == null) {
      board.set(State.DISCONNECTED, Optional.of(message));
    }
  }

  private String explain(Optional<Long> code, String message) {
    if (code.isPresent() && (code.get() & 0xFFFF0000L) == StatusCodes.Bad_SecurityChecksFailed) {
      return message
          + " (the server may not trust the gateway's certificate yet: SHA-1 "
          + CertificateStore.fingerprint(security.own().certificate())
          + ", application URI "
          + security.applicationUri()
          + ")";
    }
    return message;
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
