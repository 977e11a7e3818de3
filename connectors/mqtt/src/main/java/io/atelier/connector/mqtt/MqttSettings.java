package io.atelier.connector.mqtt;

import io.atelier.connector.api.config.ConfigNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A connection's {@code settings:}, read once and immutable. Secrets ({@link #password()}) arrive
 * already substituted from {@code ${ENV}} / {@code ${file:...}} by the gateway; {@link #toString()}
 * never shows them.
 *
 * @param url {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId stable and unique per gateway instance (see {@link ClientIds})
 * @param username optional user name
 * @param password optional password (never logged)
 * @param tls TLS options for ssl:// URLs
 * @param cleanStart false keeps the broker session (and our unacknowledged messages) across
 *     reconnects; true throws them away
 * @param sessionExpiry how long the broker keeps the session while we are away
 * @param keepAlive MQTT keep-alive interval
 * @param connectTimeout how long one connection attempt may take
 * @param reconnectMinDelay first reconnect delay, doubled on every failure ...
 * @param reconnectMaxDelay ... up to this cap
 * @param receiveMaximum how many unacknowledged QoS 1/2 messages the broker may send us at once;
 *     also bounds what we hold in memory while the pipeline is slow
 * @param maxPayloadBytes larger payloads are rejected (counted, dead-lettered)
 * @param maxJsonDepth deeper JSON documents are rejected
 * @param deadLetterFile where rejected messages go; relative paths are under the data directory
 * @param deadLetterMaxBytes size at which the dead-letter file is rotated (one old file is kept)
 * @param acceptUnconfiguredSignals take signals that a machine does not list (when the name is
 *     lower snake case); false rejects them as unknown-signal
 * @param subscriptions topic templates to subscribe to
 * @param takeover adoption of crashed shared-subscription members' sessions (see {@link Takeover})
 */
public record MqttSettings(
    URI url,
    String clientId,
    Optional<String> username,
    Optional<String> password,
    Optional<TlsSettings> tls,
    boolean cleanStart,
    Duration sessionExpiry,
    Duration keepAlive,
    Duration connectTimeout,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    int receiveMaximum,
    int maxPayloadBytes,
    int maxJsonDepth,
    Path deadLetterFile,
    long deadLetterMaxBytes,
    boolean acceptUnconfiguredSignals,
    List<SubscriptionSettings> subscriptions,
    TakeoverSettings takeover) {

  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_JSON_DEPTH = 32;
  public static final Path DEFAULT_DEAD_LETTER_FILE = Path.of("dead-letter.jsonl");

  public MqttSettings {
    subscriptions = List.copyOf(subscriptions);
  }

  /**
   * Reads the settings, recording every problem (with its path) in the node's problems. Always
   * returns settings (with defaults where a value was bad), so the caller can keep checking.
   */
  public static MqttSettings read(ConfigNode node, String connectionId) {
    URI url = node.uri("url", true, "tcp", "ssl").orElse(URI.create("tcp://invalid.invalid:1883"));
    if (url.getRawPath() != null && !url.getRawPath().isEmpty()) {
      node.problems().add(node.path("url"), "an MQTT URL has no path", url);
    }
    String clientId = node.string("clientId").map(String::trim).orElse("");
    if (node.has("clientId") && clientId.isEmpty()) {
      node.problems().add(node.path("clientId"), "must not be empty");
    }
    if (clientId.length() > 65_535) {
      node.problems().add(node.path("clientId"), "longer than MQTT allows", clientId);
    }
    if (clientId.isEmpty()) {
      clientId = ClientIds.defaultFor(connectionId);
    }
    Optional<String> username = node.string("username");
    // Read as raw so that a problem never echoes the secret.
    Optional<String> password = Optional.empty();
    Object rawPassword = node.raw("password").orElse(null);
    if (rawPassword instanceof String || rawPassword instanceof Number) {
      password = Optional.of(rawPassword.toString());
    } else if (rawPassword != null) {
      node.problems().add(node.path("password"), "expected a text value");
    }
    Optional<TlsSettings> tls = node.child("tls").map(TlsSettings::read);
    if (tls.isPresent() && !"ssl".equalsIgnoreCase(url.getScheme())) {
      node.problems().add(node.path("tls"), "tls settings need an ssl:// url", url);
    }
    boolean cleanStart = node.bool("cleanStart", false);
    Duration sessionExpiry = node.duration("sessionExpiry", Duration.ofHours(1));
    if (sessionExpiry.toSeconds() < 1 || sessionExpiry.toSeconds() > 0xFFFF_FFFEL) {
      node.problems()
          .add(
              node.path("sessionExpiry"),
              "must be between 1s and about 136 years: with 0 the broker forgets unacknowledged"
                  + " messages as soon as the connection drops",
              sessionExpiry);
      sessionExpiry = Duration.ofHours(1);
    }
    Duration keepAlive = node.duration("keepAlive", Duration.ofSeconds(30));
    keepAlive = within(node, "keepAlive", keepAlive, 1, 65_535, Duration.ofSeconds(30));
    Duration connectTimeout = node.duration("connectTimeout", Duration.ofSeconds(10));
    connectTimeout = within(node, "connectTimeout", connectTimeout, 1, 600, Duration.ofSeconds(10));
    Duration minDelay = node.duration("reconnectMinDelay", Duration.ofSeconds(1));
    Duration maxDelay = node.duration("reconnectMaxDelay", Duration.ofSeconds(60));
    if (minDelay.toMillis() < 10) {
      node.problems().add(node.path("reconnectMinDelay"), "must be at least 10ms", minDelay);
      minDelay = Duration.ofSeconds(1);
    }
    if (maxDelay.compareTo(minDelay) < 0) {
      node.problems()
          .add(node.path("reconnectMaxDelay"), "must not be below reconnectMinDelay", maxDelay);
      maxDelay = minDelay;
    }
    int receiveMaximum = node.integer("receiveMaximum", 100, 1, 65_535);
    int maxPayload =
        (int) ByteSizes.read(node, "maxPayloadBytes", DEFAULT_MAX_PAYLOAD_BYTES, 16, 64L << 20);
    int maxDepth = node.integer("maxJsonDepth", DEFAULT_MAX_JSON_DEPTH, 1, 1_000);
    Path deadLetter =
        node.string("deadLetterFile").map(s -> Path.of(s.trim())).orElse(DEFAULT_DEAD_LETTER_FILE);
    long deadLetterMax = ByteSizes.read(node, "deadLetterMaxBytes", 64L << 20, 4096, 1L << 40);
    boolean acceptUnconfigured = node.bool("acceptUnconfiguredSignals", true);
    List<SubscriptionSettings> subscriptions = new ArrayList<>();
    for (ConfigNode s : node.children("subscriptions")) {
      SubscriptionSettings.read(s).ifPresent(subscriptions::add);
    }
    boolean anyShared = subscriptions.stream().anyMatch(s -> s.shared().isPresent());
    TakeoverSettings takeover = TakeoverSettings.read(node, anyShared, sessionExpiry);
    node.rejectUnknownKeys();
    return new MqttSettings(
        url,
        clientId,
        username,
        password,
        tls,
        cleanStart,
        sessionExpiry,
        keepAlive,
        connectTimeout,
        minDelay,
        maxDelay,
        receiveMaximum,
        maxPayload,
        maxDepth,
        deadLetter,
        deadLetterMax,
        acceptUnconfigured,
        subscriptions,
        takeover);
  }

  /** The shared-subscription groups this connection is a member of. */
  public Set<String> shareGroups() {
    Set<String> groups = new TreeSet<>();
    subscriptions.forEach(s -> s.shared().ifPresent(groups::add));
    return groups;
  }

  private static Duration within(
      ConfigNode node, String key, Duration d, long minS, long maxS, Duration fallback) {
    if (d.toSeconds() < minS || d.toSeconds() > maxS) {
      node.problems().add(node.path(key), "must be between " + minS + "s and " + maxS + "s", d);
      return fallback;
    }
    return d;
  }

  /** The dead-letter file, resolved against the connector's data directory when relative. */
  public Path deadLetterFile(Path dataDir) {
    return deadLetterFile.isAbsolute() ? deadLetterFile : dataDir.resolve(deadLetterFile);
  }

  @Override
  public String toString() {
    return "MqttSettings[url="
        + url
        + ", clientId="
        + clientId
        + ", username="
        + username.orElse("-")
        + ", password="
        + (password.isPresent() ? "***" : "-")
        + ", tls="
        + tls.isPresent()
        + ", cleanStart="
        + cleanStart
        + ", sessionExpiry="
        + sessionExpiry
        + ", subscriptions="
        + subscriptions.size()
        + ", "
        + takeover
        + "]";
  }
}
