package io.atelier.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.gateway.config.HttpSettings.AuthMode;
import io.atelier.gateway.config.HttpSettings.Role;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.testing.TestConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSettingsReaderTest {

  private static final ConnectorRegistry REGISTRY =
      ConnectorRegistry.of(List.of(new TestConnectorFactory()));
  private static final String SECRET = "s3cret-token-value-0123456789";
  private static final Map<String, String> ENV = Map.of("ADMIN_TOKEN", SECRET);

  @TempDir Path dir;

  private HttpSettings read(String http) {
    return new ConfigLoader(REGISTRY, ENV::get).parse("http:\n" + http.indent(2), dir).http();
  }

  private List<String> problems(String http) {
    try {
      read(http);
    } catch (InvalidConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected problems");
  }

  @Test
  void withoutAnAuthSectionTokensAreRequiredAndThereAreNone() {
    HttpSettings s = read("port: 8080");
    assertThat(s.auth().mode()).isEqualTo(AuthMode.TOKENS);
    assertThat(s.auth().tokens()).isEmpty();
    assertThat(s.rateLimit().enabled()).isTrue();
    assertThat(s.tls()).isEmpty();
  }

  @Test
  void discoveryReachesThePrivateNetworksUnlessConfigured() {
    assertThat(read("port: 8080").discover()).isEqualTo(DiscoverTargets.PRIVATE);
    assertThat(read("discover: {allow: [10.20.0.0/16, '*.plant.local']}").discover().entries())
        .containsExactly("10.20.0.0/16", "*.plant.local");
    assertThat(problems("discover: {allow: [10.0.0.0/40, 'bad host!'], deny: []}"))
        .anySatisfy(p -> assertThat(p).contains("http.discover.allow").contains("prefix"))
        .anySatisfy(p -> assertThat(p).contains("http.discover.allow").contains("bad host!"))
        .anySatisfy(p -> assertThat(p).contains("deny"));
  }

  @Test
  void authNoneMustBeSaidExplicitly() {
    assertThat(read("auth: none").auth().mode()).isEqualTo(AuthMode.NONE);
    assertThat(read("auth: {mode: none}").auth().mode()).isEqualTo(AuthMode.NONE);
  }

  @Test
  void tokensAreKeptOnlyAsHashes() {
    HttpSettings s =
        read(
            """
            auth:
              tokens:
                - {name: admin, token: "${ADMIN_TOKEN}", role: admin, scope: all}
                - name: firm-a
                  hash: sha256:ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789
                  role: viewer
                  scope: {machines: [cnc-01], lines: [platform/hall-a/moulding]}
            """);
    assertThat(s.auth().tokens()).hasSize(2);
    HttpSettings.ApiToken admin = s.auth().tokens().get(0);
    assertThat(admin.sha256()).isEqualTo(HttpSettingsReader.sha256Hex(SECRET));
    assertThat(admin.role()).isEqualTo(Role.ADMIN);
    assertThat(admin.scope().all()).isTrue();
    assertThat(s.toString()).doesNotContain(SECRET).doesNotContain(admin.sha256());
    HttpSettings.Scope firm = s.auth().tokens().get(1).scope();
    assertThat(s.auth().tokens().get(1).sha256()).startsWith("abcdef0123");
    assertThat(firm.allowsMachine("cnc-01", MachineRef.parse("platform/hall-a/machining/cnc-01")))
        .isTrue();
    assertThat(
            firm.allowsMachine("robot-01", MachineRef.parse("platform/hall-a/machining/robot-01")))
        .isFalse();
    assertThat(firm.allowsMachine("imm-01", MachineRef.parse("platform/hall-a/moulding/imm-01")))
        .isTrue();
    assertThat(firm.allowsLine(MachineRef.parse("platform/hall-a/machining/cnc-01"))).isFalse();
  }

  @Test
  void reportsEveryTokenProblemWithoutQuotingSecrets() {
    List<String> p =
        problems(
            """
            auth:
              mode: tokens
              tokens:
                - {name: short, token: abc, role: admin, scope: all}
                - {name: both, token: "${ADMIN_TOKEN}", hash: "sha256:00", role: admin, scope: all}
                - {name: badhash, hash: "md5:1234", role: viewer, scope: all}
                - {name: norole, token: "another-long-token-123456", scope: all}
                - {name: noscope, token: "third-long-token-1234567", role: viewer}
                - {name: empty, token: "fourth-long-token-1234567", role: viewer, scope: {}}
                - {name: boss, token: "fifth-long-token-12345678", role: king, scope: all}
                - {name: dup, token: "sixth-long-token-123456789", role: viewer, scope: all}
                - {name: dup, token: "seventh-long-token-12345678", role: viewer, scope: all}
                - {name: same, token: "sixth-long-token-123456789", role: viewer, scope: all}
            """);
    String all = String.join("\n", p);
    assertThat(all)
        .contains("http.auth.tokens[0].token: too short")
        .contains("http.auth.tokens[1]: give exactly one of 'token'")
        .contains("http.auth.tokens[2].hash: expected sha256:")
        .contains("http.auth.tokens[3].role: missing required field")
        .contains("http.auth.tokens[4].scope: missing required field")
        .contains("http.auth.tokens[5].scope: an empty scope sees nothing")
        .contains("http.auth.tokens[6].role: expected one of viewer, operator, admin")
        .contains("http.auth.tokens[8].name: duplicate token name")
        .contains("http.auth.tokens[9]: two tokens have the same secret");
    assertThat(all).doesNotContain(SECRET).doesNotContain("abc)").doesNotContain("long-token");
  }

  @Test
  void refusesTokensWithModeNoneAndWildcardOrigins() {
    List<String> p =
        problems(
            """
            auth:
              mode: none
              tokens:
                - {name: admin, token: "${ADMIN_TOKEN}", role: admin, scope: all}
            cors:
              origins: ["*", "https://ok.example", "https://bad.example/path", "ftp://x"]
            rateLimit: {perSecond: -1}
            live: {maxRate: 0}
            bodyLimit: 10
            colour: blue
            """);
    String all = String.join("\n", p);
    assertThat(all)
        .contains("http.auth.tokens: tokens are never checked with mode none")
        .contains("http.cors.origins: '*' would let any web site use the API")
        .contains("https://bad.example/path")
        .contains("ftp://x")
        .contains("http.rateLimit.perSecond")
        .contains("http.live.maxRate")
        .contains("http.bodyLimit")
        .contains("http.colour: unknown key")
        .doesNotContain("https://ok.example");
  }

  @Test
  void tlsNeedsReadablePemFiles() throws Exception {
    assertThat(String.join("\n", problems("tls: {certificate: cert.pem, key: key.pem}")))
        .contains("http.tls.certificate: cannot read the PEM file")
        .contains("http.tls.key: cannot read the PEM file");
    Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----");
    Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----");
    HttpSettings s = read("tls: {certificate: cert.pem, key: key.pem}");
    assertThat(s.tls())
        .hasValueSatisfying(t -> assertThat(t.key()).isEqualTo(dir.resolve("key.pem")));
  }

  @Test
  void theHttpPortFlagKeepsEverythingElse() {
    HttpSettings s = read("auth: none\ncors: {origins: [https://a.example]}");
    HttpSettings moved = s.withPort(9999);
    assertThat(moved.port()).isEqualTo(9999);
    assertThat(moved.auth()).isEqualTo(s.auth());
    assertThat(moved.corsOrigins()).containsExactly("https://a.example");
  }
}
