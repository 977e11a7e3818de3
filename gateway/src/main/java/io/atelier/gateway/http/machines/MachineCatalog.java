package io.atelier.gateway.http.machines;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.http.ApiError;
import io.atelier.gateway.http.machines.MachineEditor.Edit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machines the gateway serves now: the configuration file plus the changes made through the
 * API. An edit is validated, written to the overlay, and only then made current and announced to
 * listeners (live hub, metrics, later the KPI engine). Edits run one after another, so two
 * concurrent requests can never both pass validation against the same old state.
 */
public final class MachineCatalog {

  private static final Logger LOG = LoggerFactory.getLogger(MachineCatalog.class);

  private final MachineEditor editor;
  private final List<Consumer<GatewayConfig>> listeners = new CopyOnWriteArrayList<>();
  private volatile GatewayConfig current;
  private MachineOverlay overlay;
  private Future<?> tail = Future.succeededFuture();

  private MachineCatalog(MachineEditor editor, MachineOverlay overlay, GatewayConfig current) {
    this.editor = editor;
    this.overlay = overlay;
    this.current = current;
  }

  /**
   * The configuration with the data directory's overlay applied. An overlay entry that no longer
   * fits the file (its connection was removed, say) is logged with every problem and skipped, but
   * kept in the overlay so that fixing the file brings it back. Blocking: for start-up.
   */
  public static MachineCatalog open(GatewayConfig base, ConnectorRegistry registry) {
    MachineEditor editor = new MachineEditor(registry);
    MachineOverlay overlay;
    try {
      overlay = MachineOverlay.load(base.gateway().dataDir());
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(
              "cannot read the machine overlay in " + base.gateway().dataDir() + ": " + e, e));
    }
    GatewayConfig config = base;
    for (Map.Entry<String, Optional<Map<String, Object>>> e : overlay.entries().entrySet()) {
      if (e.getValue().isEmpty() && config.machine(e.getKey()).isEmpty()) {
        continue;
      }
      try {
        config = editor.apply(config, e.getKey(), e.getValue()).config();
      } catch (InvalidConfigException ex) {
        LOG.error(
            "Machine {} from {} no longer fits the configuration and is left out: {}",
            e.getKey(),
            overlay.file(),
            ex.problems());
      }
    }
    if (!overlay.entries().isEmpty()) {
      LOG.info(
          "Applied {} machine change(s) made through the API ({})",
          overlay.entries().size(),
          overlay.file());
    }
    return new MachineCatalog(editor, overlay, config);
  }

  public GatewayConfig current() {
    return current;
  }

  public List<MachineConfig> machines() {
    return current.machines();
  }

  public Optional<MachineConfig> machine(String id) {
    return current.machine(id);
  }

  /** Called with the new configuration after every change, on the thread that made it. */
  public void onChange(Consumer<GatewayConfig> listener) {
    listeners.add(listener);
  }

  /** Adds a machine; 409 if the id exists. */
  public Future<Edit> create(Vertx vertx, String id, Map<String, Object> entry) {
    return serially(
        () -> {
          if (current.machine(id).isPresent()) {
            return Future.failedFuture(
                new ApiError(ApiError.Kind.CONFLICT, "a machine with id " + id + " exists"));
          }
          return commit(vertx, id, Optional.of(entry));
        });
  }

  /** Replaces a machine; 404 if there is none with this id. */
  public Future<Edit> replace(Vertx vertx, String id, Map<String, Object> entry) {
    return serially(() -> requireExisting(id).compose(v -> commit(vertx, id, Optional.of(entry))));
  }

  /** Removes a machine; 404 if there is none with this id. */
  public Future<Edit> delete(Vertx vertx, String id) {
    return serially(() -> requireExisting(id).compose(v -> commit(vertx, id, Optional.empty())));
  }

  private Future<Void> requireExisting(String id) {
    return current.machine(id).isPresent()
        ? Future.succeededFuture()
        : Future.failedFuture(ApiError.notFound("no machine with id " + id));
  }

  private Future<Edit> commit(Vertx vertx, String id, Optional<Map<String, Object>> entry) {
    Edit edit;
    try {
      edit = editor.apply(current, id, entry);
    } catch (InvalidConfigException e) {
      List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
      return Future.failedFuture(
          new ApiError(
              ApiError.Kind.BAD_REQUEST,
              problems.size() + " problem(s) in the machine; nothing was changed",
              problems));
    }
    MachineOverlay next = overlay.with(id, entry);
    return vertx
        .executeBlocking(
            () -> {
              next.save();
              return edit;
            })
        .map(
            saved -> {
              overlay = next;
              current = saved.config();
              for (Consumer<GatewayConfig> l : listeners) {
                try {
                  l.accept(saved.config());
                } catch (RuntimeException e) {
                  LOG.error("A machine-change listener failed", e);
                }
              }
              return saved;
            });
  }

  private synchronized <T> Future<T> serially(Supplier<Future<T>> task) {
    Promise<T> result = Promise.promise();
    tail =
        tail.transform(
            ignored -> {
              Future<T> f;
              try {
                f = task.get();
              } catch (RuntimeException e) {
                f = Future.failedFuture(e);
              }
              f.onComplete(result);
              return f.transform(ar -> Future.succeededFuture());
            });
    return result.future();
  }
}
