package io.atelier.gateway.http;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at /api/openapi.yaml matches the implementation: every route is
 * documented, every documented operation exists, and calling it with the document's own examples
 * answers the documented status with the documented top-level fields. The examples name the
 * machines of {@link TestGateway}'s configuration, so the document doubles as the test's script.
 */
@Timeout(120)
class OpenApiDocumentTest {

  private static final List<String> METHODS = List.of("get", "post", "put", "delete");

  @TempDir Path dir;
  private TestSimulator sim;
  private TestGateway gw;
  private Map<String, Object> doc;

  @BeforeEach
  void start() throws Exception {
    // A real simulator behind the /api/simulator routes, so that their examples answer too.
    sim = new TestSimulator(dir.resolve("sim"));
    gw =
        TestGateway.start(
            dir.resolve("gw"),
            TestSimulator.CONFIG,
            Map.of("SIM_URL", sim.url()),
            new FakeKpiEngine()::plugInto);
    HttpResponse<String> r = gw.get("/api/openapi.yaml", null);
    assertThat(r.statusCode()).isEqualTo(200);
    doc = map(new ObjectMapper(new YAMLFactory()).readValue(r.body(), Map.class));
    assertThat(doc.get("openapi").toString()).startsWith("3.");
  }

  @AfterEach
  void stop() throws Exception {
    try {
      gw.close();
    } finally {
      sim.close();
    }
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationExists() {
    TreeSet<String> documented = new TreeSet<>();
    map(doc.get("paths"))
        .forEach(
            (path, item) ->
                map(item).keySet().stream()
                    .filter(METHODS::contains)
                    .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
    TreeSet<String> routes = new TreeSet<>(gw.app().http().routes());
    assertThat(routes).isNotEmpty();
    assertThat(documented).as("documented operations").isEqualTo(routes);
  }

  @Test
  void everyOperationAnswersItsDocumentedStatusAndFields() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    for (Map.Entry<String, Object> p : map(doc.get("paths")).entrySet()) {
      for (String method : METHODS) {
        Map<String, Object> op = map(map(p.getValue()).get(method));
        if (op.isEmpty()) {
          continue;
        }
        String what = method.toUpperCase() + " " + p.getKey();
        boolean open = op.containsKey("security") && ((List<?>) op.get("security")).isEmpty();
        Map<String, Object> responses = map(op.get("responses"));
        String url = url(p.getKey(), op, Map.of());
        HttpResponse<String> r =
            gw.send(method.toUpperCase(), url, open ? null : ADMIN, body(op), Map.of());
        String status = Integer.toString(r.statusCode());
        soft.assertThat(responses)
            .as(what + " answered " + status + ": " + r.body())
            .containsKey(status);
        boolean documentsSuccess = responses.keySet().stream().anyMatch(k -> k.startsWith("2"));
        if (documentsSuccess) {
          soft.assertThat(status).as(what + ": " + r.body()).startsWith("2");
        }
        checkFields(soft, what, responses.get(status), r);

        if (!open) {
          HttpResponse<String> anonymous =
              gw.send(method.toUpperCase(), url, null, body(op), Map.of());
          soft.assertThat(anonymous.statusCode()).as(what + " without a token").isEqualTo(401);
          soft.assertThat(responses).as(what + " documents 401").containsKey("401");
        }
        if (p.getKey().contains("{id}") && !method.equals("put")) {
          HttpResponse<String> missing =
              gw.send(
                  method.toUpperCase(),
                  url(p.getKey(), op, Map.of("id", "no-such-machine")),
                  ADMIN,
                  body(op),
                  Map.of());
          soft.assertThat(missing.statusCode()).as(what + " unknown id").isEqualTo(404);
          checkFields(soft, what + " 404", responses.get("404"), missing);
        }
      }
    }
    soft.assertAll();
  }

  /** The top-level fields the documented schema requires are in the JSON body. */
  private void checkFields(
      SoftAssertions soft, String what, Object response, HttpResponse<String> r) {
    Map<String, Object> schema =
        resolve(
            map(
                map(map(map(resolve(map(response)).get("content")).get("application/json")))
                    .get("schema")));
    if (schema.isEmpty()) {
      return;
    }
    soft.assertThat(r.headers().firstValue("content-type").orElse(""))
        .as(what + " content type")
        .startsWith("application/json");
    JsonObject body = new JsonObject(r.body());
    for (Object field : (List<?>) schema.getOrDefault("required", List.of())) {
      soft.assertThat(body.containsKey(field.toString()))
          .as(what + " has field '" + field + "' in " + r.body())
          .isTrue();
    }
  }

  private String url(String path, Map<String, Object> op, Map<String, String> override) {
    String url = path;
    List<String> query = new ArrayList<>();
    for (Object p : (List<?>) op.getOrDefault("parameters", List.of())) {
      Map<String, Object> param = resolve(map(p));
      String name = param.get("name").toString();
      String value = override.getOrDefault(name, String.valueOf(param.get("example")));
      if ("path".equals(param.get("in"))) {
        url = url.replace("{" + name + "}", value);
      } else if ("query".equals(param.get("in"))) {
        query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    assertThat(url).as("every path parameter has an example").doesNotContain("{");
    return query.isEmpty() ? url : url + "?" + String.join("&", query);
  }

  private String body(Map<String, Object> op) {
    Map<String, Object> content =
        map(map(map(op.get("requestBody")).get("content")).get("application/json"));
    return content.containsKey("example")
        ? new JsonObject(map(content.get("example"))).encode()
        : null;
  }

  private Map<String, Object> resolve(Map<String, Object> node) {
    Object ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    Map<String, Object> target = doc;
    for (String part : ref.toString().substring(2).split("/")) {
      target = map(target.get(part));
    }
    return resolve(target);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
