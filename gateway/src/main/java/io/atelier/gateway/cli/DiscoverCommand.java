package io.atelier.gateway.cli;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.connector.opcua.discovery.OpcUaDiscovery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Browses an OPC UA server and prints a configuration for it that {@code run --config} accepts as
 * it is. Connects with the same security rules as a running connection: a server whose certificate
 * is not trusted yet is refused, and its certificate is put into {@code <pki>/rejected/} to be
 * trusted (moved into {@code trusted/certs/}) before trying again.
 */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description =
        "Browses an OPC UA server (bounded depth, batched) and prints a gateway configuration: "
            + "one connection, one machine per object holding variables, snake_case signals with "
            + "nsu= node ids. Exits 0, 2 for invalid options, 1 when the server cannot be read.")
public final class DiscoverCommand implements Callable<Integer> {

  static final int UNREACHABLE = 1;

  @Parameters(index = "0", paramLabel = "ENDPOINT", description = "opc.tcp://host:port/path")
  String endpoint;

  @Option(
      names = "--security-policy",
      paramLabel = "POLICY",
      description =
          "None | Basic256Sha256 | Aes128_Sha256_RsaOaep | Aes256_Sha256_RsaPss "
              + "(default Basic256Sha256; None needs --allow-none)")
  Optional<String> securityPolicy;

  @Option(
      names = "--security-mode",
      paramLabel = "MODE",
      description = "None | Sign | SignAndEncrypt (default SignAndEncrypt, None with policy None)")
  Optional<String> securityMode;

  @Option(names = "--allow-none", description = "Allow security policy None (test benches only).")
  boolean allowNone;

  @Option(
      names = "--trust-all",
      description = "Accept any server certificate, also in the printed file (training only).")
  boolean trustAll;

  @Option(names = "--user", paramLabel = "NAME", description = "User name (default anonymous).")
  Optional<String> user;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      defaultValue = "OPCUA_PASSWORD",
      description =
          "Environment variable holding the password (default ${DEFAULT-VALUE}); the file gets"
              + " the $${VAR} reference, never the password.")
  String passwordEnv;

  @Option(
      names = "--max-depth",
      paramLabel = "N",
      defaultValue = "" + OpcUaDiscovery.DEFAULT_MAX_DEPTH,
      description = "Levels below the Objects folder to browse (default ${DEFAULT-VALUE}).")
  int maxDepth;

  @Option(
      names = "--connection-id",
      paramLabel = "ID",
      description = "Id of the connection in the file (default opcua-<host>).")
  Optional<String> connectionId;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "atelier-data",
      description =
          "The gateway's data directory: the PKI is <DIR>/connections/<id>/pki, the one `run`"
              + " uses for this connection (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--pki-dir",
      paramLabel = "DIR",
      description = "A PKI directory other than the data directory's.")
  Optional<Path> pkiDir;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the configuration to FILE instead of standard output.")
  Optional<Path> output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (maxDepth < 1 || maxDepth > 64) {
      err.println("--max-depth must be between 1 and 64, got " + maxDepth);
      err.flush();
      return CheckConfigCommand.INVALID_CONFIG;
    }
    String id = connectionId.orElseGet(() -> OpcUaDiscovery.defaultConnectionId(endpoint));
    Map<String, Object> settings =
        OpcUaDiscovery.settings(
            endpoint, securityPolicy, securityMode, allowNone, trustAll, user, passwordEnv);
    if (pkiDir.isPresent()) {
      settings.put("pkiDir", pkiDir.get().toAbsolutePath().toString());
    }
    Path pki = pkiDir.orElseGet(() -> dataDir.resolve("connections").resolve(id).resolve("pki"));
    try {
      OpcUaDiscovery.Result result =
          OpcUaDiscovery.discover(
              new OpcUaDiscovery.Request(id, settings, System::getenv, pki, maxDepth));
      if (output.isPresent()) {
        Files.writeString(output.get(), result.yaml(), StandardCharsets.UTF_8);
      } else {
        out.print(result.yaml());
        out.flush();
      }
      err.println(
          "discovered "
              + result.space().machines().size()
              + " machine(s), "
              + result.space().signalCount()
              + " signal(s) in "
              + result.took().toMillis()
              + " ms ("
              + result.space().browseCalls()
              + " browse calls)"
              + (result.space().truncated() ? "; depth bound reached, raise --max-depth" : ""));
      err.flush();
      return 0;
    } catch (InvalidConfigException e) {
      err.println("invalid discovery options:");
      for (ConfigProblem p : e.problems()) {
        err.println("  " + p);
      }
      err.flush();
      return CheckConfigCommand.INVALID_CONFIG;
    } catch (IOException e) {
      err.println("discovery failed: " + e.getMessage());
      err.println("  client certificates and trust lists: " + pki.toAbsolutePath());
      if (e.getMessage() != null && e.getMessage().contains("certificate refused")) {
        err.println(
            "  to trust the server: check the fingerprint with its operator, move the file from"
                + " rejected/ into trusted/certs/, and run discover again");
      }
      err.flush();
      return UNREACHABLE;
    }
  }
}
