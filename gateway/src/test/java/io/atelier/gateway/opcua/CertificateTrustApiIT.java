package io.atelier.gateway.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.testsupport.FreePort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate trust end to end through the gateway's HTTP API: a connection with Basic256Sha256 /
 * SignAndEncrypt and full validation (trustAll false) meets the simulator (a separate JVM) whose
 * certificate it has never seen. It refuses it, the API lists it as rejected, an operator trusts it
 * through the API, and the same running gateway connects and collects.
 */
@Timeout(180)
class CertificateTrustApiIT {

  @TempDir Path dir;

  @Test
  void anUntrustedServerIsRejectedAndTrustingItThroughTheApiConnectsWithoutARestart()
      throws Exception {
    int opcua = FreePort.pick();
    String yaml =
        """
        connections:
          - id: sim
            type: opcua
            settings:
              endpoint: opc.tcp://127.0.0.1:%d/atelier
              securityPolicy: Basic256Sha256
              securityMode: SignAndEncrypt
              trustAll: false
              applicationUri: urn:atelier:gateway:test
        machines:
          - id: cnc-01
            path: platform/hall-a/machining/cnc-01
            connection: sim
            signals:
              - name: spindle_speed
                node: "nsu=urn:atelier:simulator;s=cnc-01/CncInterface/CncSpindleList/Spindle1/ActSpeed"
              - name: coolant_temperature_c
                node: "nsu=urn:atelier:simulator;s=cnc-01/Monitoring/Coolant/Temperature"
        """
            .formatted(opcua);
    try (SimulatorProcess sim =
            SimulatorProcess.start(
                opcua, FreePort.pick(), dir.resolve("sim"), dir.resolve("sim.log"));
        OpcUaGateway gw = OpcUaGateway.start(OpcUaGateway.header(dir.resolve("gw")) + yaml, dir)) {

      // Refused, and listed as rejected through the API.
      JsonObject rejected =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> rejectedCertificate(gw), c -> c != null);
      JsonObject connection = connection(gw);
      assertThat(connection.getString("status")).isEqualTo("ERROR");
      assertThat(connection.getString("lastError"))
          .containsIgnoringCase(rejected.getString("thumbprint"));
      assertThat(gw.app().lastValues().signals("cnc-01")).isEmpty();
      assertThat(sim.monitoredItems()).isZero();

      // A viewer may not trust it; an operator may.
      String trustPath =
          "/api/connections/sim/certificates/" + rejected.getString("thumbprint") + "/trust";
      assertThat(gw.post(trustPath, OpcUaGateway.VIEWER).statusCode()).isEqualTo(403);
      Instant trusted = Instant.now();
      HttpResponse<String> trust = gw.post(trustPath, OpcUaGateway.OPERATOR);
      assertThat(trust.statusCode()).as(trust.body()).isEqualTo(200);
      assertThat(new JsonObject(trust.body()).getString("status")).isEqualTo("trusted");

      // The running gateway connects and collects: no restart.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Map<String, Sample> got = gw.app().lastValues().signals("cnc-01");
                assertThat(got).containsKeys("spindle_speed", "coolant_temperature_c");
                assertThat(got.values()).allMatch(s -> s.quality().level() == Quality.Level.GOOD);
              });
      assertThat(connection(gw).getString("status")).isEqualTo("CONNECTED");
      assertThat(sim.monitoredItems()).isEqualTo(2);
      JsonArray after = certificates(gw);
      assertThat(after.stream().map(o -> ((JsonObject) o).getString("status")))
          .contains("trusted")
          .doesNotContain("rejected");
      System.out.printf(
          "certificate trusted through the API: collecting %d ms later%n",
          Duration.between(trusted, Instant.now()).toMillis());
    }
  }

  private static JsonObject rejectedCertificate(OpcUaGateway gw) throws Exception {
    for (Object o : certificates(gw)) {
      JsonObject c = (JsonObject) o;
      if ("rejected".equals(c.getString("status"))) {
        return c;
      }
    }
    return null;
  }

  private static JsonArray certificates(OpcUaGateway gw) throws Exception {
    HttpResponse<String> r = gw.get("/api/connections/sim/certificates", OpcUaGateway.VIEWER);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("certificates");
  }

  private static JsonObject connection(OpcUaGateway gw) throws Exception {
    return new JsonObject(gw.get("/api/connections/sim", OpcUaGateway.VIEWER).body());
  }
}
