package io.atelier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class InfluxServerIT {

  @RegisterExtension static final InfluxExtension influx = new InfluxExtension();

  private static final String POINTS =
      String.join(
          "\n",
          "signals,site=platform,machine=cnc-01 spindle_speed=1200.5 1700000000000",
          "signals,site=platform,machine=cnc-01 spindle_speed=1300.25 1700000001000",
          "signals,site=platform,machine=imm-01 good_count=42i 1700000001000");

  @Test
  void writtenPointsCanBeQueriedBack() {
    InfluxServer server = influx.server();
    server.createDatabase("roundtrip");

    server.write("roundtrip", POINTS, "ms");

    assertThat(server.count("roundtrip", "signals")).isEqualTo(3);
    assertThat(server.countField("roundtrip", "signals", "spindle_speed")).isEqualTo(2);
    List<ObjectNode> rows =
        server.rows(
            "roundtrip",
            "SELECT spindle_speed FROM signals WHERE machine = 'cnc-01' GROUP BY site");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("time").asLong()).isEqualTo(1700000000000L);
    assertThat(rows.get(0).get("site").asText()).isEqualTo("platform");
    assertThat(rows)
        .extracting(row -> row.get("spindle_speed").asDouble())
        .containsExactly(1200.5, 1300.25);
  }

  // Fault tests take the database away and bring it back: acknowledged points must still be there.
  @Test
  void dataSurvivesStopAndKillOnTheSamePort() {
    InfluxServer server = influx.server();
    server.createDatabase("durable");
    server.write("durable", POINTS, "ms");
    int port = server.port();

    server.stop();
    server.start();
    assertThat(server.count("durable", "signals")).isEqualTo(3);

    server.write(
        "durable", "signals,site=platform,machine=cnc-01 spindle_speed=1.0 1700000002000", "ms");
    server.kill();
    assertThat(server.isRunning()).isFalse();
    server.start();

    assertThat(server.port()).isEqualTo(port);
    assertThat(server.count("durable", "signals")).isEqualTo(4);
  }

  @Test
  void badInfluxQlFailsWithTheServersMessage() {
    assertThatThrownBy(() -> influx.server().query("nope", "SELEKT 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("error parsing query");
  }
}
