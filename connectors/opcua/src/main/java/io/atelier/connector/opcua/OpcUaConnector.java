package io.atelier.connector.opcua;

import io.atelier.connector.api.Connector;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.SignalStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA endpoint and every machine behind it. Wires the pieces together: {@link
 * ClientSecurity} (certificates, trust, identity), {@link ClientSession} (connect and reconnect),
 * {@link SubscriptionKeeper} (monitored items that survive server restarts), {@link Poller}
 * (periodic reads) and {@link StatusBoard} (what the API shows).
 *
 * <p>{@link #start()} prepares the PKI on a worker and returns without waiting for the server: an
 * absent server shows as DISCONNECTED and is retried. Start and stop are idempotent; after {@link
 * #stop()} completes, no sample reaches the sink. A stopped connector can be started again.
 */
public final class OpcUaConnector implements Connector {

  private static final Logger LOG = LoggerFactory.getLogger(OpcUaConnector.class);

  private final ConnectorContext context;
  private final OpcUaSettings settings;
  private final List<SignalConfig> signals;
  private final StatusBoard board;
  private final CertificateStore certificates;

  private Future<Void> starting;
  private Future<Void> stopping;
  private Run run;

  /** Everything one start creates and one stop tears down. */
  private record Run(
      AtomicBoolean running,
      WorkerExecutor worker,
      ClientSecurity security,
      ClientSession session,
      SubscriptionKeeper keeper,
      Consumer<X509Certificate> trustListener) {}

  public OpcUaConnector(
      ConnectorContext context, OpcUaSettings settings, List<SignalConfig> signals) {
    this.context = context;
    this.settings = settings;
    this.signals = List.copyOf(signals);
    this.board = new StatusBoard(context.spec().id());
    this.certificates = new CertificateStore(pkiDir());
  }

  @Override
  public String id() {
    return context.spec().id();
  }

  @Override
  public ConnectorStatus status() {
    return board.status();
  }

  /**
   * Values notified, samples handed on, refused batches, value errors, data-loss reports,
   * subscription re-checks and sessions activated, since this connector was created.
   */
  @Override
  public Map<String, Long> counters() {
    return board.stats().counts();
  }

  /** The recent status transitions, oldest first. */
  public List<ConnectorStatus> statusHistory() {
    return board.history();
  }

  @Override
  public Map<String, SignalStatus> signalStatus() {
    return board.signals();
  }

  /** When the last value of {@code machine/signal} arrived. */
  public Optional<Instant> lastValueTime(String key) {
    return board.lastValue(key);
  }

  /** The last publish response (data or keep-alive) from the server: its proof of life. */
  public Optional<Instant> lastPublishResponse() {
    Run r;
    synchronized (this) {
      r = run;
    }
    return r == null || r.keeper().lastPublish().equals(Instant.EPOCH)
        ? Optional.empty()
        : Optional.of(r.keeper().lastPublish());
  }

  /** How many monitored items the current subscription holds (0 when there is none). */
  public int monitoredItemCount() {
    Run r;
    synchronized (this) {
      r = run;
    }
    return r == null ? 0 : r.keeper().monitoredItemCount();
  }

  /** The trusted and rejected server certificates of this connection's PKI directory. */
  public CertificateStore certificates() {
    return certificates;
  }

  public Path pkiDir() {
    return settings.pkiDirIn(context.dataDir());
  }

  @Override
  public synchronized Future<Void> start() {
    if (starting != null) {
      return starting;
    }
    stopping = null;
    board.set(State.CONNECTING, Optional.empty());
    AtomicBoolean running = new AtomicBoolean(true);
    WorkerExecutor worker =
        context
            .vertx()
            .createSharedWorkerExecutor(
                "atelier-opcua-" + id() + "-" + System.identityHashCode(running),
                1,
                2,
                TimeUnit.MINUTES);
    Context ctx = context.vertx().getOrCreateContext();
    SessionHolder holder = new SessionHolder();
    starting =
        worker
            .executeBlocking(
                () -> ClientSecurity.prepare(settings, pkiDir(), holder::certificateRefused), false)
            .map(security -> wire(running, worker, ctx, security, holder))
            .recover(
                e -> {
                  String message = "cannot prepare certificates in " + pkiDir() + ": " + e;
                  board.set(State.ERROR, Optional.of(message));
                  worker.close();
                  synchronized (this) {
                    starting = null;
                  }
                  return Future.failedFuture(message);
                });
    return starting;
  }

  private Void wire(
      AtomicBoolean running,
      WorkerExecutor worker,
      Context ctx,
      ClientSecurity security,
      SessionHolder holder) {
    StructureDecoder structures = new StructureDecoder(worker);
    SampleBuilder samples = new SampleBuilder(new ValueMapper(structures));
    Poller poller =
        new Poller(
            id(),
            board,
            samples,
            context.sink(),
            context.vertx(),
            running,
            settings.maxItemsPerCall());
    SubscriptionKeeper keeper =
        new SubscriptionKeeper(
            id(),
            settings,
            signals,
            context.sink(),
            board,
            samples,
            poller,
            context.vertx(),
            worker,
            running);
    ClientSession session =
        new ClientSession(
            id(),
            settings,
            security,
            board,
            context.vertx(),
            ctx,
            worker,
            new ClientSession.Listener() {
              @Override
              public void active(OpcUaClient client) {
                board.stats().sessionsActivated.increment();
                structures.sessionActive(client);
                keeper.sessionActive(client);
              }

              @Override
              public void inactive() {
                keeper.sessionInactive();
              }
            });
    holder.session = session;
    Consumer<X509Certificate> trustListener = session::certificateTrusted;
    certificates.onTrusted(trustListener);
    synchronized (this) {
      run = new Run(running, worker, security, session, keeper, trustListener);
    }
    session.start();
    LOG.info(
        "Connection {} started: {} signal(s) on {}, PKI in {}",
        id(),
        signals.size(),
        settings.endpoint(),
        pkiDir());
    return null;
  }

  @Override
  public synchronized Future<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    if (starting == null) {
      board.set(State.STOPPED, Optional.empty());
      return Future.succeededFuture();
    }
    Future<Void> started = starting;
    stopping =
        started
            .transform(ar -> tearDown())
            .onComplete(
                ar -> {
                  board.set(State.STOPPED, Optional.empty());
                  synchronized (this) {
                    starting = null;
                    run = null;
                  }
                });
    return stopping;
  }

  private Future<Void> tearDown() {
    Run r;
    synchronized (this) {
      r = run;
    }
    if (r == null) {
      return Future.succeededFuture();
    }
    // Close the gate first: whatever Milo still delivers from here on is dropped.
    r.running().set(false);
    certificates.removeTrustListener(r.trustListener());
    return r.keeper()
        .stop()
        .transform(ar -> r.session().stop())
        .transform(
            ar ->
                r.worker()
                    .executeBlocking(
                        () -> {
                          r.security().close();
                          return null;
                        },
                        false))
        .transform(
            ar -> {
              r.worker().close();
              board.clearSignals();
              LOG.info("Connection {} stopped", id());
              return Future.<Void>succeededFuture();
            });
  }

  /**
   * The validator exists before the session (it is part of the security set-up), but reports to it:
   * this indirection closes the loop.
   */
  private final class SessionHolder {
    private volatile ClientSession session;

    void certificateRefused(String message) {
      ClientSession s = session;
      if (s != null) {
        s.certificateRefused(message);
      } else {
        board.set(State.ERROR, Optional.of(message));
      }
    }
  }
}
