package io.atelier.gateway.cli;

import io.atelier.gateway.GatewayApp;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the gateway until SIGTERM or Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs the gateway with a configuration file until stopped (SIGTERM, Ctrl-C).")
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  /** How long shutdown may take before the JVM exits anyway. */
  static final long SHUTDOWN_GRACE_MS = 4_500;

  @Mixin ConfigOption config;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description = "HTTP port, overriding the configuration (0 picks a free one).")
  Integer httpPort;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ConnectorRegistry registry = ConnectorRegistry.load();
    Optional<GatewayConfig> loaded = config.load(registry, err);
    if (loaded.isEmpty()) {
      return CheckConfigCommand.INVALID_CONFIG;
    }
    GatewayConfig cfg = loaded.get();
    if (httpPort != null) {
      cfg = cfg.withHttpPort(httpPort);
    }
    GatewayApp app = new GatewayApp(cfg, registry);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              app.stop().onComplete(ar -> stopped.countDown());
              try {
                if (!stopped.await(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS)) {
                  LOG.warn("Shutdown took longer than {} ms; exiting anyway", SHUTDOWN_GRACE_MS);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "atelier-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      app.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println("Atelier could not start: " + cause.getMessage());
      err.flush();
      return 1;
    }
    // The main thread parks here; the shutdown hook stops the gateway on SIGTERM / Ctrl-C.
    stopped.await();
    return 0;
  }
}
