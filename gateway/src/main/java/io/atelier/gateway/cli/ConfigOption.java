package io.atelier.gateway.cli;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.gateway.config.ConfigLoader;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by the commands that read a configuration. */
final class ConfigOption {

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The gateway's YAML configuration file.")
  Path file;

  /** Loads the configuration, or prints every problem to {@code err} and returns empty. */
  Optional<GatewayConfig> load(ConnectorRegistry registry, PrintWriter err) {
    try {
      return Optional.of(new ConfigLoader(registry).load(file));
    } catch (InvalidConfigException e) {
      err.println(file + ": " + e.problems().size() + " problem(s):");
      for (ConfigProblem p : e.problems()) {
        err.println("  " + p);
      }
      err.flush();
      return Optional.empty();
    }
  }
}
