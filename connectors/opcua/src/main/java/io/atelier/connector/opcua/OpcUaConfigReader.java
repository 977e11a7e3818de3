package io.atelier.connector.opcua;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.opcua.OpcUaSettings.Identity;
import io.atelier.connector.opcua.OpcUaSettings.IdentityType;
import io.atelier.connector.opcua.OpcUaSettings.ItemDefaults;
import io.atelier.connector.opcua.SignalConfig.Deadband;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads and checks an OPC UA connection: its {@code settings:} and the options of every signal of
 * its machines. Every problem is recorded with its YAML path; nothing throws for bad input. The
 * keys below are the whole configuration surface of the connector (the README documents them).
 */
public final class OpcUaConfigReader {

  // settings:
  static final String ENDPOINT = "endpoint";
  static final String SECURITY_POLICY = "securityPolicy";
  static final String SECURITY_MODE = "securityMode";
  static final String ALLOW_NONE = "allowNone";
  static final String ALLOW_DEPRECATED = "allowDeprecatedPolicies";
  static final String IDENTITY = "identity";
  static final String PUBLISHING_INTERVAL = "publishingInterval";
  static final String REQUEST_TIMEOUT = "requestTimeout";
  static final String SAMPLING_INTERVAL = "samplingInterval";
  static final String QUEUE_SIZE = "queueSize";
  static final String DISCARD_OLDEST = "discardOldest";
  static final String MAX_ITEMS_PER_CALL = "maxItemsPerCall";
  static final String PKI_DIR = "pkiDir";
  static final String APPLICATION_URI = "applicationUri";
  static final String TRUST_ALL = "trustAll";
  // identity:
  static final String TYPE = "type";
  static final String USERNAME = "username";
  static final String PASSWORD = "password";
  static final String ALLOW_PASSWORD_OVER_NONE = "allowPasswordOverNone";
  static final String CERT_FILE = "certFile";
  static final String KEY_FILE = "keyFile";
  // signal options:
  static final String NODE = "node";
  static final String PATH = "path";
  static final String DEADBAND = "deadband";
  static final String VALUE = "value";
  static final String POLL = "poll";

  static final Duration DEFAULT_PUBLISHING_INTERVAL = Duration.ofMillis(500);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_QUEUE_SIZE = 10;
  static final int DEFAULT_MAX_ITEMS_PER_CALL = 1000;

  /** The connection as the connector will run it. */
  public record OpcUaConfig(OpcUaSettings settings, List<SignalConfig> signals) {
    public OpcUaConfig {
      signals = List.copyOf(signals);
    }
  }

  private OpcUaConfigReader() {}

  /** Reads the whole connection; check {@code problems} before using the result. */
  public static OpcUaConfig read(ConnectionSpec spec, ConfigProblems problems) {
    OpcUaSettings settings = readSettings(spec.settingsNode(problems));
    return new OpcUaConfig(settings, readSignals(spec, settings.signalDefaults(), problems));
  }

  /** Reads {@code settings:}; returns usable defaults where a value had a problem. */
  public static OpcUaSettings readSettings(ConfigNode node) {
    ConfigProblems problems = node.problems();
    URI endpoint =
        node.uri(ENDPOINT, true, "opc.tcp").orElse(URI.create("opc.tcp://invalid.invalid:4840"));

    SecurityPolicyName policy =
        node.string(SECURITY_POLICY)
            .map(text -> parsePolicy(node, text))
            .orElse(SecurityPolicyName.BASIC256SHA256);
    boolean allowDeprecated = node.bool(ALLOW_DEPRECATED, false);
    if (policy.deprecated() && !allowDeprecated) {
      problems.add(
          node.path(SECURITY_POLICY),
          "deprecated security policy (SHA-1, broken padding) refused; set "
              + ALLOW_DEPRECATED
              + ": true to use it anyway",
          policy.opcUaName());
    }
    SecurityModeName defaultMode =
        policy == SecurityPolicyName.NONE
            ? SecurityModeName.NONE
            : SecurityModeName.SIGN_AND_ENCRYPT;
    SecurityModeName mode =
        node.string(SECURITY_MODE).map(text -> parseMode(node, text)).orElse(defaultMode);
    boolean allowNone = node.bool(ALLOW_NONE, false);
    checkPolicyAndMode(node, policy, mode, allowNone);

    Identity identity =
        node.child(IDENTITY).map(id -> readIdentity(id, policy)).orElse(Identity.ANONYMOUS);

    Duration publishing =
        boundedDuration(
            node,
            PUBLISHING_INTERVAL,
            DEFAULT_PUBLISHING_INTERVAL,
            Duration.ofMillis(1),
            Duration.ofHours(1));
    Duration timeout =
        boundedDuration(
            node,
            REQUEST_TIMEOUT,
            DEFAULT_REQUEST_TIMEOUT,
            Duration.ofMillis(100),
            Duration.ofMinutes(10));
    ItemDefaults defaults =
        new ItemDefaults(
            boundedDuration(
                node, SAMPLING_INTERVAL, publishing, Duration.ZERO, Duration.ofHours(1)),
            node.integer(QUEUE_SIZE, DEFAULT_QUEUE_SIZE, 1, 100_000),
            node.bool(DISCARD_OLDEST, true));
    int maxItemsPerCall =
        node.integer(MAX_ITEMS_PER_CALL, DEFAULT_MAX_ITEMS_PER_CALL, 1, 1_000_000);
    Optional<Path> pkiDir = node.string(PKI_DIR).flatMap(text -> path(node, PKI_DIR, text));
    Optional<String> applicationUri =
        node.string(APPLICATION_URI).filter(uri -> isApplicationUri(node, uri));
    boolean trustAll = node.bool(TRUST_ALL, false);
    node.rejectUnknownKeys();

    return new OpcUaSettings(
        endpoint,
        policy,
        mode,
        identity,
        publishing,
        timeout,
        defaults,
        maxItemsPerCall,
        pkiDir,
        applicationUri,
        trustAll);
  }

