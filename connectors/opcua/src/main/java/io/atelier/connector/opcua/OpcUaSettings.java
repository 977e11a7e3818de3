package io.atelier.connector.opcua;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated {@code settings:} of one OPC UA connection. Built once by {@link
 * OpcUaConfigReader}; immutable.
 *
 * @param endpoint the server's {@code opc.tcp://} endpoint URL
 * @param securityPolicy the channel's security policy
 * @param securityMode the channel's message security mode
 * @param identity how the session authenticates
 * @param publishingInterval the subscription's publishing interval
 * @param requestTimeout the timeout of every OPC UA request
 * @param signalDefaults sampling interval, queue size and discard policy for signals that do not
 *     set their own
 * @param maxItemsPerCall upper bound of monitored items per CreateMonitoredItems call (the server's
 *     own MaxMonitoredItemsPerCall lowers it further)
 * @param pkiDir where the client certificate and the trust lists live; empty means {@code
 *     <dataDir>/pki}
 * @param applicationUri the client's application URI; empty means {@code
 *     urn:atelier:gateway:<hostname>}
 * @param trustAll accept every server certificate (training rooms only)
 */
public record OpcUaSettings(
    URI endpoint,
    SecurityPolicyName securityPolicy,
    SecurityModeName securityMode,
    Identity identity,
    Duration publishingInterval,
    Duration requestTimeout,
    ItemDefaults signalDefaults,
    int maxItemsPerCall,
    Optional<Path> pkiDir,
    Optional<String> applicationUri,
    boolean trustAll) {

  public OpcUaSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(securityPolicy, "securityPolicy");
    Objects.requireNonNull(securityMode, "securityMode");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(publishingInterval, "publishingInterval");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(signalDefaults, "signalDefaults");
    Objects.requireNonNull(pkiDir, "pkiDir");
    Objects.requireNonNull(applicationUri, "applicationUri");
  }

  /** The PKI directory to use for a connector whose data directory is {@code dataDir}. */
  public Path pkiDirIn(Path dataDir) {
    return pkiDir.orElse(dataDir.resolve("pki"));
  }

  /** Defaults of the monitored-item parameters. */
  public record ItemDefaults(Duration samplingInterval, int queueSize, boolean discardOldest) {}

  /** How the session authenticates. Secrets are never shown by {@link #toString()}. */
  public record Identity(
      IdentityType type,
      String username,
      String password,
      boolean allowPasswordOverNone,
      Optional<Path> certFile,
      Optional<Path> keyFile) {

    public static final Identity ANONYMOUS =
        new Identity(IdentityType.ANONYMOUS, "", "", false, Optional.empty(), Optional.empty());

    @Override
    public String toString() {
      return switch (type) {
        case ANONYMOUS -> "anonymous";
        case USERNAME -> "username(" + username + ")";
        case X509 -> "x509(" + certFile.map(Path::toString).orElse("") + ")";
      };
    }
  }

  /** The identity token types the connector supports. */
  public enum IdentityType {
    ANONYMOUS,
    USERNAME,
    X509
  }
}
