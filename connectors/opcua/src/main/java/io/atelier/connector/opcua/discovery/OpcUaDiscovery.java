package io.atelier.connector.opcua.discovery;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.opcua.OneShotClient;
import io.atelier.connector.opcua.OpcUaConfigReader;
import io.atelier.connector.opcua.OpcUaSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.stack.core.UaException;

/**
 * {@code atelier discover}: connects to a server with the settings a connection would use, browses
 * it and renders the configuration. The settings are read by the connector's own {@link
 * OpcUaConfigReader}, so discovery refuses exactly what {@code run} would refuse (policy None
 * without {@code allowNone}, a password over None, ...), and the rendered file carries the same
 * settings, with the password left as the {@code ${VAR}} reference it was given as.
 *
 * <p>Blocking (network and disk): call it from a command line or a worker thread.
 */
public final class OpcUaDiscovery {

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * What to discover.
   *
   * @param connectionId the id of the connection in the rendered file
   * @param settings the connection's {@code settings:} as they will be written ({@code endpoint}
   *     required; a password only as a {@code ${VAR}} reference)
   * @param env resolves {@code ${VAR}} references for connecting
   * @param pkiDir the PKI directory (client certificate, trusted and rejected server certificates)
   * @param maxDepth levels below the Objects folder to browse
   */
  public record Request(
      String connectionId,
      Map<String, Object> settings,
      Function<String, String> env,
      Path pkiDir,
      int maxDepth) {
    public Request {
      // Kept in order: it is written out as given.
      settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
  }

  /** The browse result and the configuration rendered from it. */
  public record Result(AddressSpace space, String yaml, Duration took) {}

  private OpcUaDiscovery() {}

  /** Default bound of levels below the Objects folder. */
  public static final int DEFAULT_MAX_DEPTH = 10;

  /**
   * The {@code settings:} of a discovered connection from command-line or query options, in the
   * order they are written. Only what was asked for is written; the reader supplies the defaults.
   *
   * @param passwordVariable the environment variable holding the password (written as {@code
   *     ${VAR}}, never the password itself); used only with a user
   */
  public static Map<String, Object> settings(
      String endpoint,
      java.util.Optional<String> securityPolicy,
      java.util.Optional<String> securityMode,
      boolean allowNone,
      boolean trustAll,
      java.util.Optional<String> user,
      String passwordVariable) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("endpoint", endpoint);
    securityPolicy.ifPresent(p -> s.put("securityPolicy", p));
    securityMode.ifPresent(m -> s.put("securityMode", m));
    if (allowNone) {
      s.put("allowNone", true);
    }
    user.ifPresent(
        u -> {
          Map<String, Object> identity = new LinkedHashMap<>();
          identity.put("type", "username");
          identity.put("username", u);
          identity.put("password", "${" + passwordVariable + "}");
          s.put("identity", identity);
        });
    if (trustAll) {
      s.put("trustAll", true);
    }
    return s;
  }

  /** {@code opc.tcp://plc-7.local:4840/x} → {@code opcua-plc-7-local}. */
  public static String defaultConnectionId(String endpoint) {
    String host;
    try {
      host = java.net.URI.create(endpoint).getHost();
    } catch (IllegalArgumentException e) {
      host = null;
    }
    return "opcua-" + Names.id(host == null ? "" : host, "server");
  }

  /**
   * @throws io.atelier.connector.api.config.InvalidConfigException when the settings are invalid
   * @throws IOException when the server cannot be reached or refuses the session (the message says
   *     why, e.g. which certificate was rejected and where it lies)
   */
  public static Result discover(Request request) throws IOException {
    Map<String, Object> orderedSettings = request.settings();
    Instant start = Instant.now();
    ConfigProblems problems = new ConfigProblems();
    Map<String, Object> resolved = resolve(orderedSettings, request.env(), problems);
    OpcUaSettings settings =
        OpcUaConfigReader.readSettings(
            new ConfigNode("connections[0].settings", resolved, problems));
    problems.throwIfAny();
    AddressSpace space;
    try (OneShotClient client =
        OneShotClient.connect(settings, request.pkiDir(), "atelier:discover")) {
      space = new AddressSpaceWalker(client.client(), request.maxDepth(), 500).walk();
    } catch (UaException e) {
      throw new IOException("browsing failed: " + e.getMessage(), e);
    }
    Duration took = Duration.between(start, Instant.now());
    String header =
        "Discovered by `atelier discover` from "
            + settings.endpoint()
            + " at "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + "\n"
            + space.machines().size()
            + " machine(s), "
            + space.signalCount()
            + " signal(s), "
            + space.browseCalls()
            + " browse call(s), depth bound "
            + request.maxDepth()
            + (space.truncated()
                ? "\nNOT COMPLETE: objects at the depth bound were not browsed; raise --max-depth"
                : "")
            + "\nEdit the machine ids, their paths (site/area/line/machine) and the signal names,"
            + "\nthen delete what you do not need and run: atelier run --config <this file>";
    return new Result(
        space, DiscoveryYaml.render(request.connectionId(), orderedSettings, space, header), took);
  }

  /** A copy with {@code ${VAR}} in the identity's password replaced by the variable's value. */
  private static Map<String, Object> resolve(
      Map<String, Object> settings, Function<String, String> env, ConfigProblems problems) {
    Map<String, Object> out = new LinkedHashMap<>(settings);
    if (out.get("identity") instanceof Map<?, ?> identity
        && identity.get("password") instanceof String password) {
      Matcher m = ENV_REFERENCE.matcher(password);
      if (m.matches()) {
        String value = env.apply(m.group(1));
        Map<String, Object> copy = new LinkedHashMap<>();
        identity.forEach((k, v) -> copy.put(String.valueOf(k), v));
        if (value == null) {
          problems.add(
              "connections[0].settings.identity.password",
              "environment variable " + m.group(1) + " is not set");
        } else {
          copy.put("password", value);
        }
        out.put("identity", copy);
      }
    }
    return out;
  }
}
