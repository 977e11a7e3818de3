package io.atelier.gateway.pipeline;

import io.atelier.bench.MachineSignals;
import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.config.PipelineSettings;
import io.atelier.gateway.config.PipelineSettings.OverflowPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The hand-off from a connector thread through {@link Pipeline#acceptAll} to the consumers on the
 * pipeline's Vert.x context and back to the connector's completion: 50 messages of 20 samples each,
 * then wait (spinning) until all 50 completions have come back; per sample. Two consumers: the real
 * {@link LastValues} and one that completes at once (standing in for the spool, whose cost is
 * {@code SpoolAppendBenchmark}'s). This is elapsed time across two threads, so on a loaded machine
 * it includes waiting for the event loop to be scheduled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelineBenchmark {

  static final int MESSAGES = 50;
  static final int PER_MESSAGE = 20;

  Vertx vertx;
  Pipeline pipeline;
  final List<List<Sample>> messages = new ArrayList<>();
  final AtomicLong failed = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    vertx = Vertx.vertx();
    PipelineConsumer storage =
        new PipelineConsumer() {
          @Override
          public String name() {
            return "storage";
          }

          @Override
          public Future<Void> accept(List<Sample> batch) {
            return Future.succeededFuture();
          }
        };
    pipeline =
        new Pipeline(
            new PipelineSettings(100_000, 2_000, OverflowPolicy.REJECT),
            List.of(new LastValues(), storage));
    pipeline.start(vertx);
    List<Sample> all = MachineSignals.samples(MESSAGES * PER_MESSAGE, MESSAGES, 250, 5);
    for (int m = 0; m < MESSAGES; m++) {
      messages.add(List.copyOf(all.subList(m * PER_MESSAGE, (m + 1) * PER_MESSAGE)));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vertx.close().await();
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES * PER_MESSAGE)
  public long handOff() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(MESSAGES);
    Completion completion =
        Completion.of(
            done::countDown,
            cause -> {
              failed.incrementAndGet();
              done.countDown();
            });
    for (int m = 0; m < MESSAGES; m++) {
      pipeline.acceptAll(messages.get(m), completion);
    }
    done.await();
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " batches refused");
    }
    return done.getCount();
  }
}
