package io.atelier.connector.opcua;

import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/** The message security modes, spelled as OPC UA names them ({@code SignAndEncrypt}). */
public enum SecurityModeName {
  NONE("None", MessageSecurityMode.None),
  SIGN("Sign", MessageSecurityMode.Sign),
  SIGN_AND_ENCRYPT("SignAndEncrypt", MessageSecurityMode.SignAndEncrypt);

  private final String opcUaName;
  private final MessageSecurityMode mode;

  SecurityModeName(String opcUaName, MessageSecurityMode mode) {
    this.opcUaName = opcUaName;
    this.mode = mode;
  }

  public String opcUaName() {
    return opcUaName;
  }

  public MessageSecurityMode mode() {
    return mode;
  }

  /** Case-insensitive, ignoring {@code _} and {@code -}: "sign-and-encrypt" works too. */
  public static Optional<SecurityModeName> parse(String text) {
    String wanted = SecurityPolicyName.squash(text);
    for (SecurityModeName m : values()) {
      if (SecurityPolicyName.squash(m.opcUaName).equals(wanted)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
