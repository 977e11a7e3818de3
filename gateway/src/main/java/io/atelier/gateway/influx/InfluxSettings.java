package io.atelier.gateway.influx;

import io.atelier.connector.api.config.ConfigNode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how the writer sends the spool to InfluxDB.
 *
 * @param url the server, e.g. {@code http://localhost:8086}
 * @param api which write API: v1 {@code /write}, v2 {@code /api/v2/write}, or auto (probe)
 * @param database v1 database
 * @param retentionPolicy v1 retention policy; empty for the database's default
 * @param username v1 user (HTTP basic auth); empty for none
 * @param password v1 password
 * @param token v2 token ({@code Authorization: Token}); also sent on v1 when there is no user
 * @param org v2 organisation
 * @param bucket v2 bucket
 * @param precision timestamp precision of the points
 * @param batchSize points per write request at most (a single spooled batch may exceed it)
 * @param linger how long to wait for a full batch before sending a smaller one
 * @param maxInFlight write requests in flight at once
 * @param gzip compress request bodies
 * @param timeout per request
 * @param retry the retry policy
 * @param createDatabase v1: create the database when InfluxDB says it does not exist
 */
public record InfluxSettings(
    URI url,
    Api api,
    String database,
    String retentionPolicy,
    String username,
    String password,
    String token,
    String org,
    String bucket,
    Precision precision,
    int batchSize,
    Duration linger,
    int maxInFlight,
    boolean gzip,
    Duration timeout,
    RetrySettings retry,
    boolean createDatabase) {

  /** The write API. */
  public enum Api {
    AUTO,
    V1,
    V2
  }

  /**
   * @param initial the first backoff after a server or network error
   * @param max the longest backoff; also the pace of retries while authentication fails
   * @param retryAfterCap the longest {@code Retry-After} honoured
   */
  public record RetrySettings(Duration initial, Duration max, Duration retryAfterCap) {}

  /** Defaults for a v1 server at {@code url}; for tests and benchmarks. */
  public static InfluxSettings v1(URI url, String database) {
    return new InfluxSettings(
        url,
        Api.V1,
        database,
        "",
        "",
        "",
        "",
        "atelier",
        "atelier",
        Precision.MS,
        5_000,
        Duration.ofMillis(200),
        2,
        true,
        Duration.ofSeconds(30),
        new RetrySettings(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60)),
        true);
  }

  public InfluxSettings withApi(Api newApi) {
    return new InfluxSettings(
        url,
        newApi,
        database,
        retentionPolicy,
        username,
        password,
        token,
        org,
        bucket,
        precision,
        batchSize,
        linger,
        maxInFlight,
        gzip,
        timeout,
        retry,
        createDatabase);
  }

  public InfluxSettings withBatching(int newBatchSize, Duration newLinger, int newMaxInFlight) {
    return new InfluxSettings(
        url,
        api,
        database,
        retentionPolicy,
        username,
        password,
        token,
        org,
        bucket,
        precision,
        newBatchSize,
        newLinger,
        newMaxInFlight,
        gzip,
        timeout,
        retry,
        createDatabase);
  }

  public InfluxSettings withRetry(RetrySettings newRetry) {
    return new InfluxSettings(
        url,
        api,
        database,
        retentionPolicy,
        username,
        password,
        token,
        org,
        bucket,
        precision,
        batchSize,
        linger,
        maxInFlight,
        gzip,
        timeout,
        newRetry,
        createDatabase);
  }

  public InfluxSettings withTimeout(Duration newTimeout) {
    return new InfluxSettings(
        url,
        api,
        database,
        retentionPolicy,
        username,
        password,
        token,
        org,
        bucket,
        precision,
        batchSize,
        linger,
        maxInFlight,
        gzip,
        newTimeout,
        retry,
        createDatabase);
  }

  public InfluxSettings withV2(String newToken, String newOrg, String newBucket) {
    return new InfluxSettings(
        url,
        Api.V2,
        database,
        retentionPolicy,
        username,
        password,
        newToken,
        newOrg,
        newBucket,
        precision,
        batchSize,
        linger,
        maxInFlight,
        gzip,
        timeout,
        retry,
        createDatabase);
  }

  /** Reads {@code storage.influx}; every problem is recorded with its path. */
  public static InfluxSettings read(ConfigNode node) {
    URI url = node.uri("url", true, "http", "https").orElse(URI.create("http://localhost:8086"));
    Api api = node.enumValue("api", Api.class, Api.AUTO);
    String database = node.string("database", "atelier");
    String rp = node.string("retentionPolicy", "");
    String username = node.string("username", "");
    String password = node.string("password", "");
    String token = node.string("token", "");
    String org = node.string("org", "atelier");
    String bucket = node.string("bucket", "atelier");
    Precision precision = Precision.MS;
    Optional<String> p = node.string("precision");
    if (p.isPresent()) {
      precision =
          Precision.ofLabel(p.get())
              .orElseGet(
                  () -> {
                    node.problems()
                        .add(node.path("precision"), "expected one of ns, us, ms, s", p.get());
                    return Precision.MS;
                  });
    }
    int batchSize = node.integer("batchSize", 5_000, 1, 1_000_000);
    Duration linger = node.duration("linger", Duration.ofMillis(200));
    int maxInFlight = node.integer("maxInFlight", 2, 1, 64);
    boolean gzip = node.bool("gzip", true);
    Duration timeout = node.duration("timeout", Duration.ofSeconds(30));
    boolean createDatabase = node.bool("createDatabase", true);
    ConfigNode r = node.childOrEmpty("retry");
    RetrySettings retry =
        new RetrySettings(
            r.duration("initial", Duration.ofMillis(500)),
            r.duration("max", Duration.ofSeconds(30)),
            r.duration("retryAfterCap", Duration.ofSeconds(60)));
    r.rejectUnknownKeys();
    node.rejectUnknownKeys();
    if (retry.initial().isZero() || retry.initial().compareTo(retry.max()) > 0) {
      r.problems()
          .add(r.path("initial"), "must be positive and at most retry.max", retry.initial());
    }
    if (timeout.isZero()) {
      node.problems().add(node.path("timeout"), "must be positive", timeout);
      timeout = Duration.ofSeconds(30);
    }
    if (api == Api.V2 && !username.isEmpty() && token.isEmpty()) {
      // InfluxDB 1.8's v2 endpoint takes "user:password" as the token; say so rather than 401.
      node.problems()
          .add(
              node.path("username"),
              "the v2 API authenticates with a token (for InfluxDB 1.8 use token: user:password)");
    }
    if (!password.isEmpty() && username.isEmpty()) {
      node.problems().add(node.path("password"), "a password needs a username");
    }
    if (api == Api.V1 && database.isBlank()) {
      node.problems().add(node.path("database"), "must not be empty");
    }
    if (api == Api.V2 && (bucket.isBlank() || org.isBlank())) {
      node.problems().add(node.path("bucket"), "the v2 API needs a bucket and an org");
    }
    return new InfluxSettings(
        url,
        api,
        database,
        rp,
        username,
        password,
        token,
        org,
        bucket,
        precision,
        batchSize,
        linger,
        maxInFlight,
        gzip,
        timeout,
        retry,
        createDatabase);
  }

  /** Secrets stay out of logs. */
  @Override
  public String toString() {
    return "InfluxSettings[url="
        + url
        + ", api="
        + api
        + ", database="
        + database
        + ", bucket="
        + bucket
        + ", org="
        + org
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "" : "***")
        + ", token="
        + (token.isEmpty() ? "" : "***")
        + ", precision="
        + precision.label()
        + ", batchSize="
        + batchSize
        + "]";
  }
}
