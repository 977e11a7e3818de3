package io.atelier.connector.opcua;

import io.atelier.connector.opcua.OpcUaSettings.IdentityType;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Picks, among the endpoints a server announces, the one with the configured security policy and
 * mode, preferring one that accepts the configured identity. The chosen endpoint keeps the host and
 * port the engineer configured: servers often announce a hostname the gateway cannot resolve.
 */
final class EndpointChooser {

  private EndpointChooser() {}

  static Optional<EndpointDescription> choose(
      List<EndpointDescription> endpoints, OpcUaSettings settings) {
    String policyUri = settings.securityPolicy().policy().getUri();
    URI configured = settings.endpoint();
    UserTokenType wanted = tokenType(settings.identity().type());
    return endpoints.stream()
        .filter(e -> Stack.TCP_UASC_UABINARY_TRANSPORT_URI.equals(e.getTransportProfileUri()))
        .filter(e -> policyUri.equals(e.getSecurityPolicyUri()))
        .filter(e -> e.getSecurityMode() == settings.securityMode().mode())
        .max(
            Comparator.<EndpointDescription>comparingInt(e -> accepts(e, wanted) ? 1 : 0)
                .thenComparingInt(e -> e.getSecurityLevel().intValue()))
        .map(
            e ->
                EndpointUtil.updateUrl(
                    e,
                    configured.getHost(),
                    configured.getPort() > 0 ? configured.getPort() : 4840));
  }

  /** "None/None, Basic256Sha256/SignAndEncrypt", for a message saying what the server offers. */
  static String describe(List<EndpointDescription> endpoints) {
    return endpoints.stream()
        .map(
            e ->
                SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
                        .map(Enum::name)
                        .orElse(e.getSecurityPolicyUri())
                    + "/"
                    + e.getSecurityMode())
        .distinct()
        .collect(Collectors.joining(", "));
  }

  private static boolean accepts(EndpointDescription e, UserTokenType wanted) {
    UserTokenPolicy[] tokens = e.getUserIdentityTokens();
    return tokens != null && Stream.of(tokens).anyMatch(t -> t.getTokenType() == wanted);
  }

  private static UserTokenType tokenType(IdentityType type) {
    return switch (type) {
      case ANONYMOUS -> UserTokenType.Anonymous;
      case USERNAME -> UserTokenType.UserName;
      case X509 -> UserTokenType.Certificate;
    };
  }
}
