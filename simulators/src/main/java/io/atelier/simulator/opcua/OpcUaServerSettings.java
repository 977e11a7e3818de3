package io.atelier.simulator.opcua;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How the simulator's OPC UA server is exposed.
 *
 * @param bindAddress address to listen on; {@code 0.0.0.0} listens everywhere and advertises the
 *     host name, {@code localhost} and every local address in the endpoint URLs
 * @param port TCP port (4840 by default)
 * @param path endpoint path, {@code /atelier}
 * @param pkiDir the server's own PKI directory: {@code own/} holds the server key and self-signed
 *     certificate (created once, then reused), {@code trusted/certs} the client certificates an
 *     operator trusts, {@code rejected/} the client certificates that were refused
 * @param users user name to password for the UserName identity; empty disables it
 * @param allowAnonymous whether the anonymous identity is accepted
 * @param trustAllClientCertificates accept any client certificate on the secure endpoints. The
 *     simulator is a training and test peer, so its defaults accept all; with {@code false} only
 *     certificates in {@code trusted/certs} are accepted and refused ones land in {@code rejected/}
 * @param limits server limits, always set explicitly
 */
public record OpcUaServerSettings(
    String bindAddress,
    int port,
    String path,
    Path pkiDir,
    Map<String, String> users,
    boolean allowAnonymous,
    boolean trustAllClientCertificates,
    Limits limits) {

  /** Default endpoint path. */
  public static final String DEFAULT_PATH = "/atelier";

  /** Default port, the OPC UA registered port. */
  public static final int DEFAULT_PORT = 4840;

  /**
   * Server limits. Milo's defaults are {@code Integer.MAX_VALUE}; a simulator that trainers share
   * must not let one runaway client exhaust it.
   *
   * @param maxSessions concurrent sessions
   * @param maxSubscriptions subscriptions over all sessions
   * @param maxSubscriptionsPerSession subscriptions per session
   * @param maxMonitoredItems monitored items over all sessions
   * @param maxMonitoredItemsPerSession monitored items per session
   * @param minSamplingIntervalMs the fastest sampling interval granted (requests below are revised
   *     up to it)
   * @param minPublishingIntervalMs the fastest publishing interval granted
   */
  public record Limits(
      int maxSessions,
      int maxSubscriptions,
      int maxSubscriptionsPerSession,
      int maxMonitoredItems,
      int maxMonitoredItemsPerSession,
      double minSamplingIntervalMs,
      double minPublishingIntervalMs) {

    public Limits {
      positive(maxSessions, "maxSessions");
      positive(maxSubscriptions, "maxSubscriptions");
      positive(maxSubscriptionsPerSession, "maxSubscriptionsPerSession");
      positive(maxMonitoredItems, "maxMonitoredItems");
      positive(maxMonitoredItemsPerSession, "maxMonitoredItemsPerSession");
      if (!(minSamplingIntervalMs > 0) || !(minPublishingIntervalMs > 0)) {
        throw new IllegalArgumentException("minimum intervals must be > 0 ms");
      }
    }

    /** Enough for a class of trainees and a load test, with 50 ms as the fastest sampling. */
    public static Limits defaults() {
      return new Limits(100, 1_000, 20, 200_000, 100_000, 50.0, 50.0);
    }

    private static void positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be > 0, was " + value);
      }
    }
  }

  public OpcUaServerSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(pkiDir, "pkiDir");
    Objects.requireNonNull(limits, "limits");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    users = Map.copyOf(users);
    if (!allowAnonymous && users.isEmpty()) {
      throw new IllegalArgumentException("anonymous access disabled and no users configured");
    }
  }

  /**
   * Listens on every interface, accepts anonymous and the training user {@code atelier} / {@code
   * atelier}, and trusts every client certificate: what a training session needs.
   */
  public static OpcUaServerSettings defaults(Path pkiDir, int port) {
    return new OpcUaServerSettings(
        "0.0.0.0",
        port,
        DEFAULT_PATH,
        pkiDir,
        Map.of("atelier", "atelier"),
        true,
        true,
        Limits.defaults());
  }

  public OpcUaServerSettings withBindAddress(String address) {
    return new OpcUaServerSettings(
        address, port, path, pkiDir, users, allowAnonymous, trustAllClientCertificates, limits);
  }

  public OpcUaServerSettings withUsers(Map<String, String> newUsers) {
    return new OpcUaServerSettings(
        bindAddress,
        port,
        path,
        pkiDir,
        newUsers,
        allowAnonymous,
        trustAllClientCertificates,
        limits);
  }

  public OpcUaServerSettings withTrustAllClientCertificates(boolean trustAll) {
    return new OpcUaServerSettings(
        bindAddress, port, path, pkiDir, users, allowAnonymous, trustAll, limits);
  }

  public OpcUaServerSettings withLimits(Limits newLimits) {
    return new OpcUaServerSettings(
        bindAddress,
        port,
        path,
        pkiDir,
        users,
        allowAnonymous,
        trustAllClientCertificates,
        newLimits);
  }

  /** True when the server listens on every interface. */
  boolean bindsWildcard() {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.isEmpty();
  }

  /** Without the passwords, so settings can be logged. */
  @Override
  public String toString() {
    return "OpcUaServerSettings[bindAddress="
        + bindAddress
        + ", port="
        + port
        + ", path="
        + path
        + ", pkiDir="
        + pkiDir
        + ", users="
        + users.keySet()
        + ", allowAnonymous="
        + allowAnonymous
        + ", trustAllClientCertificates="
        + trustAllClientCertificates
        + ", limits="
        + limits
        + "]";
  }
}
