package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import io.atelier.connector.api.config.ConfigProblems;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.junit.jupiter.api.Test;

class EndpointChooserTest {

  private static EndpointDescription endpoint(
      SecurityPolicy policy, MessageSecurityMode mode, int level, UserTokenType... tokens) {
    UserTokenPolicy[] policies = new UserTokenPolicy[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      policies[i] = new UserTokenPolicy("t" + i, tokens[i], null, null, null);
    }
    return new EndpointDescription(
        "opc.tcp://server-hostname:4841/atelier",
        null,
        ByteString.NULL_VALUE,
        mode,
        policy.getUri(),
        policies,
        Stack.TCP_UASC_UABINARY_TRANSPORT_URI,
        ubyte(level));
  }

  private static OpcUaSettings settings(Map<String, Object> extra) {
    java.util.Map<String, Object> s = new java.util.LinkedHashMap<>();
    s.put("endpoint", "opc.tcp://127.0.0.1:50123/atelier");
    s.putAll(extra);
    ConfigProblems problems = new ConfigProblems();
    OpcUaSettings settings =
        OpcUaConfigReader.read(Specs.spec(s, List.of(Map.of("name", "x", "node", "i=1"))), problems)
            .settings();
    assertThat(problems.all()).isEmpty();
    return settings;
  }

  private final List<EndpointDescription> offered =
      List.of(
          endpoint(SecurityPolicy.None, MessageSecurityMode.None, 0, UserTokenType.Anonymous),
          endpoint(
              SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign, 5, UserTokenType.Anonymous),
          endpoint(
              SecurityPolicy.Basic256Sha256,
              MessageSecurityMode.SignAndEncrypt,
              10,
              UserTokenType.Anonymous),
          endpoint(
              SecurityPolicy.Basic256Sha256,
              MessageSecurityMode.SignAndEncrypt,
              9,
              UserTokenType.UserName));

  @Test
  void picksTheConfiguredPolicyAndModeAndKeepsTheConfiguredHostAndPort() {
    EndpointDescription e = EndpointChooser.choose(offered, settings(Map.of())).orElseThrow();
    assertThat(e.getSecurityPolicyUri()).isEqualTo(SecurityPolicy.Basic256Sha256.getUri());
    assertThat(e.getSecurityMode()).isEqualTo(MessageSecurityMode.SignAndEncrypt);
    assertThat(e.getSecurityLevel().intValue()).isEqualTo(10);
    assertThat(e.getEndpointUrl()).isEqualTo("opc.tcp://127.0.0.1:50123/atelier");
  }

  @Test
  void prefersAnEndpointThatAcceptsTheConfiguredIdentity() {
    EndpointDescription e =
        EndpointChooser.choose(
                offered,
                settings(
                    Map.of(
                        "identity", Map.of("type", "username", "username", "u", "password", "p"))))
            .orElseThrow();
    assertThat(e.getSecurityLevel().intValue()).isEqualTo(9);
  }

  @Test
  void findsNothingWhenTheServerLacksTheConfiguredSecurityAndSaysWhatItOffers() {
    assertThat(
            EndpointChooser.choose(
                offered, settings(Map.of("securityPolicy", "Aes256_Sha256_RsaPss"))))
        .isEmpty();
    assertThat(EndpointChooser.describe(offered))
        .isEqualTo("None/None, Basic256Sha256/Sign, Basic256Sha256/SignAndEncrypt");
  }
}
