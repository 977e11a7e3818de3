package io.atelier.gateway.influx;

import io.atelier.gateway.influx.InfluxSettings.Api;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The one thing that differs between the APIs: the request. v1 is {@code POST
 * /write?db=&rp=&precision=} with basic auth; v2 is {@code POST
 * /api/v2/write?org=&bucket=&precision=} with {@code Authorization: Token}. Everything else (spool,
 * batching, retries, dead letters) is shared.
 */
final class WriteEndpoint {

  private final InfluxSettings settings;
  private final Api api;
  private final String base;
  private final String authorization;

  WriteEndpoint(InfluxSettings settings, Api api) {
    if (api == Api.AUTO) {
      throw new IllegalArgumentException("resolve auto first");
    }
    this.settings = settings;
    this.api = api;
    String url = settings.url().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.authorization = authorization(settings, api);
  }

  Api api() {
    return api;
  }

  /** The write request for lines {@code body[from, to)}, gzipped if so configured. */
  HttpRequest write(byte[] lines, int from, int to, Precision precision) {
    boolean gzipped = settings.gzip();
    byte[] body = gzipped ? gzip(lines, from, to) : Arrays.copyOfRange(lines, from, to);
    String uri;
    if (api == Api.V1) {
      uri =
          base
              + "/write?db="
              + enc(settings.database())
              + (settings.retentionPolicy().isEmpty()
                  ? ""
                  : "&rp=" + enc(settings.retentionPolicy()))
              + "&precision="
              + precision.v1();
    } else {
      uri =
          base
              + "/api/v2/write?org="
              + enc(settings.org())
              + "&bucket="
              + enc(settings.bucket())
              + "&precision="
              + precision.label();
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(settings.timeout())
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzipped) {
      b.header("Content-Encoding", "gzip");
    }
    if (!authorization.isEmpty()) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  /** v1: {@code CREATE DATABASE}, for a server that says the database does not exist. */
  HttpRequest createDatabase() {
    String q = "CREATE DATABASE \"" + settings.database().replace("\"", "\\\"") + "\"";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/query"))
            .timeout(settings.timeout())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("q=" + enc(q)));
    if (!authorization.isEmpty()) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  /** {@code GET <path>} for probing which API the server speaks. */
  static HttpRequest probe(InfluxSettings settings, String path) {
    String url = settings.url().toString();
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(settings.timeout())
        .GET()
        .build();
  }

  private static byte[] gzip(byte[] body, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) / 4 + 64);
    // The fastest level: line protocol compresses ~10x even so, and CPU is the scarcer resource.
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out, 8192) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      gz.write(body, from, to - from);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip into memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static String authorization(InfluxSettings s, Api api) {
    if (api == Api.V1 && !s.username().isEmpty()) {
      String pair = s.username() + ":" + s.password();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return s.token().isEmpty() ? "" : "Token " + s.token();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
