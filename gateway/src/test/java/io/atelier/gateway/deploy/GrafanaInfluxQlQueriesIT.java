package io.atelier.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atelier.testsupport.InfluxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs every query of the InfluxQL dashboards against a real InfluxDB (Debian's 1.6.7) holding a
 * few points in the schema of DESIGN §3, with the Grafana variables filled in as Grafana would.
 * Every query must parse and every panel must find data: a query that InfluxDB rejects, or whose
 * filter matches nothing the gateway writes, shows as an empty panel in Grafana. (The Flux variants
 * cannot run here: InfluxDB 1.6 has no Flux; GrafanaDashboardsTest scans them.)
 */
@Timeout(120)
class GrafanaInfluxQlQueriesIT {

  @RegisterExtension static final InfluxExtension INFLUX = new InfluxExtension();

  private static final String DB = "atelier";

  @Test
  void everyInfluxQlDashboardQueryRunsAndFindsData() throws Exception {
    INFLUX.server().createDatabase(DB);
    INFLUX.server().write(DB, points(System.currentTimeMillis()), "ms");

    List<String> empty = new ArrayList<>();
    int ran = 0;
    for (String name : GrafanaDashboardsTest.NAMES) {
      JsonNode d = GrafanaDashboardsTest.read("influxql", name);
      for (Map.Entry<String, String> q : GrafanaDashboardsTest.queries(d).entrySet()) {
        String query = substitute(q.getValue(), name.startsWith("training"));
        JsonNode result = INFLUX.server().query(DB, query); // throws with InfluxDB's error
        ran++;
        if (result.path("results").path(0).path("series").isEmpty()) {
          empty.add(name + " " + q.getKey() + ": " + query);
        }
      }
    }
    assertThat(ran).isGreaterThan(30);
    assertThat(empty).as("queries that found nothing").isEmpty();
  }

  /** What Grafana puts in place of the variables, for one machine of one line. */
  private static String substitute(String query, boolean session) {
    return query
        .replace("$timeFilter", "time > now() - 1h")
        .replace("$__interval", "10s")
        .replace("'$window'", session ? "'session:s1'" : "'1h'")
        .replace("'$session'", "'session:s1'")
        .replace("'$machine'", "'cnc-01'")
        .replace("$machine", "(cnc-01|robot-01)")
        .replace("$line", "(machining)")
        .replace("$signal", "(power_kw|spindle_speed)");
  }

  /** A minute of what the gateway writes for two machines and their line, in line protocol. */
  private static String points(long now) {
    StringBuilder lp = new StringBuilder();
    String kpi =
        "oee=0.61,availability=0.8,effectiveness=0.9,quality=0.85,throughput_per_h=70.5,"
            + "pq=100,gq=85,sq=15,apt_s=2880,setup_s=300,adet_s=300,adot_s=120,planned_down_s=0,"
            + "offline_s=0,mtbf_s=1440,mttr_s=150,energy_per_part_wh=120.5";
    for (String machine : List.of("cnc-01", "robot-01")) {
      String tags = "site=platform,area=hall-a,line=machining,machine=" + machine;
      for (int i = 0; i < 6; i++) {
        long t = now - 60_000 + i * 10_000;
        lp.append("signals,")
            .append(tags)
            .append(" power_kw=")
            .append(4 + i)
            .append(",spindle_speed=12000.5,cycle_time_s=47.1,ideal_cycle_time_s=45.0,good_count=")
            .append(10 + i)
            .append("i,reject_count=1i,state=\"PRODUCING\" ")
            .append(t)
            .append('\n');
        for (String window : List.of("1h", "session:s1")) {
          lp.append("kpi,")
              .append(tags)
              .append(",window=")
              .append(window)
              .append(' ')
              .append(kpi)
              .append(' ')
              .append(t)
              .append('\n');
        }
      }
      lp.append("machine_state,")
          .append(tags)
          .append(" state=\"DOWN\",iso_bucket=\"ADET\",native_state=\"OutOfService\",")
          .append("reason=\"tool-breakage\" ")
          .append(now - 50_000)
          .append('\n');
      lp.append("machine_state,")
          .append(tags)
          .append(" state=\"PRODUCING\",iso_bucket=\"APT\",native_state=\"Executing\",reason=\"\" ")
          .append(now - 20_000)
          .append('\n');
    }
    for (String window : List.of("1h", "session:s1")) {
      lp.append("kpi,site=platform,area=hall-a,line=machining,machine=_line,window=")
          .append(window)
          .append(' ')
          .append(kpi)
          .append(' ')
          .append(now - 10_000)
          .append('\n');
    }
    return lp.toString();
  }
}
