package io.atelier.gateway.cli;

import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** Checks a configuration without starting anything: every problem, or a summary. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description =
        "Checks a configuration file. Prints every problem with its YAML path and exits 2, "
            + "or prints a summary and exits 0.")
public final class CheckConfigCommand implements Callable<Integer> {

  /** Exit code for an invalid configuration. */
  public static final int INVALID_CONFIG = 2;

  @Mixin ConfigOption config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<GatewayConfig> loaded = config.load(ConnectorRegistry.load(), err);
    if (loaded.isEmpty()) {
      return INVALID_CONFIG;
    }
    GatewayConfig c = loaded.get();
    out.println(config.file + ": OK");
    out.println(
        "  "
            + c.connections().size()
            + " connection(s), "
            + c.machines().size()
            + " machine(s), "
            + c.machines().stream().mapToInt(m -> m.signals().size()).sum()
            + " configured signal(s)");
    c.connections()
        .forEach(
            conn ->
                out.println(
                    "  "
                        + conn.id()
                        + " ("
                        + conn.type()
                        + "): "
                        + String.join(", ", conn.machines().stream().map(m -> m.id()).toList())));
    out.println("  HTTP on " + c.http().host() + ":" + c.http().port());
    out.println("  data directory " + c.gateway().dataDir());
    out.flush();
    return 0;
  }
}
