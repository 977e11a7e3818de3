package io.atelier.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.atelier.gateway.kpi.KpiFormulas;
import io.atelier.gateway.kpi.MachineState;
import io.atelier.simulator.machine.MachineType;
import io.atelier.simulator.machine.ProcessModel;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SimulatedMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Grafana dashboards (dashboards/grafana) must only query what the gateway writes: the
 * measurements, tags and fields of DESIGN §3. A renamed KPI constant, signal or measurement breaks
 * this test instead of leaving a dashboard silently empty.
 */
@Timeout(30)
class GrafanaDashboardsTest {

  static final Path GRAFANA = Path.of("../dashboards/grafana");
  static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
  static final List<String> NAMES =
      List.of("platform-overview.json", "machine-detail.json", "training-session.json");

  /** The InfluxDB schema, DESIGN §3. KPI fields are the engine's constants themselves. */
  static final Set<String> MACHINE_TAGS = Set.of("site", "area", "line", "machine");

  static final Set<String> KPI_FIELDS =
      Set.of(
          KpiFormulas.AVAILABILITY,
          KpiFormulas.EFFECTIVENESS,
          KpiFormulas.QUALITY,
          KpiFormulas.OEE,
          KpiFormulas.THROUGHPUT_PER_H,
          KpiFormulas.SETUP_RATIO,
          KpiFormulas.TECHNICAL_EFFICIENCY,
          KpiFormulas.SCRAP_RATIO,
          KpiFormulas.MTBF_S,
          KpiFormulas.MTTR_S,
          KpiFormulas.ENERGY_PER_PART_WH,
          KpiFormulas.APT_S,
          KpiFormulas.PBT_S,
          KpiFormulas.ADET_S,
          KpiFormulas.ADOT_S,
          KpiFormulas.SETUP_S,
          KpiFormulas.PLANNED_DOWN_S,
          KpiFormulas.OFFLINE_S,
          KpiFormulas.MICRO_STOP_S,
          KpiFormulas.MICRO_STOPS,
          KpiFormulas.FAILURES,
          KpiFormulas.ELAPSED_S,
          KpiFormulas.PQ,
          KpiFormulas.GQ,
          KpiFormulas.SQ,
          KpiFormulas.ENERGY_KWH);

  /** machine_state fields (MachineStateChange: state, isoBucket, nativeState, reason). */
  static final Set<String> STATE_FIELDS = Set.of("state", "iso_bucket", "native_state", "reason");

  static final QueryScanner.Schema SCHEMA =
      new QueryScanner.Schema(
          Map.of(
              "signals", MACHINE_TAGS,
              "machine_state", MACHINE_TAGS,
              "kpi", union(MACHINE_TAGS, Set.of("window"))),
          Map.of("signals", signalFields(), "machine_state", STATE_FIELDS, "kpi", KPI_FIELDS));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /** Every signal a simulated machine of any type publishes (simulators/README.md tables). */
  static Set<String> signalFields() {
    Set<String> names = new TreeSet<>();
    SimulatedMachine.COMMON_SIGNALS.forEach(s -> names.add(s.name()));
    for (MachineType type : MachineType.values()) {
      for (SignalDef s : ProcessModel.of(type, new SplittableRandom(1)).signals()) {
        names.add(s.name());
      }
    }
    return names;
  }

