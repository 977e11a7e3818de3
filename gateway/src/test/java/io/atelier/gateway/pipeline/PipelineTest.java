package io.atelier.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.config.PipelineSettings;
import io.atelier.gateway.config.PipelineSettings.OverflowPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PipelineTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Records what it receives, checking it is always called on one thread. */
  private static final class Recorder implements PipelineConsumer {
    final List<Sample> received = new ArrayList<>();
    final Map<String, Thread> threads = new HashMap<>();

    @Override
    public String name() {
      return "recorder";
    }

    @Override
    public synchronized Future<Void> accept(List<Sample> batch) {
      threads.put(Thread.currentThread().getName(), Thread.currentThread());
      received.addAll(batch);
      return Future.succeededFuture();
    }

    synchronized List<Sample> snapshot() {
      return List.copyOf(received);
    }
  }

  private static Sample sample(int producer, int signal, long seq) {
    Instant now = Instant.now();
    return Sample.good("m" + producer, "s" + signal, seq, now);
  }

  /**
   * The core promise of the pipeline: many threads at once, nothing lost, nothing reordered within
   * a signal, and every completion told.
   */
  @Test
  void losesAndReordersNothingUnderConcurrentProducers() throws Exception {
    Recorder recorder = new Recorder();
    Pipeline pipeline =
        new Pipeline(
            new PipelineSettings(1_000_000, 500, OverflowPolicy.REJECT), List.of(recorder));
    pipeline.start(vertx);
    int producers = 8;
    int signalsPerProducer = 5;
    int perSignal = 5_000;
    AtomicLong succeeded = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Completion completion =
        Completion.of(succeeded::incrementAndGet, e -> failed.incrementAndGet());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perSignal; i++) {
                  if (i % 2 == 0) {
                    for (int s = 0; s < signalsPerProducer; s++) {
                      pipeline.accept(sample(producer, s, i), completion);
                    }
                  } else {
                    // Batches too: one call, several signals, one completion.
                    List<Sample> batch = new ArrayList<>();
                    for (int s = 0; s < signalsPerProducer; s++) {
                      batch.add(sample(producer, s, i));
                    }
                    pipeline.acceptAll(batch, completion);
                  }
                }
              });
      threads.add(t);
      t.start();
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(30_000);
    }
    long total = (long) producers * signalsPerProducer * perSignal;
    long calls = (long) producers * (perSignal / 2 * signalsPerProducer + perSignal / 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> recorder.snapshot().size() == total && succeeded.get() == calls);

    Map<String, Long> lastSeq = new HashMap<>();
    for (Sample s : recorder.snapshot()) {
      String key = s.machine() + "/" + s.signal();
      long seq = (Long) s.value();
      Long prev = lastSeq.put(key, seq);
      assertThat(seq).as("sequence of %s", key).isEqualTo(prev == null ? 0 : prev + 1);
    }
    assertThat(lastSeq).hasSize(producers * signalsPerProducer);
    assertThat(lastSeq.values()).allMatch(v -> v == perSignal - 1);
    assertThat(failed.get()).isZero();
    assertThat(recorder.threads).as("drained on one context").hasSize(1);
    PipelineStats stats = pipeline.stats();
    assertThat(stats.accepted()).isEqualTo(total);
    assertThat(stats.delivered()).isEqualTo(total);
    assertThat(stats.rejected()).isZero();
    assertThat(stats.queued()).isZero();
  }

  /** A consumer that holds each batch until the test releases it: the queue fills up. */
  private static final class Gate implements PipelineConsumer {
    final ConcurrentLinkedQueue<Promise<Void>> pending = new ConcurrentLinkedQueue<>();
    final AtomicInteger seen = new AtomicInteger();

    @Override
    public String name() {
      return "gate";
    }

    @Override
    public Future<Void> accept(List<Sample> batch) {
      seen.addAndGet(batch.size());
      Promise<Void> p = Promise.promise();
      pending.add(p);
      return p.future();
    }

    void releaseAll() {
      Promise<Void> p;
      while ((p = pending.poll()) != null) {
        p.complete();
      }
    }
  }

  @Test
  void rejectPolicyRefusesNewSamplesAndCountsThem() {
    Gate gate = new Gate();
    Pipeline pipeline =
        new Pipeline(new PipelineSettings(100, 10, OverflowPolicy.REJECT), List.of(gate));
    pipeline.start(vertx);
    pipeline.accept(sample(0, 0, 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.pending.size() == 1);
    // The consumer holds its batch: the next 100 fill the queue, the 20 after are refused.
    AtomicInteger refused = new AtomicInteger();
    Completion c = Completion.of(() -> {}, e -> refused.incrementAndGet());
    for (int i = 1; i <= 120; i++) {
      pipeline.accept(sample(0, 0, i), c);
    }
    assertThat(refused.get()).isEqualTo(20);
    assertThat(pipeline.stats().rejected()).isEqualTo(20);
    assertThat(pipeline.stats().queued()).isEqualTo(100);

    // Released, the queue drains completely.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              gate.releaseAll();
              assertThat(pipeline.stats().delivered()).isEqualTo(101);
            });
  }

  @Test
  void dropOldestPolicyMakesRoomAndFailsTheDroppedCompletions() {
    Gate gate = new Gate();
    Pipeline pipeline =
        new Pipeline(new PipelineSettings(100, 10, OverflowPolicy.DROP_OLDEST), List.of(gate));
    pipeline.start(vertx);
    pipeline.accept(sample(0, 0, 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.pending.size() == 1);
    AtomicInteger droppedCallbacks = new AtomicInteger();
    Completion c = Completion.of(() -> {}, e -> droppedCallbacks.incrementAndGet());
    for (int i = 1; i <= 130; i++) {
      pipeline.accept(sample(0, 0, i), c);
    }
    assertThat(pipeline.stats().dropped()).isEqualTo(30);
    assertThat(droppedCallbacks.get()).isEqualTo(30);
    assertThat(pipeline.stats().rejected()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              gate.releaseAll();
              assertThat(pipeline.stats().delivered()).isEqualTo(101);
            });
  }

  @Test
  void stopDrainsTheQueueThenRefusesNewSamples() throws Exception {
    Recorder recorder = new Recorder();
    Pipeline pipeline =
        new Pipeline(new PipelineSettings(100_000, 7, OverflowPolicy.REJECT), List.of(recorder));
    pipeline.start(vertx);
    for (int i = 0; i < 10_000; i++) {
      pipeline.accept(sample(0, 0, i));
    }
    pipeline.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(recorder.snapshot()).hasSize(10_000);

    AtomicInteger refused = new AtomicInteger();
    pipeline.accept(sample(0, 0, 10_000), Completion.of(() -> {}, e -> refused.incrementAndGet()));
    assertThat(refused.get()).isEqualTo(1);
    assertThat(pipeline.isRunning()).isFalse();
  }

  @Test
  void aFailingConsumerFailsTheCompletionsButNotThePipeline() {
    AtomicInteger calls = new AtomicInteger();
    PipelineConsumer flaky =
        new PipelineConsumer() {
          @Override
          public String name() {
            return "flaky";
          }

          @Override
          public Future<Void> accept(List<Sample> batch) {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("disk on fire");
            }
            return Future.succeededFuture();
          }
        };
    Pipeline pipeline =
        new Pipeline(new PipelineSettings(1000, 1, OverflowPolicy.REJECT), List.of(flaky));
    pipeline.start(vertx);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger ko = new AtomicInteger();
    Completion c = Completion.of(ok::incrementAndGet, e -> ko.incrementAndGet());
    pipeline.accept(sample(0, 0, 0), c);
    pipeline.accept(sample(0, 0, 1), c);
    await().atMost(Duration.ofSeconds(5)).until(() -> ok.get() + ko.get() == 2);
    assertThat(ko.get()).isEqualTo(1);
    assertThat(ok.get()).isEqualTo(1);
    assertThat(pipeline.stats().failed()).isEqualTo(1);
  }
}
