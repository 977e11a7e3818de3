package io.atelier.simulator.scenario;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one thread the {@link Simulation} lives on. In real-time mode it advances simulated time
 * from the wall clock every tick (optionally faster than real time); everything else — control API
 * commands, truth queries — is handed to the same thread with {@link #call}, so the simulation
 * needs no locks and the event loop never waits on it.
 */
public final class SimulationRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulationRunner.class);

  private final Simulation simulation;
  private final ScheduledExecutorService thread;
  private ScheduledFuture<?> ticker;

  public SimulationRunner(Simulation simulation) {
    this.simulation = simulation;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "atelier-sim-clock");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts advancing simulated time: {@code timeScale} simulated seconds per wall-clock second,
   * checked every {@code tick}. State changes still happen at their exact simulated millisecond;
   * the tick only decides how often process values are refreshed.
   */
  public synchronized void startRealTime(Duration tick, double timeScale) {
    if (ticker != null) {
      throw new IllegalStateException("already running");
    }
    long simStart = callUnchecked(Simulation::now);
    // Anchor the simulated clock to the wall clock at the simulation's own start (not at this
    // call): starting the endpoints takes seconds (key generation, broker), and source timestamps
    // that lag the wall clock by that much would show as latency in every dashboard.
    long wallStartNanos =
        System.nanoTime() - Math.max(0, System.currentTimeMillis() - simStart) * 1_000_000;
    ticker =
        thread.scheduleAtFixedRate(
            () -> {
              try {
                long elapsedMs = (System.nanoTime() - wallStartNanos) / 1_000_000;
                simulation.advanceTo(simStart + Math.round(elapsedMs * timeScale));
              } catch (RuntimeException e) {
                // A failing tick must not stop the clock silently: log it and keep ticking.
                LOG.error("simulation tick failed", e);
              }
            },
            0,
            Math.max(1, tick.toMillis()),
            TimeUnit.MILLISECONDS);
  }

  private long callUnchecked(Function<Simulation, Long> f) {
    try {
      return call(f).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("simulation thread did not answer", e);
    }
  }

  /** Runs {@code f} on the simulation thread; the future completes with its result. */
  public <T> CompletableFuture<T> call(Function<Simulation, T> f) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            try {
              result.complete(f.apply(simulation));
            } catch (Throwable e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("simulation stopped", e));
    }
    return result;
  }

  /** Stops the clock; calls already queued still run. */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
