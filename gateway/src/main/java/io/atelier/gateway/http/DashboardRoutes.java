package io.atelier.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The built-in web dashboard (module {@code atelier-web}): its page at {@code /}, its scripts and
 * styles under {@code /assets/}, and the charting library's WebJar under {@code /webjars/}. All are
 * classpath resources, served without a token: the page itself holds no data; it asks the API,
 * which checks the token the user types in.
 */
final class DashboardRoutes {

  /** Where atelier-web keeps its files on the classpath. */
  static final String ROOT = "io/atelier/web";

  /** Where WebJars keep theirs. */
  static final String WEBJARS = "META-INF/resources/webjars";

  /** Whether a route (as Vert.x reports its path) is the dashboard's: a page or a file. */
  static boolean serves(String routePath) {
    return routePath.equals("/")
        || routePath.startsWith("/assets/")
        || routePath.startsWith("/webjars/");
  }

  private final Buffer index;

  DashboardRoutes() {
    this.index = Buffer.buffer(read(ROOT + "/index.html"));
  }

  void register(Router router) {
    router.get("/").handler(this::index);
    // Scripts change with the gateway version: a short max-age, then revalidation.
    router
        .get("/assets/*")
        .handler(
            StaticHandler.create(ROOT + "/assets")
                .setMaxAgeSeconds(60)
                .setDefaultContentEncoding("UTF-8"));
    // WebJar paths carry the library version, so they may be cached for long.
    router
        .get("/webjars/*")
        .handler(StaticHandler.create(WEBJARS).setDefaultContentEncoding("UTF-8"));
  }

  private void index(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .end(index);
  }

  private static byte[] read(String resource) {
    try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the dashboard is missing from the classpath ("
                + resource
                + "): is atelier-web built?");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
