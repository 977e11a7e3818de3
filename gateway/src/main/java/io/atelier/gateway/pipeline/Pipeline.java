package io.atelier.gateway.pipeline;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import io.atelier.gateway.config.PipelineSettings;
import io.atelier.gateway.config.PipelineSettings.OverflowPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where samples enter Vert.x. Connectors call {@link #acceptAll} from any thread;
 * the samples wait in a bounded queue and are drained in batches on one Vert.x context, where every
 * {@link PipelineConsumer} receives them in order. The next batch starts only when every consumer
 * is done with the previous one, so a slow consumer slows the drain, fills the queue and triggers
 * the overflow policy: memory stays bounded and every refusal is counted.
 *
 * <p>Ordering: the samples of one call stay together and in order, and calls made by one thread are
 * drained in the order they were made. So a connector that hands each signal's samples from one
 * thread at a time keeps every signal in order.
 */
public final class Pipeline implements SampleSink {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private record Entry(List<Sample> samples, Completion completion, boolean derived) {}

  private final PipelineSettings settings;
  private final List<PipelineConsumer> consumers;
  private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder derivedAccepted = new LongAdder();
  private final AtomicLong lastOverflowLog = new AtomicLong();

  private volatile boolean accepting;
  private volatile Context context;
  private Promise<Void> stopped;
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private boolean inFlight;

  public Pipeline(PipelineSettings settings, List<PipelineConsumer> consumers) {
    this.settings = settings;
    this.consumers = List.copyOf(consumers);
  }

  /** Starts accepting; drains on a context of its own. */
  public Future<Void> start(Vertx vertx) {
    if (context == null) {
      context = vertx.getOrCreateContext();
      accepting = true;
    }
    return Future.succeededFuture();
  }

  /**
   * Stops accepting and completes once every queued sample has been handed to the consumers.
   * Idempotent.
   */
  public Future<Void> stop() {
    Context ctx = context;
    if (ctx == null) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    ctx.runOnContext(
        v -> {
          accepting = false;
          if (stopped == null) {
            stopped = Promise.promise();
          }
          stopped.future().onComplete(promise);
          completeStopIfIdle();
          if (!queue.isEmpty()) {
            schedule();
          }
        });
    return promise.future();
  }

  /**
   * Completes once the queue is empty and no batch is with the consumers, while still accepting:
   * for an orderly shutdown where a consumer must see everything before it stops.
   */
  public Future<Void> drained() {
    Context ctx = context;
    if (ctx == null) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    ctx.runOnContext(
        v -> {
          drainWaiters.add(promise);
          completeStopIfIdle();
          if (!queue.isEmpty()) {
            schedule();
          }
        });
    return promise.future();
  }

  public boolean isRunning() {
    return accepting;
  }

  @Override
  public void acceptAll(List<Sample> samples, Completion completion) {
    enqueue(samples, completion, false);
  }

  /**
   * Takes samples the gateway computed itself (KPIs, machine states): only consumers that {@link
   * PipelineConsumer#wantsDerived() want them} receive them. Same contract as {@link #acceptAll}.
   */
  public void acceptDerived(List<Sample> samples, Completion completion) {
    enqueue(samples, completion, true);
  }

  private void enqueue(List<Sample> samples, Completion completion, boolean derived) {
    try {
      if (!accepting) {
        reject(samples.size(), completion, "the pipeline is not running");
        return;
      }
      int n = samples.size();
      if (n == 0) {
        completion.succeeded();
        return;
      }
      if (!reserve(n)) {
        reject(n, completion, "the pipeline queue is full (" + settings.capacity() + " samples)");
        return;
      }
      // Machines' samples and the gateway's own (KPIs) are counted apart: operators compare the
      // first with what the machines sent.
      (derived ? derivedAccepted : accepted).add(n);
      queue.add(new Entry(samples, completion, derived));
      schedule();
    } catch (RuntimeException e) {
      // The sink contract says never throw; a failing completion callback must not escape either.
      LOG.error("Unexpected error taking {} sample(s)", samples.size(), e);
    }
  }

  private boolean reserve(int n) {
    long capacity = settings.capacity();
    if (n > capacity) {
      return false;
    }
    while (true) {
      long current = queued.get();
      if (current + n <= capacity) {
        if (queued.compareAndSet(current, current + n)) {
          return true;
        }
        continue;
      }
      if (settings.overflow() != OverflowPolicy.DROP_OLDEST) {
        return false;
      }
      Entry oldest = queue.poll();
      if (oldest == null) {
        // Everything queued is already being drained; room comes back shortly. Refuse this one.
        return false;
      }
      queued.addAndGet(-oldest.samples().size());
      dropped.add(oldest.samples().size());
      logOverflow("dropped the " + oldest.samples().size() + " oldest queued sample(s)");
      oldest.completion().failed(new PipelineRejectedException("dropped: pipeline queue full"));
    }
  }

  private void reject(int n, Completion completion, String why) {
    rejected.add(n);
    logOverflow("refused " + n + " sample(s): " + why);
    completion.failed(new PipelineRejectedException(why));
  }

  private void logOverflow(String what) {
    long now = System.nanoTime();
    long last = lastOverflowLog.get();
    // At most one line every 10 s: under overload the log must not become the bottleneck.
    if (now - last > 10_000_000_000L && lastOverflowLog.compareAndSet(last, now)) {
      LOG.warn(
          "Pipeline overflow: {} (so far: rejected {}, dropped {})",
          what,
          rejected.sum(),
          dropped.sum());
    }
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    if (inFlight) {
      return;
    }
    List<Entry> entries = new ArrayList<>();
    int count = 0;
    Entry e;
    while (count < settings.batchSize() && (e = queue.poll()) != null) {
      entries.add(e);
      count += e.samples().size();
    }
    if (entries.isEmpty()) {
      scheduled.set(false);
      // A producer may have added after our poll but before the flag was cleared.
      if (!queue.isEmpty()) {
        schedule();
      }
      completeStopIfIdle();
      return;
    }
    queued.addAndGet(-count);
    List<Sample> all = flatten(entries, count, true);
    // Most batches hold no derived samples; then every consumer gets the same list.
    boolean anyDerived = false;
    for (Entry entry : entries) {
      anyDerived |= entry.derived();
    }
    List<Sample> raw = anyDerived ? flatten(entries, count, false) : all;
    inFlight = true;
    batches.increment();
    int size = raw.size();
    deliver(all, raw)
        .onComplete(
            ar -> {
              inFlight = false;
              if (ar.succeeded()) {
                delivered.add(size);
                entries.forEach(en -> en.completion().succeeded());
              } else {
                failed.add(size);
                LOG.warn(
                    "A consumer failed a batch of {} sample(s): {}", size, ar.cause().toString());
                entries.forEach(en -> en.completion().failed(ar.cause()));
              }
              // Yield between batches so HTTP and timers on this loop are not starved.
              context.runOnContext(v -> drain());
            });
  }

  private static List<Sample> flatten(List<Entry> entries, int count, boolean withDerived) {
    if (entries.size() == 1 && (withDerived || !entries.get(0).derived())) {
      return entries.get(0).samples();
    }
    List<Sample> batch = new ArrayList<>(count);
    for (Entry entry : entries) {
      if (withDerived || !entry.derived()) {
        batch.addAll(entry.samples());
      }
    }
    return batch;
  }

  private Future<Void> deliver(List<Sample> all, List<Sample> raw) {
    List<Future<Void>> futures = new ArrayList<>(consumers.size());
    for (PipelineConsumer c : consumers) {
      List<Sample> batch = c.wantsDerived() ? all : raw;
      if (!batch.isEmpty()) {
        futures.add(safeAccept(c, batch));
      }
    }
    if (futures.size() == 1) {
      return futures.get(0);
    }
    return Future.all(futures).mapEmpty();
  }

  private static Future<Void> safeAccept(PipelineConsumer consumer, List<Sample> batch) {
    try {
      return consumer.accept(batch);
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new IllegalStateException("consumer " + consumer.name() + " threw: " + e, e));
    }
  }

  private void completeStopIfIdle() {
    if (inFlight || !queue.isEmpty()) {
      return;
    }
    if (!drainWaiters.isEmpty()) {
      List<Promise<Void>> waiters = List.copyOf(drainWaiters);
      drainWaiters.clear();
      waiters.forEach(Promise::tryComplete);
    }
    if (!accepting && stopped != null) {
      stopped.tryComplete();
    }
  }

  public PipelineStats stats() {
    return new PipelineStats(
        accepted.sum(),
        rejected.sum(),
        dropped.sum(),
        delivered.sum(),
        failed.sum(),
        batches.sum(),
        queued.get(),
        settings.capacity(),
        derivedAccepted.sum());
  }
}
