package io.atelier.connector.opcua;

import io.vertx.core.WorkerExecutor;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.encoding.EncodingContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes server-specific structures through the server's own data-type definitions. The stack
 * already decodes the standard structures; a server's own types arrive as ExtensionObjects and need
 * Milo's dynamic data-type manager, which reads the server's type tree. That read is slow and
 * blocking, so it never happens on the notification thread: the first undecodable structure asks
 * the worker to load it, and values met before it is ready are reported as not decodable (BAD, with
 * the reason) rather than waited for.
 */
final class StructureDecoder implements Function<ExtensionObject, Optional<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(StructureDecoder.class);

  private final WorkerExecutor worker;
  private final AtomicBoolean loading = new AtomicBoolean();
  private volatile OpcUaClient client;
  private volatile EncodingContext context;

  StructureDecoder(WorkerExecutor worker) {
    this.worker = worker;
  }

  /** A new session may mean a new server with other types: forget the old ones. */
  void sessionActive(OpcUaClient c) {
    client = c;
    context = null;
  }

  @Override
  public Optional<Object> apply(ExtensionObject xo) {
    EncodingContext ctx = context;
    if (ctx == null) {
      load();
      return Optional.empty();
    }
    try {
      return Optional.of(xo.decode(ctx));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private void load() {
    OpcUaClient c = client;
    if (c == null || !loading.compareAndSet(false, true)) {
      return;
    }
    worker
        .executeBlocking(c::getDynamicEncodingContext, false)
        .onComplete(
            ar -> {
              loading.set(false);
              if (ar.succeeded() && c == client) {
                context = ar.result();
                LOG.info("Loaded the server's data types for decoding structures");
              } else if (ar.failed()) {
                LOG.warn("Cannot load the server's data types: {}", ar.cause().toString());
              }
            });
  }
}