  @Test
  void bothVariantsHaveTheThreeDashboardsWithUniqueUidsAndTidyLayouts() throws IOException {
    Set<String> uids = new HashSet<>();
    for (String lang : List.of("flux", "influxql")) {
      try (Stream<Path> files = Files.list(DASHBOARDS.resolve(lang))) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrderElementsOf(NAMES);
      }
      for (String name : NAMES) {
        JsonNode d = read(lang, name);
        String where = lang + "/" + name;
        assertThat(d.path("uid").asText()).as(where + " uid").isNotBlank();
        assertThat(uids.add(d.path("uid").asText())).as(where + " uid is unique").isTrue();
        assertThat(d.path("title").asText()).as(where + " title").startsWith("Atelier");
        assertThat(d.path("schemaVersion").asInt()).as(where + " schemaVersion").isGreaterThan(36);
        assertThat(d.path("panels").size()).as(where + " panels").isGreaterThan(3);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
          assertThat(ids.add(p.path("id").asInt())).as(where + " panel id unique").isTrue();
          JsonNode g = p.path("gridPos");
          assertThat(g.path("x").asInt() + g.path("w").asInt())
              .as(where + " '" + p.path("title").asText() + "' fits 24 columns")
              .isBetween(1, 24);
          if (p.has("targets")) {
            assertThat(p.path("datasource").path("uid").asText())
                .as(where + " panel data source is the dashboard's variable")
                .isEqualTo("${datasource}");
          }
        }
      }
    }
  }

  @Test
  void everyFluxQueryUsesOnlyMeasurementsTagsAndFieldsOfTheSchema() throws IOException {
    List<String> problems = new ArrayList<>();
    int scanned = 0;
    for (String name : NAMES) {
      for (Map.Entry<String, String> q : queries(read("flux", name)).entrySet()) {
        scanned++;
        QueryScanner.flux(q.getValue(), SCHEMA)
            .forEach(p -> problems.add("flux/" + name + " " + q.getKey() + ": " + p));
      }
    }
    assertThat(scanned).isGreaterThan(30);
    assertThat(problems).isEmpty();
  }

  @Test
  void everyInfluxQlQueryUsesOnlyMeasurementsTagsAndFieldsOfTheSchema() throws IOException {
    List<String> problems = new ArrayList<>();
    int scanned = 0;
    for (String name : NAMES) {
      JsonNode d = read("influxql", name);
      for (Map.Entry<String, String> q : queries(d).entrySet()) {
        scanned++;
        QueryScanner.influxql(q.getValue(), SCHEMA)
            .forEach(p -> problems.add("influxql/" + name + " " + q.getKey() + ": " + p));
      }
      for (JsonNode p : d.path("panels")) {
        for (JsonNode t : p.path("targets")) {
          // An alias $tag_x shows tag x only if the query groups by it.
          Matcher m = Pattern.compile("\\$tag_(\\w+)").matcher(t.path("alias").asText());
          while (m.find()) {
            if (!t.path("query").asText().matches("(?s).*GROUP BY.*\"" + m.group(1) + "\".*")) {
              problems.add(name + " " + p.path("title").asText() + ": alias without GROUP BY");
            }
          }
        }
      }
    }
    assertThat(scanned).isGreaterThan(30);
    assertThat(problems).isEmpty();
  }

  @Test
  void everyVariableAQueryOrTitleUsesIsDefined() throws IOException {
    Set<String> builtIn = Set.of("timeFilter", "__interval", "__interval_ms", "__range", "col");
    Pattern ref = Pattern.compile("\\$\\{?(\\w+)");
    for (String lang : List.of("flux", "influxql")) {
      for (String name : NAMES) {
        JsonNode d = read(lang, name);
        Set<String> defined = new HashSet<>(builtIn);
        d.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
        List<String> texts = new ArrayList<>(queries(d).values());
        d.path("panels").forEach(p -> texts.add(p.path("title").asText()));
        for (String text : texts) {
          Matcher m = ref.matcher(text);
          while (m.find()) {
            if (!m.group(1).startsWith("tag_")) {
              assertThat(defined).as(lang + "/" + name + ": $" + m.group(1)).contains(m.group(1));
            }
          }
        }
      }
    }
  }

  @Test
  void stateColoursCoverEveryMachineState() throws IOException {
    int panels = 0;
    for (String lang : List.of("flux", "influxql")) {
      for (String name : NAMES) {
        for (JsonNode p : read(lang, name).path("panels")) {
          JsonNode mappings = p.path("fieldConfig").path("defaults").path("mappings");
          boolean showsState =
              p.path("type").asText().equals("state-timeline")
                  || p.path("title").asText().startsWith("State");
          if (showsState) {
            panels++;
            Set<String> mapped = new HashSet<>();
            mappings.forEach(m -> m.path("options").fieldNames().forEachRemaining(mapped::add));
            for (MachineState s : MachineState.values()) {
              assertThat(mapped).as(lang + "/" + name + " " + p.path("title")).contains(s.name());
            }
          }
        }
      }
    }
    assertThat(panels).isGreaterThanOrEqualTo(8);
  }

  @Test
  void provisioningDefinesTheDataSourcesAndFoldersTheDashboardsUse() throws IOException {
    JsonNode ds =
        YAML.readTree(GRAFANA.resolve("provisioning/datasources/atelier-influxdb.yaml").toFile());
    Map<String, JsonNode> byUid = new LinkedHashMap<>();
    ds.path("datasources").forEach(d -> byUid.put(d.path("uid").asText(), d));
    JsonNode flux = byUid.get("atelier-influxdb-flux");
    JsonNode influxql = byUid.get("atelier-influxdb-influxql");
    assertThat(flux.path("jsonData").path("version").asText()).isEqualTo("Flux");
    assertThat(flux.path("secureJsonData").path("token").asText()).isEqualTo("${INFLUX_TOKEN}");
    assertThat(influxql.path("jsonData").path("dbName").asText()).isNotBlank();
    assertThat(influxql.path("secureJsonData").path("httpHeaderValue1").asText())
        .isEqualTo("Token ${INFLUX_TOKEN}");
    for (String lang : List.of("flux", "influxql")) {
      for (String name : NAMES) {
        JsonNode var = read(lang, name).path("templating").path("list").get(0);
        assertThat(var.path("type").asText()).isEqualTo("datasource");
        assertThat(var.path("current").path("value").asText())
            .as(lang + "/" + name + " default data source")
            .isEqualTo("atelier-influxdb-" + lang);
      }
    }
    JsonNode providers =
        YAML.readTree(GRAFANA.resolve("provisioning/dashboards/atelier.yaml").toFile());
    List<String> paths = new ArrayList<>();
    providers.path("providers").forEach(p -> paths.add(p.path("options").path("path").asText()));
    assertThat(paths)
        .containsExactly("/etc/grafana/dashboards/flux", "/etc/grafana/dashboards/influxql");
  }

  @Test
  void theScannerCatchesQueriesOutsideTheSchema() {
    // Why: a scanner that finds nothing would make the two tests above pass vacuously.
    String ok =
        "from(bucket: v.defaultBucket) |> range(start: v.timeRangeStart)"
            + " |> filter(fn: (r) => r._measurement == \"kpi\" and r._field == \"oee\""
            + " and r.window == \"1h\" and contains(value: r.machine, set: ${machine:json}))";
    assertThat(QueryScanner.flux(ok, SCHEMA)).isEmpty();
    assertThat(QueryScanner.flux(ok.replace("\"oee\"", "\"oeee\""), SCHEMA))
        .anyMatch(p -> p.contains("oeee"));
    assertThat(QueryScanner.flux(ok.replace("\"kpi\"", "\"kpis\""), SCHEMA))
        .anyMatch(p -> p.contains("kpis"));
    assertThat(QueryScanner.flux(ok.replace("r.window", "r.windw"), SCHEMA))
        .anyMatch(p -> p.contains("windw"));
    assertThat(QueryScanner.flux(ok.replace("\"oee\"", "\"power_kw\""), SCHEMA))
        .as("a signal is not a KPI field")
        .anyMatch(p -> p.contains("power_kw"));
    assertThat(QueryScanner.flux(ok.replace("\"1h\"", "\"2h\""), SCHEMA))
        .anyMatch(p -> p.contains("2h"));
    assertThat(QueryScanner.flux(ok.replace("v.defaultBucket", "\"atelier\""), SCHEMA))
        .anyMatch(p -> p.contains("bucket"));
    assertThat(QueryScanner.flux(ok.replace(" |> range(start: v.timeRangeStart)", ""), SCHEMA))
        .anyMatch(p -> p.contains("range"));
    assertThat(
            QueryScanner.flux(
                "schema.tagValues(bucket: v.defaultBucket, tag: \"machin\","
                    + " predicate: (r) => r._measurement == \"signals\")",
                SCHEMA))
        .anyMatch(p -> p.contains("machin"));

    String iq =
        "SELECT last(\"oee\") AS \"OEE\", mean(\"quality\") FROM \"kpi\" WHERE \"window\" ="
            + " '$window' AND \"machine\" =~ /^$machine$/ AND $timeFilter"
            + " GROUP BY time($__interval), \"machine\" fill(none)";
    assertThat(QueryScanner.influxql(iq, SCHEMA)).isEmpty();
    assertThat(QueryScanner.influxql(iq.replace("\"quality\"", "\"qualty\""), SCHEMA))
        .anyMatch(p -> p.contains("qualty"));
    assertThat(QueryScanner.influxql(iq.replace("last(\"oee\")", "last(oeee)"), SCHEMA))
        .anyMatch(p -> p.contains("oeee"));
    assertThat(QueryScanner.influxql(iq.replace("\"window\" =", "\"windw\" ="), SCHEMA))
        .anyMatch(p -> p.contains("windw"));
    assertThat(QueryScanner.influxql(iq.replace(", \"machine\" fill", ", \"oee\" fill"), SCHEMA))
        .as("GROUP BY takes tags only")
        .anyMatch(p -> p.contains("oee"));
    assertThat(QueryScanner.influxql(iq.replace("FROM \"kpi\"", "FROM \"signals\""), SCHEMA))
        .anyMatch(p -> p.contains("oee"));
    assertThat(QueryScanner.influxql(iq.replace("FROM \"kpi\"", "FROM \"kpis\""), SCHEMA))
        .anyMatch(p -> p.contains("kpis"));
    assertThat(
            QueryScanner.influxql("SHOW TAG VALUES FROM \"signals\" WITH KEY = \"window\"", SCHEMA))
        .anyMatch(p -> p.contains("window"));
  }

  /** Every query of a dashboard: panel targets and query variables, keyed by where they are. */
  static Map<String, String> queries(JsonNode dashboard) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode p : dashboard.path("panels")) {
      for (JsonNode t : p.path("targets")) {
        out.put(
            "panel '" + p.path("title").asText() + "' " + t.path("refId").asText(),
            t.path("query").asText());
      }
    }
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        JsonNode q = v.path("query");
        out.put(
            "variable " + v.path("name").asText(),
            q.isObject() ? q.path("query").asText() : q.asText());
      }
    }
    return out;
  }

  static JsonNode read(String lang, String name) throws IOException {
    return JSON.readTree(DASHBOARDS.resolve(lang).resolve(name).toFile());
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  /**
   * A small scanner of the query patterns the dashboards use: good enough to catch a misspelt or
   * renamed measurement, tag or field, not a parser. It reports problems instead of throwing.
   */
  static final class QueryScanner {

    /** Tags and fields per measurement. */
    record Schema(Map<String, Set<String>> tags, Map<String, Set<String>> fields) {}

    private static final Set<String> FLUX_COLUMNS =
        Set.of("_measurement", "_field", "_value", "_time", "_start", "_stop");
    private static final Pattern FLUX_MEASUREMENT =
        Pattern.compile("r(?:\\._measurement|\\[\"_measurement\"])\\s*[!=]=\\s*\"([^\"]*)\"");
    private static final Pattern FLUX_FIELD =
        Pattern.compile("r(?:\\._field|\\[\"_field\"])\\s*[!=]=\\s*\"([^\"]*)\"");
    private static final Pattern FLUX_COLUMN = Pattern.compile("\\br(?:\\.(\\w+)|\\[\"(\\w+)\"])");
    private static final Pattern FLUX_WINDOW =
        Pattern.compile("r\\.window\\s*[!=]=\\s*\"([^\"]*)\"");
    private static final Pattern FLUX_BUCKET = Pattern.compile("bucket\\s*:\\s*([^,)\\s]+)");
    private static final Pattern FLUX_TAG_ARG = Pattern.compile("\\btag\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern FLUX_DERIVED = Pattern.compile("columnName\\s*:\\s*\"(\\w+)\"");
    private static final Set<String> WINDOWS = Set.of("15m", "1h", "8h", "shift");

    static List<String> flux(String query, Schema schema) {
      List<String> problems = new ArrayList<>();
      String q = query.replaceAll("//[^\n]*", "");
      Set<String> measurements = measurements(names(FLUX_MEASUREMENT, q), schema, problems);
      names(FLUX_BUCKET, q).stream()
          .filter(b -> !b.equals("v.defaultBucket"))
          .forEach(b -> problems.add("bucket " + b + " instead of v.defaultBucket"));
      if (count(q, "from(") > count(q, "range(")) {
        problems.add("a from() without range()");
      }
      if (measurements.isEmpty() && (q.contains("from(") || q.contains("schema."))) {
        problems.add("names no measurement (r._measurement == ...)");
      }
      Set<String> fields = union(schema, schema.fields(), measurements);
      Set<String> tags = union(schema, schema.tags(), measurements);
      for (String f : names(FLUX_FIELD, q)) {
        if (!f.contains("${") && !fields.contains(f)) {
          problems.add("field '" + f + "' is not in " + measurements);
        }
      }
      Set<String> columns = new HashSet<>(FLUX_COLUMNS);
      columns.addAll(tags);
      columns.addAll(fields); // pivoted fields become columns
      columns.addAll(names(FLUX_DERIVED, q));
      Matcher m = FLUX_COLUMN.matcher(q);
      while (m.find()) {
        String c = m.group(1) != null ? m.group(1) : m.group(2);
        if (!columns.contains(c)) {
          problems.add("column r." + c + " is no tag or field of " + measurements);
        }
      }
      for (String t : names(FLUX_TAG_ARG, q)) {
        if (!tags.contains(t)) {
          problems.add("tag '" + t + "' is not a tag of " + measurements);
        }
      }
      for (String w : names(FLUX_WINDOW, q)) {
        if (!w.contains("${") && !WINDOWS.contains(w) && !w.startsWith("session:")) {
          problems.add("window '" + w + "' is none the engine writes");
        }
      }
      return problems;
    }

    private static final Pattern IQ_FROM =
        Pattern.compile("\\bFROM\\s+(?:(?:\"[^\"]+\"|\\w+)\\.)*(?:\"([^\"]+)\"|(\\w+))");
    private static final Pattern IQ_QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern IQ_BARE_ARG = Pattern.compile("\\(\\s*([A-Za-z_]\\w*)\\s*\\)");
    private static final Pattern IQ_BARE_CMP =
        Pattern.compile("(?<![\"$\\w])([A-Za-z_]\\w*)\\s*(?:=~|!~|!=|<>|=)");
    private static final Pattern IQ_KEY = Pattern.compile("WITH KEY\\s*=\\s*\"([^\"]+)\"");

    static List<String> influxql(String query, Schema schema) {
      List<String> problems = new ArrayList<>();
      // Literals and regexes hold values, not names.
      String q = query.replaceAll("'[^']*'", "''").replaceAll("/[^/]*/", "//");
      Matcher from = IQ_FROM.matcher(q);
      if (!from.find()) {
        problems.add("no FROM measurement");
        return problems;
      }
      String measurement = from.group(1) != null ? from.group(1) : from.group(2);
      Set<String> ms = measurements(List.of(measurement), schema, problems);
      Set<String> fields = union(schema, schema.fields(), ms);
      Set<String> tags = union(schema, schema.tags(), ms);
      for (String t : names(IQ_KEY, q)) {
        if (!tags.contains(t)) {
          problems.add("tag '" + t + "' is not a tag of " + measurement);
        }
      }
      String upper = q.toUpperCase(java.util.Locale.ROOT);
      int select = upper.indexOf("SELECT ");
      int where = upper.indexOf(" WHERE ");
      int group = upper.indexOf(" GROUP BY ");
      int end = firstOf(upper, " ORDER BY ", " LIMIT ", " FILL(");
      if (select >= 0) {
        String list =
            q.substring(select + 7, from.start()).replaceAll("(?i)\\bAS\\s+(\"[^\"]*\"|\\w+)", "");
        names(IQ_QUOTED, list).forEach(f -> check(f, fields, "field", measurement, problems));
        names(IQ_BARE_ARG, list).forEach(f -> check(f, fields, "field", measurement, problems));
      }
      if (where >= 0) {
        String clause = q.substring(where, group >= 0 ? group : end >= 0 ? end : q.length());
        Set<String> tagsOrFields = new HashSet<>(tags);
        tagsOrFields.addAll(fields);
        tagsOrFields.add("time");
        names(IQ_QUOTED, clause)
            .forEach(n -> check(n, tagsOrFields, "tag or field", measurement, problems));
        names(IQ_BARE_CMP, clause)
            .forEach(n -> check(n, tagsOrFields, "tag or field", measurement, problems));
      }
      if (group >= 0) {
        String clause = q.substring(group + 10, end > group ? end : q.length());
        for (String item : clause.split(",")) {
          String name = item.trim().replace("\"", "");
          if (!name.startsWith("time(") && !name.isEmpty()) {
            check(name, tags, "tag", measurement, problems);
          }
        }
      }
      return problems;
    }

    private static Set<String> measurements(
        List<String> named, Schema schema, List<String> problems) {
      Set<String> out = new TreeSet<>();
      for (String m : named) {
        if (schema.fields().containsKey(m)) {
          out.add(m);
        } else {
          problems.add("measurement '" + m + "' is not in the schema");
        }
      }
      return out;
    }

    private static Set<String> union(
        Schema schema, Map<String, Set<String>> byMeasurement, Set<String> measurements) {
      Set<String> out = new HashSet<>();
      measurements.forEach(m -> out.addAll(byMeasurement.get(m)));
      return out;
    }

    private static void check(
        String name, Set<String> allowed, String kind, String m, List<String> problems) {
      if (!allowed.contains(name)) {
        problems.add("'" + name + "' is no " + kind + " of " + m);
      }
    }

    private static List<String> names(Pattern p, String text) {
      List<String> out = new ArrayList<>();
      Matcher m = p.matcher(text);
      while (m.find()) {
        out.add(m.group(1) == null && m.groupCount() > 1 ? m.group(2) : m.group(1));
      }
      return out;
    }

    private static int count(String text, String part) {
      return text.split(Pattern.quote(part), -1).length - 1;
    }

    private static int firstOf(String text, String... parts) {
      int first = -1;
      for (String part : parts) {
        int i = text.indexOf(part);
        if (i >= 0 && (first < 0 || i < first)) {
          first = i;
        }
      }
      return first;
    }
  }
}