  /** Reads every machine's {@code source:} and every signal's options. */
  public static List<SignalConfig> readSignals(
      ConnectionSpec spec, ItemDefaults defaults, ConfigProblems problems) {
    List<SignalConfig> out = new ArrayList<>();
    for (MachineSpec machine : spec.machines()) {
      // No per-machine source options yet; anything there is a typo or meant for another type.
      machine.sourceNode(problems).rejectUnknownKeys();
      for (SignalSpec signal : machine.signals()) {
        readSignal(machine.id(), signal, defaults, problems).ifPresent(out::add);
      }
    }
    return out;
  }

  private static Optional<SignalConfig> readSignal(
      String machine, SignalSpec spec, ItemDefaults defaults, ConfigProblems problems) {
    ConfigNode node = spec.optionsNode(problems);
    Optional<NodeRef> ref = readNodeRef(node);
    Duration sampling =
        boundedDuration(
            node,
            SAMPLING_INTERVAL,
            defaults.samplingInterval(),
            Duration.ZERO,
            Duration.ofHours(1));
    int queueSize = node.integer(QUEUE_SIZE, defaults.queueSize(), 1, 100_000);
    boolean discardOldest = node.bool(DISCARD_OLDEST, defaults.discardOldest());
    Optional<Deadband> deadband = node.child(DEADBAND).flatMap(OpcUaConfigReader::readDeadband);
    Optional<Duration> poll = Optional.empty();
    if (node.has(POLL)) {
      Duration p = node.duration(POLL, Duration.ZERO);
      if (p.compareTo(Duration.ofMillis(10)) < 0 || p.compareTo(Duration.ofDays(1)) > 0) {
        problems.add(node.path(POLL), "must be between 10ms and 1d", node.raw(POLL).orElse(""));
      } else {
        poll = Optional.of(p);
      }
      if (deadband.isPresent()) {
        problems.add(
            node.path(DEADBAND),
            "a deadband filters monitored items and cannot be combined with " + POLL);
      }
    }
    node.rejectUnknownKeys();
    Optional<Duration> pollInterval = poll;
    return ref.map(
        r ->
            new SignalConfig(
                machine,
                spec.name(),
                r,
                sampling,
                queueSize,
                discardOldest,
                deadband,
                pollInterval));
  }

  private static Optional<NodeRef> readNodeRef(ConfigNode node) {
    Optional<String> nodeText = node.string(NODE);
    Optional<String> pathText = node.string(PATH);
    if (nodeText.isPresent() && pathText.isPresent()) {
      node.problems()
          .add(
              node.path(PATH),
              "give either " + NODE + " or " + PATH + ", not both",
              pathText.get());
      return Optional.empty();
    }
    if (nodeText.isEmpty() && pathText.isEmpty()) {
      node.problems()
          .add(
              node.path(NODE),
              "missing required field (or give a browse path as "
                  + PATH
                  + ": Objects/Folder/Variable)");
      return Optional.empty();
    }
    String key = nodeText.isPresent() ? NODE : PATH;
    String text = nodeText.orElseGet(pathText::get);
    try {
      return Optional.of(
          nodeText.isPresent() ? NodeRefParser.parseNode(text) : NodeRefParser.parsePath(text));
    } catch (IllegalArgumentException e) {
      node.problems().add(node.path(key), e.getMessage(), text);
      return Optional.empty();
    }
  }

  private static Optional<Deadband> readDeadband(ConfigNode node) {
    Deadband.Type type = node.enumValue(TYPE, Deadband.Type.class, null);
    if (type == null && !node.has(TYPE)) {
      node.problems().add(node.path(TYPE), "missing required field (absolute or percent)");
    }
    if (!node.has(VALUE)) {
      node.problems().add(node.path(VALUE), "missing required field");
    }
    double max = type == Deadband.Type.PERCENT ? 100 : Double.MAX_VALUE;
    double value = node.number(VALUE, 0, 0, max);
    node.rejectUnknownKeys();
    return type == null ? Optional.empty() : Optional.of(new Deadband(type, value));
  }

