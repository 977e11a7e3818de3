package io.atelier.simulator.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.diagnostics.SubscriptionDiagnostics;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.subscriptions.Subscription;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's OPC UA server: serves every {@code opcua} machine of a {@link SignalBoard} on
 * {@code opc.tcp://<host>:<port>/atelier} with the None endpoint (for training) and Basic256Sha256,
 * Aes128_Sha256_RsaOaep and Aes256_Sha256_RsaPss with SignAndEncrypt.
 *
 * <p>{@link #stop()} and {@link #start()} may alternate (the trainer's "restart server" drill):
 * each start builds a fresh Milo server on the same port, PKI directory and node ids, so clients
 * see a real server restart.
 */
public final class SimulatorOpcUaServer {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorOpcUaServer.class);

  /** The secure endpoints, all SignAndEncrypt. */
  static final List<SecurityPolicy> SECURE_POLICIES =
      List.of(
          SecurityPolicy.Basic256Sha256,
          SecurityPolicy.Aes128_Sha256_RsaOaep,
          SecurityPolicy.Aes256_Sha256_RsaPss);

  private final SignalBoard board;
  private final OpcUaServerSettings settings;
  private final List<String> advertisedHosts;

  /** Guards the fields below; start and stop are short except for the first key generation. */
  private final Object lock = new Object();

  private Running running;
  private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

  private record Running(OpcUaServer server, MachinesNamespace namespace, ServerPki pki) {}

  public SimulatorOpcUaServer(SignalBoard board, OpcUaServerSettings settings) {
    this.board = board;
    this.settings = settings;
    this.advertisedHosts = advertisedHosts(settings);
  }

  /**
   * Binds the endpoints. Idempotent: completes at once when already running. The first start in a
   * new PKI directory generates the server key (a second or so); run it off any event loop.
   */
  public CompletableFuture<Void> start() {
    synchronized (lock) {
      pending = pending.exceptionally(e -> null).thenCompose(v -> doStart());
      return pending;
    }
  }

  /** Unbinds the endpoints and drops every session and subscription. Idempotent. */
  public CompletableFuture<Void> stop() {
    synchronized (lock) {
      pending = pending.exceptionally(e -> null).thenCompose(v -> doStop());
      return pending;
    }
  }

  public boolean isRunning() {
    synchronized (lock) {
      return running != null;
    }
  }

  /** The URL clients use, e.g. {@code opc.tcp://127.0.0.1:4840/atelier}. */
  public String endpointUrl() {
    return "opc.tcp://" + advertisedHosts.get(0) + ":" + settings.port() + settings.path();
  }

  /** The namespace URI of the machines, {@code urn:atelier:simulator}. */
  public static String namespaceUri() {
    return MachinesNamespace.NAMESPACE_URI;
  }

  /** The string identifier of a signal's node, e.g. {@code cnc-01/Monitoring/Spindle/Speed}. */
  public static String nodeIdentifier(String machineId, SignalDef signal) {
    return MachinesNamespace.nodeIdOf(machineId, signal);
  }

  /** Monitored items that currently exist on the server, over all sessions; 0 when stopped. */
  public long monitoredItemCount() {
    synchronized (lock) {
      return running == null ? 0 : running.server().getMonitoredItemCount().get();
    }
  }

  /** Sessions currently open; 0 when stopped. */
  public long sessionCount() {
    synchronized (lock) {
      return running == null
          ? 0
          : running.server().getSessionManager().getCurrentSessionCount().longValue();
    }
  }

  /** The server's application certificate, once started. */
  public X509Certificate certificate() {
    synchronized (lock) {
      if (running == null) {
        throw new IllegalStateException("OPC UA server not started");
      }
      return running.pki().certificate();
    }
  }

  /** Board values that did not fit their signal's type since the last start. */
  public long rejectedValues() {
    synchronized (lock) {
      return running == null ? 0 : running.namespace().rejectedValues();
    }
  }

  public OpcUaServerSettings settings() {
    return settings;
  }

  private CompletableFuture<Void> doStart() {
    synchronized (lock) {
      if (running != null) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return CompletableFuture.supplyAsync(this::build)
        .thenCompose(
            r ->
                r.server()
                    .startup()
                    .handle(
                        (s, e) -> {
                          if (e != null) {
                            release(r);
                            throw new IllegalStateException(
                                "OPC UA server could not bind "
                                    + settings.bindAddress()
                                    + ":"
                                    + settings.port(),
                                e);
                          }
                          synchronized (lock) {
                            running = r;
                          }
                          LOG.info("OPC UA server listening on {}", endpointUrl());
                          return null;
                        }));
  }

  private CompletableFuture<Void> doStop() {
    Running r;
    synchronized (lock) {
      r = running;
      running = null;
    }
    if (r == null) {
      return CompletableFuture.completedFuture(null);
    }
    logSubscriptionDiagnostics(r.server());
    return r.server()
        .shutdown()
        .handle(
            (s, e) -> {
              release(r);
              if (e != null) {
                LOG.warn("OPC UA server shutdown: {}", e.toString());
              }
              LOG.info("OPC UA server stopped");
              return null;
            });
  }

  /**
   * What each subscription delivered and lost: a benchmark reads this to tell values dropped from a
   * full monitored-item queue (overflow) from values that never reached the server.
   */
  private static void logSubscriptionDiagnostics(OpcUaServer server) {
    for (Subscription sub : server.getSubscriptions().values()) {
      SubscriptionDiagnostics d = sub.getSubscriptionDiagnostics();
      LOG.info(
          "OPC UA subscription {}: {} data change notifications, {} monitored-item queue"
              + " overflows, {} late publish requests, {} publish requests, {} republish requests",
          sub.getId(),
          d.getDataChangeNotificationsCount().sum(),
          d.getMonitoringQueueOverflowCount().sum(),
          d.getLatePublishRequestCount().sum(),
          d.getPublishRequestCount().sum(),
          d.getRepublishRequestCount().sum());
    }
  }

  private static void release(Running r) {
    try {
      r.namespace().shutdown();
    } catch (RuntimeException e) {
      LOG.warn("OPC UA namespace shutdown: {}", e.toString());
    }
    try {
      r.pki().close();
    } catch (Exception e) {
      LOG.warn("OPC UA PKI close: {}", e.toString());
    }
  }

  private Running build() {
    ServerPki pki;
    try {
      pki = ServerPki.open(settings.pkiDir(), settings.trustAllClientCertificates());
    } catch (Exception e) {
      throw new IllegalStateException("OPC UA PKI in " + settings.pkiDir() + ": " + e, e);
    }
    try {
      OpcUaServerConfig config =
          OpcUaServerConfig.builder()
              .setApplicationUri(ServerPki.APPLICATION_URI)
              .setApplicationName(LocalizedText.english("Atelier machine simulator"))
              .setProductUri("urn:atelier:simulator")
              .setBuildInfo(
                  new BuildInfo(
                      "urn:atelier:simulator",
                      "Atelier",
                      "Atelier machine simulator",
                      OpcUaServer.SDK_VERSION,
                      "",
                      DateTime.now()))
              .setEndpoints(endpoints(pki.certificate()))
              .setCertificateManager(pki.certificateManager())
              .setIdentityValidator(identityValidator())
              .setLimits(new ServerLimits(settings.limits()))
              .build();
      OpcUaServer server =
          new OpcUaServer(
              config,
              profile ->
                  new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
      MachinesNamespace namespace =
          new MachinesNamespace(server, board, settings.limits().minSamplingIntervalMs());
      namespace.startup();
      return new Running(server, namespace, pki);
    } catch (RuntimeException e) {
      try {
        pki.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private IdentityValidator identityValidator() {
    List<IdentityValidator> validators = new ArrayList<>();
    if (settings.allowAnonymous()) {
      validators.add(AnonymousIdentityValidator.INSTANCE);
    }
    if (!settings.users().isEmpty()) {
      validators.add(
          new UsernameIdentityValidator(
              challenge -> {
                String expected = settings.users().get(challenge.getUsername());
                boolean ok = expected != null && expected.equals(challenge.getPassword());
                if (!ok) {
                  LOG.info("OPC UA login refused for user '{}'", challenge.getUsername());
                }
                return ok;
              }));
    }
    return new CompositeValidator(validators);
  }

  private Set<EndpointConfig> endpoints(X509Certificate certificate) {
    List<UserTokenPolicy> tokens = new ArrayList<>();
    if (settings.allowAnonymous()) {
      tokens.add(USER_TOKEN_POLICY_ANONYMOUS);
    }
    if (!settings.users().isEmpty()) {
      // Milo's username policy encrypts the password with Basic256Sha256 even on the None
      // endpoint, so passwords never travel in clear.
      tokens.add(USER_TOKEN_POLICY_USERNAME);
    }
    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    for (String host : advertisedHosts) {
      EndpointConfig.Builder base =
          EndpointConfig.newBuilder()
              .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
              .setBindAddress(settings.bindAddress())
              .setBindPort(settings.port())
              .setHostname(host)
              .setPath(settings.path())
              .setCertificate(certificate)
              .addTokenPolicies(tokens.toArray(UserTokenPolicy[]::new));
      endpoints.add(
          base.copy()
              .setSecurityPolicy(SecurityPolicy.None)
              .setSecurityMode(MessageSecurityMode.None)
              .build());
      for (SecurityPolicy policy : SECURE_POLICIES) {
        endpoints.add(
            base.copy()
                .setSecurityPolicy(policy)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt)
                .build());
      }
    }
    return endpoints;
  }

  /**
   * Host names put into endpoint URLs; Milo answers GetEndpoints with those matching the host the
   * client asked for. The first one is what {@link #endpointUrl()} reports.
   */
  private static List<String> advertisedHosts(OpcUaServerSettings settings) {
    if (settings.bindsWildcard()) {
      return List.copyOf(ServerPki.localHostNames());
    }
    String bind = settings.bindAddress();
    if (bind.equals("127.0.0.1")) {
      return List.of(bind, "localhost");
    }
    if (bind.equals("localhost")) {
      return List.of(bind, "127.0.0.1");
    }
    return List.of(bind);
  }
}
