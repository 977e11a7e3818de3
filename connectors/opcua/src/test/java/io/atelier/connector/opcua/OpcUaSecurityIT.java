package io.atelier.connector.opcua;

import static io.atelier.connector.opcua.Futures.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.Quality;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security against the simulator's secure endpoints: each policy with SignAndEncrypt works once the
 * server certificate is trusted; an untrusted certificate is refused, shows up as rejected, and
 * trusting it lets the running connector connect; passwords are never sent over None unless
 * allowed, and a wrong password is an ERROR an operator sees.
 */
@Timeout(180)
class OpcUaSecurityIT {

  @TempDir Path serverPki;
  @TempDir Path dataDir;
  private final Vertx vertx = Vertx.vertx();
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Simulator simulator() throws Exception {
    Simulator sim = new Simulator(serverPki, List.of("cnc-01")).start();
    cleanup.push(sim);
    return sim;
  }

  private OpcUaConnector connector(ConnectionSpec spec, CollectingSink sink) {
    OpcUaConnector c =
        (OpcUaConnector)
            new OpcUaConnectorFactory().create(new ConnectorContext(vertx, spec, sink, dataDir));
    cleanup.push(() -> done(c.stop()));
    return c;
  }

  private static Map<String, Object> secure(Simulator sim, String policy) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("endpoint", sim.endpoint());
    s.put("securityPolicy", policy);
    s.put("securityMode", "SignAndEncrypt");
    s.put("publishingInterval", "100ms");
    return s;
  }

  /** What an operator does by hand today: drop the server certificate into trusted/certs. */
  private void preTrust(X509Certificate cert) throws Exception {
    Path trusted = dataDir.resolve("pki/trusted/certs");
    Files.createDirectories(trusted);
    Files.write(trusted.resolve(CertificateStore.fingerprint(cert) + ".der"), cert.getEncoded());
  }

  private static void awaitGood(CollectingSink sink, String signal, Object value) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(sink.last("cnc-01", signal))
                    .hasValueSatisfying(
                        s -> {
                          assertThat(s.value()).isEqualTo(value);
                          assertThat(s.quality()).isEqualTo(Quality.GOOD);
                        }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"})
  void eachSecureEndpointWorksOnceItsCertificateIsTrusted(String policy) throws Exception {
    Simulator sim = simulator();
    preTrust(sim.server().certificate());
    CollectingSink sink = new CollectingSink();
    OpcUaConnector connector = connector(sim.spec(secure(sim, policy)), sink);
    done(connector.start());

    sim.set("cnc-01", "spindle_speed", 321.0);
    awaitGood(sink, "spindle_speed", 321.0);
    assertThat(connector.status().state()).isEqualTo(State.CONNECTED);
    assertThat(connector.certificates().rejected()).isEmpty();
  }

  @Test
  void anUntrustedServerIsRefusedShownAsRejectedAndTrustedWithoutARestart() throws Exception {
    Simulator sim = simulator();
    String fingerprint = CertificateStore.fingerprint(sim.server().certificate());
    CollectingSink sink = new CollectingSink();
    OpcUaConnector connector = connector(sim.spec(secure(sim, "Basic256Sha256")), sink);
    done(connector.start());

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(connector.status().state()).isEqualTo(State.ERROR);
              assertThat(connector.status().lastError())
                  .hasValueSatisfying(
                      e ->
                          assertThat(e)
                              .contains("not trusted yet")
                              .contains(fingerprint)
                              .contains("rejected"));
              assertThat(connector.certificates().rejected())
                  .extracting(CertInfo::fingerprint)
                  .contains(fingerprint);
            });
    assertThat(sink.all()).isEmpty();

    assertThat(connector.certificates().trust(fingerprint)).isPresent();
    sim.set("cnc-01", "good_count", 99L);
    awaitGood(sink, "good_count", 99L);
    assertThat(connector.status().state()).isEqualTo(State.CONNECTED);
    assertThat(connector.certificates().trusted())
        .extracting(CertInfo::fingerprint)
        .contains(fingerprint);
    assertThat(connector.certificates().rejected()).isEmpty();
  }

  @Test
  void aPasswordOverNoneIsRefusedUnlessAllowed() throws Exception {
    Simulator sim = simulator();
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("type", "username");
    identity.put("username", "atelier");
    identity.put("password", "atelier");
    Map<String, Object> settings = sim.noneSettings();
    settings.put("identity", identity);

    ConfigProblems problems = new ConfigProblems();
    new OpcUaConnectorFactory().validate(sim.spec(settings), problems);
    assertThat(problems.all())
        .extracting(ConfigProblem::path)
        .containsExactly("connections[0].settings.identity.type");

    // Allowed explicitly: the simulator's token policy still encrypts the password with its
    // certificate, which the gateway must trust for that.
    identity.put("allowPasswordOverNone", true);
    preTrust(sim.server().certificate());
    CollectingSink sink = new CollectingSink();
    OpcUaConnector connector = connector(sim.spec(settings), sink);
    done(connector.start());
    sim.set("cnc-01", "program", "user-session");
    awaitGood(sink, "program", "user-session");
  }

  @Test
  void aWrongPasswordIsAnErrorAnOperatorSees() throws Exception {
    Simulator sim = simulator();
    preTrust(sim.server().certificate());
    Map<String, Object> settings = secure(sim, "Basic256Sha256");
    settings.put(
        "identity", Map.of("type", "username", "username", "atelier", "password", "wrong"));
    OpcUaConnector connector = connector(sim.spec(settings), new CollectingSink());
    done(connector.start());

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(connector.status().state()).isEqualTo(State.ERROR);
              assertThat(connector.status().lastError())
                  .hasValueSatisfying(
                      e ->
                          assertThat(e)
                              .containsAnyOf(
                                  "Bad_UserAccessDenied",
                                  "Bad_IdentityTokenRejected",
                                  "Bad_IdentityTokenInvalid"))
                  .hasValueSatisfying(e -> assertThat(e).doesNotContain("wrong"));
            });
  }
}
