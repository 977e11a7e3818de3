package io.atelier.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway serves the dashboard: its page without a token, and every file the page and its
 * modules load (the uPlot WebJar included), each with the type a browser needs under {@code
 * nosniff}. Following the references from the page catches a file renamed, or a WebJar version
 * changed in the pom but not in the page.
 */
@Timeout(60)
class DashboardRoutesTest {

  private static final Pattern HTML_REF = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"");
  private static final Pattern JS_IMPORT =
      Pattern.compile("(?m)^\\s*import\\s[^'\"]*['\"]([^'\"]+)['\"]");

  @TempDir Path dir;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  @Test
  void servesThePageWithoutATokenUnderAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = gw.get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("<script type=\"module\" src=\"assets/app.js\">");
    String csp = page.headers().firstValue("content-security-policy").orElse("");
    assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline");
    // The page holds no data: the API behind it still needs the token.
    assertThat(gw.get("/api/machines", null).statusCode()).isEqualTo(401);
  }

  @Test
  void everyFileThePageAndItsModulesLoadIsServed() throws Exception {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    Matcher m = HTML_REF.matcher(gw.get("/", null).body());
    while (m.find()) {
      todo.add("/" + m.group(1));
    }
    while (!todo.isEmpty()) {
      String path = normalise(todo.poll());
      if (!seen.add(path)) {
        continue;
      }
      HttpResponse<String> r = gw.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      String type = r.headers().firstValue("content-type").orElse("");
      if (path.endsWith(".js")) {
        assertThat(type).as(path).contains("javascript");
        Matcher imports = JS_IMPORT.matcher(r.body());
        while (imports.find()) {
          todo.add(path.substring(0, path.lastIndexOf('/') + 1) + imports.group(1));
        }
      } else if (path.endsWith(".css")) {
        assertThat(type).as(path).startsWith("text/css");
      } else if (path.endsWith(".svg")) {
        assertThat(type).as(path).startsWith("image/svg+xml");
      }
    }
    assertThat(seen)
        .contains(
            "/assets/app.js",
            "/assets/views/trainer.js",
            "/assets/charts.js",
            "/webjars/uplot/1.6.30/dist/uPlot.esm.js",
            "/webjars/uplot/1.6.30/dist/uPlot.min.css");
  }

  @Test
  void unknownFilesAndPathsOutsideTheDashboardAre404() throws Exception {
    assertThat(gw.get("/assets/no-such.js", null).statusCode()).isEqualTo(404);
    assertThat(gw.get("/assets/../index.html", null).statusCode()).isEqualTo(404);
    assertThat(gw.get("/webjars/../io/atelier/gateway/http/openapi.yaml", null).statusCode())
        .isEqualTo(404);
    assertThat(gw.get("/index.html", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theDashboardsFilesAreNotApiOperations() {
    assertThat(gw.app().http().routes())
        .noneMatch(r -> r.endsWith(" /") || r.contains("/assets") || r.contains("/webjars"));
  }

  /** Resolves "." and ".." as a browser does before it asks. */
  private static String normalise(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        parts.pollLast();
      } else {
        parts.add(p);
      }
    }
    return "/" + String.join("/", parts);
  }
}
