package io.atelier.connector.opcua;

import java.util.Locale;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;

/**
 * The security policies a connection may ask for, spelled as OPC UA names them ({@code
 * Basic256Sha256}). The two policies the OPC Foundation deprecated (SHA-1 based) are known so that
 * they can be refused with a clear message rather than an "unknown value".
 */
public enum SecurityPolicyName {
  NONE("None", SecurityPolicy.None, false),
  BASIC256SHA256("Basic256Sha256", SecurityPolicy.Basic256Sha256, false),
  AES128_SHA256_RSAOAEP("Aes128_Sha256_RsaOaep", SecurityPolicy.Aes128_Sha256_RsaOaep, false),
  AES256_SHA256_RSAPSS("Aes256_Sha256_RsaPss", SecurityPolicy.Aes256_Sha256_RsaPss, false),
  BASIC128RSA15("Basic128Rsa15", SecurityPolicy.Basic128Rsa15, true),
  BASIC256("Basic256", SecurityPolicy.Basic256, true);

  private final String opcUaName;
  private final SecurityPolicy policy;
  private final boolean deprecated;

  SecurityPolicyName(String opcUaName, SecurityPolicy policy, boolean deprecated) {
    this.opcUaName = opcUaName;
    this.policy = policy;
    this.deprecated = deprecated;
  }

  public String opcUaName() {
    return opcUaName;
  }

  public SecurityPolicy policy() {
    return policy;
  }

  public boolean deprecated() {
    return deprecated;
  }

  /** Case-insensitive, ignoring {@code _} and {@code -}: "basic256sha256" works too. */
  public static Optional<SecurityPolicyName> parse(String text) {
    String wanted = squash(text);
    for (SecurityPolicyName p : values()) {
      if (squash(p.opcUaName).equals(wanted)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static String squash(String text) {
    return text.trim().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
  }
}
