package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.opcua.OpcUaConfigReader.OpcUaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpcUaConfigReaderTest {

  private static final Map<String, Object> SIGNAL = Map.of("name", "speed", "node", "i=2258");

  private static List<String> problems(Map<String, Object> settings) {
    return problems(settings, List.of(SIGNAL));
  }

  private static List<String> problems(
      Map<String, Object> settings, List<Map<String, Object>> signals) {
    ConfigProblems problems = new ConfigProblems();
    new OpcUaConnectorFactory().validate(Specs.spec(settings, signals), problems);
    return problems.all().stream().map(ConfigProblem::toString).toList();
  }

  private static Map<String, Object> settings(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoint", "opc.tcp://127.0.0.1:4840/atelier");
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaultsToASecureEndpointAndDocumentedDefaults() {
    ConfigProblems problems = new ConfigProblems();
    OpcUaConfig config = OpcUaConfigReader.read(Specs.spec(settings(), List.of(SIGNAL)), problems);

    assertThat(problems.all()).isEmpty();
    OpcUaSettings s = config.settings();
    assertThat(s.securityPolicy()).isEqualTo(SecurityPolicyName.BASIC256SHA256);
    assertThat(s.securityMode()).isEqualTo(SecurityModeName.SIGN_AND_ENCRYPT);
    assertThat(s.identity().type()).isEqualTo(OpcUaSettings.IdentityType.ANONYMOUS);
    assertThat(s.publishingInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.signalDefaults().samplingInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.signalDefaults().queueSize()).isEqualTo(10);
    assertThat(s.maxItemsPerCall()).isEqualTo(1000);
    assertThat(s.trustAll()).isFalse();
    assertThat(s.pkiDirIn(Path.of("/data/sim"))).isEqualTo(Path.of("/data/sim/pki"));
    assertThat(config.signals())
        .singleElement()
        .satisfies(sig -> assertThat(sig.key()).isEqualTo("m1/speed"));
  }

  @Test
  void refusesAnEndpointThatIsNotOpcTcp() {
    assertThat(problems(settings("endpoint", "http://127.0.0.1:4840")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("connections[0].settings.endpoint: expected a URL starting with opc.tcp://");
  }

  @Test
  void reportsAMissingEndpoint() {
    Map<String, Object> s = settings();
    s.remove("endpoint");
    assertThat(problems(s))
        .containsExactly("connections[0].settings.endpoint: missing required field");
  }

  @Test
  void refusesDeprecatedPoliciesUnlessAllowed() {
    assertThat(problems(settings("securityPolicy", "Basic128Rsa15")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("settings.securityPolicy: deprecated security policy")
        .contains("allowDeprecatedPolicies");
    assertThat(problems(settings("securityPolicy", "Basic256"))).hasSize(1);
    assertThat(problems(settings("securityPolicy", "Basic256", "allowDeprecatedPolicies", true)))
        .isEmpty();
  }

  @Test
  void refusesPolicyNoneUnlessAllowed() {
    assertThat(problems(settings("securityPolicy", "None")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("settings.securityPolicy: security policy None")
        .contains("allowNone: true");
    assertThat(problems(settings("securityPolicy", "None", "allowNone", true))).isEmpty();
  }

  @Test
  void acceptsEveryCurrentPolicyWithItsOpcUaSpelling() {
    for (String p : List.of("Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss")) {
      assertThat(problems(settings("securityPolicy", p, "securityMode", "Sign"))).as(p).isEmpty();
      assertThat(problems(settings("securityPolicy", p, "securityMode", "SignAndEncrypt")))
          .as(p)
          .isEmpty();
    }
  }

  @Test
  void refusesAnUnknownPolicyListingTheKnownOnes() {
    assertThat(problems(settings("securityPolicy", "Basic512")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains(
            "expected one of None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss")
        .contains("got: Basic512");
  }

  @Test
  void refusesPolicyAndModeThatDoNotGoTogether() {
    assertThat(problems(settings("securityPolicy", "Basic256Sha256", "securityMode", "None")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("settings.securityMode: security mode None needs security policy None");
    assertThat(
            problems(settings("securityPolicy", "None", "allowNone", true, "securityMode", "Sign")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("security policy None allows only security mode None");
  }

  @Test
  void refusesPasswordOverNoneUnlessAllowed() {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("type", "username");
    identity.put("username", "op");
    identity.put("password", "secret");
    assertThat(
            problems(settings("securityPolicy", "None", "allowNone", true, "identity", identity)))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "connections[0].settings.identity.type: user/password over security policy None")
        .contains("allowPasswordOverNone")
        .doesNotContain("secret");

    identity.put("allowPasswordOverNone", true);
    assertThat(
            problems(settings("securityPolicy", "None", "allowNone", true, "identity", identity)))
        .isEmpty();
    // Over a secure channel the password is encrypted: no flag needed.
    identity.remove("allowPasswordOverNone");
    assertThat(problems(settings("identity", identity))).isEmpty();
  }

  @Test
  void reportsMissingCredentialsAndKeysOfAnotherIdentityType() {
    assertThat(problems(settings("identity", Map.of("type", "username"))))
        .containsExactlyInAnyOrder(
            "connections[0].settings.identity.username: missing required field",
            "connections[0].settings.identity.password: missing required field");
    assertThat(problems(settings("identity", Map.of("type", "anonymous", "password", "x"))))
        .containsExactly(
            "connections[0].settings.identity.password: not used with identity type anonymous");
  }

  @Test
  void checksThatX509IdentityFilesExist(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    assertThat(
            problems(
                settings(
                    "identity",
                    Map.of(
                        "type", "x509",
                        "certFile", cert.toString(),
                        "keyFile", dir.resolve("missing.pem").toString()))))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("connections[0].settings.identity.keyFile: file not found or not readable");
  }

  @Test
  void rejectsUnknownKeysEverywhere() {
    Map<String, Object> signal = new LinkedHashMap<>(SIGNAL);
    signal.put("sampelingInterval", "1s");
    List<String> found =
        problems(
            settings("endpiont", "x", "identity", Map.of("type", "anonymous", "usr", "a")),
            List.of(signal));
    assertThat(found)
        .containsExactlyInAnyOrder(
            "connections[0].settings.endpiont: unknown key",
            "connections[0].settings.identity.usr: unknown key",
            "machines[0].signals[0].sampelingInterval: unknown key");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThat(
            problems(
                settings(
                    "endpoint", "tcp://x",
                    "securityPolicy", "Basic256",
                    "publishingInterval", "fast",
                    "queueSize", 0)))
        .hasSize(4);
  }

  @Test
  void readsSignalOptions() {
    Map<String, Object> signal = new LinkedHashMap<>();
    signal.put("name", "temp");
    signal.put("path", "Objects/Machines/m1/Temperature");
    signal.put("samplingInterval", "100ms");
    signal.put("queueSize", 5);
    signal.put("discardOldest", false);
    signal.put("deadband", Map.of("type", "percent", "value", 2.5));
    Map<String, Object> polled = Map.of("name", "energy", "node", "nsu=urn:x;s=E", "poll", "5s");
    ConfigProblems problems = new ConfigProblems();
    OpcUaConfig config =
        OpcUaConfigReader.read(Specs.spec(settings(), List.of(signal, polled)), problems);

    assertThat(problems.all()).isEmpty();
    SignalConfig temp = config.signals().get(0);
    assertThat(temp.node()).isInstanceOf(NodeRef.BrowsePath.class);
    assertThat(temp.samplingInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(temp.queueSize()).isEqualTo(5);
    assertThat(temp.discardOldest()).isFalse();
    assertThat(temp.deadband())
        .contains(new SignalConfig.Deadband(SignalConfig.Deadband.Type.PERCENT, 2.5));
    assertThat(temp.poll()).isEmpty();
    SignalConfig energy = config.signals().get(1);
    assertThat(energy.node()).isInstanceOf(NodeRef.Expanded.class);
    assertThat(energy.poll()).contains(Duration.ofSeconds(5));
  }

  @Test
  void reportsBadSignalOptionsWithTheirPaths() {
    List<Map<String, Object>> signals =
        List.of(
            Map.of("name", "a"),
            Map.of("name", "b", "node", "i=1", "path", "Objects/X"),
            Map.of("name", "c", "node", "nsu=urn:x;i=abc"),
            Map.of("name", "d", "node", "i=1", "deadband", Map.of("type", "percent", "value", 150)),
            Map.of(
                "name",
                "e",
                "node",
                "i=1",
                "poll",
                "1s",
                "deadband",
                Map.of("type", "absolute", "value", 1)),
            Map.of("name", "f", "node", "i=1", "deadband", Map.of("type", "relative", "value", 1)));
    assertThat(problems(settings(), signals))
        .containsExactly(
            "machines[0].signals[0].node: missing required field (or give a browse path as path:"
                + " Objects/Folder/Variable)",
            "machines[0].signals[1].path: give either node or path, not both (got: Objects/X)",
            "machines[0].signals[2].node: a numeric identifier (i=) must be a whole number (got:"
                + " nsu=urn:x;i=abc)",
            "machines[0].signals[3].deadband.value: must be between 0.0 and 100.0 (got: 150)",
            "machines[0].signals[4].deadband: a deadband filters monitored items and cannot be"
                + " combined with poll",
            "machines[0].signals[5].deadband.type: expected one of absolute, percent (got:"
                + " relative)");
  }

  @Test
  void rejectsSourceOptionsOfMachines() {
    ConnectionSpec base = Specs.spec(settings(), List.of(SIGNAL));
    ConnectionSpec withSource =
        new ConnectionSpec(
            base.id(),
            base.type(),
            base.path(),
            base.settings(),
            List.of(
                new ConnectionSpec.MachineSpec(
                    "m1",
                    base.machines().get(0).ref(),
                    "machines[0]",
                    Map.of("topic", "x"),
                    base.machines().get(0).signals())));
    ConfigProblems problems = new ConfigProblems();
    new OpcUaConnectorFactory().validate(withSource, problems);
    assertThat(problems.all())
        .extracting(ConfigProblem::toString)
        .containsExactly("machines[0].source.topic: unknown key");
  }
}