  private static Identity readIdentity(ConfigNode node, SecurityPolicyName policy) {
    IdentityType type = node.enumValue(TYPE, IdentityType.class, IdentityType.ANONYMOUS);
    String typeName = type.name().toLowerCase(java.util.Locale.ROOT);
    List<String> usedKeys =
        switch (type) {
          case ANONYMOUS -> List.of();
          case USERNAME -> List.of(USERNAME, PASSWORD, ALLOW_PASSWORD_OVER_NONE);
          case X509 -> List.of(CERT_FILE, KEY_FILE);
        };
    for (String key : List.of(USERNAME, PASSWORD, ALLOW_PASSWORD_OVER_NONE, CERT_FILE, KEY_FILE)) {
      if (!usedKeys.contains(key) && node.has(key)) {
        node.problems().add(node.path(key), "not used with identity type " + typeName);
      }
    }
    Identity identity =
        switch (type) {
          case ANONYMOUS -> Identity.ANONYMOUS;
          case USERNAME -> {
            String user = node.requiredString(USERNAME);
            String password = node.requiredString(PASSWORD);
            boolean overNone = node.bool(ALLOW_PASSWORD_OVER_NONE, false);
            if (policy == SecurityPolicyName.NONE && !overNone) {
              node.problems()
                  .add(
                      node.path(TYPE),
                      "user/password over security policy None would send the password in clear;"
                          + " use a secure endpoint or set "
                          + ALLOW_PASSWORD_OVER_NONE
                          + ": true",
                      "username");
            }
            yield new Identity(type, user, password, overNone, Optional.empty(), Optional.empty());
          }
          case X509 -> {
            Optional<Path> cert = readableFile(node, CERT_FILE);
            Optional<Path> key = readableFile(node, KEY_FILE);
            yield new Identity(type, "", "", false, cert, key);
          }
        };
    node.rejectUnknownKeys();
    return identity;
  }

  private static void checkPolicyAndMode(
      ConfigNode node, SecurityPolicyName policy, SecurityModeName mode, boolean allowNone) {
    if (policy == SecurityPolicyName.NONE && mode != SecurityModeName.NONE) {
      node.problems()
          .add(
              node.path(SECURITY_MODE),
              "security policy None allows only security mode None",
              mode.opcUaName());
    }
    if (policy != SecurityPolicyName.NONE && mode == SecurityModeName.NONE) {
      node.problems()
          .add(
              node.path(SECURITY_MODE),
              "security mode None needs security policy None; use Sign or SignAndEncrypt",
              mode.opcUaName());
    }
    if (policy == SecurityPolicyName.NONE && !allowNone) {
      node.problems()
          .add(
              node.path(SECURITY_POLICY),
              "security policy None sends everything unsigned and in clear; set "
                  + ALLOW_NONE
                  + ": true to allow it (test benches only)",
              policy.opcUaName());
    }
  }

  private static SecurityPolicyName parsePolicy(ConfigNode node, String text) {
    return SecurityPolicyName.parse(text)
        .orElseGet(
            () -> {
              node.problems()
                  .add(
                      node.path(SECURITY_POLICY),
                      "expected one of "
                          + Arrays.stream(SecurityPolicyName.values())
                              .filter(p -> !p.deprecated())
                              .map(SecurityPolicyName::opcUaName)
                              .collect(Collectors.joining(", ")),
                      text);
              return SecurityPolicyName.BASIC256SHA256;
            });
  }

  private static SecurityModeName parseMode(ConfigNode node, String text) {
    return SecurityModeName.parse(text)
        .orElseGet(
            () -> {
              node.problems()
                  .add(
                      node.path(SECURITY_MODE), "expected one of None, Sign, SignAndEncrypt", text);
              return SecurityModeName.SIGN_AND_ENCRYPT;
            });
  }

  private static Duration boundedDuration(
      ConfigNode node, String key, Duration defaultValue, Duration min, Duration max) {
    Duration d = node.duration(key, defaultValue);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      node.problems()
          .add(
              node.path(key),
              "must be between " + min.toMillis() + "ms and " + max.toMillis() + "ms",
              node.raw(key).orElse(""));
      return defaultValue;
    }
    return d;
  }

  private static Optional<Path> path(ConfigNode node, String key, String text) {
    try {
      return Optional.of(Path.of(text.trim()));
    } catch (InvalidPathException e) {
      node.problems().add(node.path(key), "not a valid file path: " + e.getReason(), text);
      return Optional.empty();
    }
  }

  private static Optional<Path> readableFile(ConfigNode node, String key) {
    String text = node.requiredString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> p = path(node, key, text);
    if (p.isPresent() && !Files.isReadable(p.get())) {
      node.problems().add(node.path(key), "file not found or not readable", text);
      return Optional.empty();
    }
    return p;
  }

  private static boolean isApplicationUri(ConfigNode node, String text) {
    try {
      URI uri = new URI(text.trim());
      if (uri.getScheme() != null) {
        return true;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    node.problems()
        .add(node.path(APPLICATION_URI), "expected a URI such as urn:atelier:gateway:host", text);
    return false;
  }
}
