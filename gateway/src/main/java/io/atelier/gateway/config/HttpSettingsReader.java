package io.atelier.gateway.config;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.gateway.config.HttpSettings.ApiToken;
import io.atelier.gateway.config.HttpSettings.Auth;
import io.atelier.gateway.config.HttpSettings.AuthMode;
import io.atelier.gateway.config.HttpSettings.Live;
import io.atelier.gateway.config.HttpSettings.RateLimit;
import io.atelier.gateway.config.HttpSettings.Role;
import io.atelier.gateway.config.HttpSettings.Scope;
import io.atelier.gateway.config.HttpSettings.Tls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code http:} section. Token secrets are hashed here and dropped; no problem message
 * ever quotes a token value.
 */
public final class HttpSettingsReader {

  /** Shorter secrets are guessable; {@code openssl rand -hex 32} gives 64 characters. */
  static final int MIN_TOKEN_LENGTH = 16;

  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");

  private HttpSettingsReader() {}

  public static HttpSettings read(ConfigNode http, Path baseDir) {
    String host = http.string("host", "0.0.0.0");
    int port = http.integer("port", 8080, 0, 65535);
    HttpSettings d = HttpSettings.defaults(host, port);
    Auth auth = readAuth(http);
    List<String> origins = readCors(http.childOrEmpty("cors"));
    long bodyLimit = http.integer("bodyLimit", d.bodyLimitBytes(), 1_024, 1L << 30);

    ConfigNode rl = http.childOrEmpty("rateLimit");
    RateLimit rate =
        new RateLimit(
            rl.number("perSecond", d.rateLimit().perSecond(), 0, 1_000_000),
            rl.integer("burst", d.rateLimit().burst(), 1, 1_000_000));
    rl.rejectUnknownKeys();

    Optional<Tls> tls = http.child("tls").flatMap(t -> readTls(t, baseDir));

    ConfigNode lv = http.childOrEmpty("live");
    Live live =
        new Live(
            lv.integer("maxRate", d.live().maxRate(), 1, 100),
            lv.integer("writeQueueBytes", d.live().writeQueueBytes(), 4_096, 256 * 1_048_576),
            lv.integer("maxPending", d.live().maxPending(), 10, 10_000_000));
    lv.rejectUnknownKeys();

    DiscoverTargets discover = readDiscover(http.childOrEmpty("discover"));

    http.rejectUnknownKeys();
    return new HttpSettings(host, port, auth, origins, bodyLimit, rate, tls, live, discover);
  }

  /** {@code auth: none}, or {@code auth: {mode: tokens|none, tokens: [...]}}. */
  private static Auth readAuth(ConfigNode http) {
    Object raw = http.raw("auth").orElse(null);
    if (raw instanceof String) {
      AuthMode mode = http.enumValue("auth", AuthMode.class, AuthMode.TOKENS);
      return new Auth(mode, List.of());
    }
    ConfigNode auth = http.childOrEmpty("auth");
    AuthMode mode = auth.enumValue("mode", AuthMode.class, AuthMode.TOKENS);
    List<ApiToken> tokens = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ConfigNode t : auth.children("tokens")) {
      readToken(t)
          .ifPresent(
              token -> {
                if (!names.add(token.name())) {
                  t.problems().add(t.path("name"), "duplicate token name", token.name());
                } else if (!hashes.add(token.sha256())) {
                  t.problems().add(t.path(), "two tokens have the same secret");
                } else {
                  tokens.add(token);
                }
              });
    }
    if (mode == AuthMode.NONE && auth.has("tokens")) {
      auth.problems()
          .add(auth.path("tokens"), "tokens are never checked with mode none; remove them");
    }
    auth.rejectUnknownKeys();
    return new Auth(mode, tokens);
  }

  private static Optional<ApiToken> readToken(ConfigNode t) {
    String name = t.requiredString("name");
    Role role = t.has("role") ? t.enumValue("role", Role.class, Role.VIEWER) : null;
    if (role == null) {
      t.problems().add(t.path("role"), "missing required field (admin, operator or viewer)");
    }
    Optional<String> hash = readSecret(t);
    Optional<Scope> scope = readScope(t);
    t.rejectUnknownKeys();
    if (name.isEmpty() || role == null || hash.isEmpty() || scope.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ApiToken(name, hash.get(), role, scope.get()));
  }

  /** The token's SHA-256 in hex, from {@code hash: sha256:<hex>} or a clear {@code token:}. */
  private static Optional<String> readSecret(ConfigNode t) {
    Optional<String> clear = t.string("token");
    Optional<String> hash = t.string("hash");
    if (clear.isPresent() == hash.isPresent()) {
      t.problems().add(t.path(), "give exactly one of 'token' (e.g. ${ENV_VAR}) or 'hash'");
      return Optional.empty();
    }
    if (hash.isPresent()) {
      String h = hash.get().trim();
      if (!HASH.matcher(h).matches()) {
        t.problems().add(t.path("hash"), "expected sha256: followed by 64 hex digits", h);
        return Optional.empty();
      }
      return Optional.of(h.substring("sha256:".length()).toLowerCase(Locale.ROOT));
    }
    String secret = clear.get();
    if (secret.isEmpty()) {
      // An unset ${VAR} has already been reported; do not pile a second message on it.
      return Optional.empty();
    }
    if (secret.length() < MIN_TOKEN_LENGTH) {
      // Never quote the value: it is a secret, even a bad one.
      t.problems()
          .add(t.path("token"), "too short: use at least " + MIN_TOKEN_LENGTH + " characters");
      return Optional.empty();
    }
    return Optional.of(sha256Hex(secret));
  }

  /** {@code scope: all}, or {@code scope: {machines: [...], lines: [...]}}. */
  private static Optional<Scope> readScope(ConfigNode t) {
    Object raw = t.raw("scope").orElse(null);
    if (raw == null) {
      t.problems().add(t.path("scope"), "missing required field ('all' or machines/lines)");
      return Optional.empty();
    }
    if (raw instanceof String s) {
      if (s.trim().equals("all")) {
        return Optional.of(Scope.ALL);
      }
      t.problems().add(t.path("scope"), "expected 'all' or a mapping with machines/lines", s);
      return Optional.empty();
    }
    return t.child("scope")
        .flatMap(
            sc -> {
              Set<String> machines = new LinkedHashSet<>(sc.strings("machines"));
              Set<String> lines = new LinkedHashSet<>(sc.strings("lines"));
              sc.rejectUnknownKeys();
              for (String line : lines) {
                int levels = line.split("/", -1).length;
                if (line.isBlank() || (levels != 1 && levels != 3)) {
                  sc.problems()
                      .add(sc.path("lines"), "a line is site/area/line or a bare line name", line);
                }
              }
              if (machines.isEmpty() && lines.isEmpty()) {
                sc.problems().add(sc.path(), "an empty scope sees nothing; list machines or lines");
                return Optional.empty();
              }
              return Optional.of(new Scope(false, machines, lines));
            });
  }

  private static DiscoverTargets readDiscover(ConfigNode node) {
    if (!node.has("allow")) {
      node.rejectUnknownKeys();
      return DiscoverTargets.PRIVATE;
    }
    List<String> allow = new ArrayList<>();
    for (String entry : node.strings("allow")) {
      Optional<String> problem = DiscoverTargets.problem(entry);
      if (problem.isPresent()) {
        node.problems().add(node.path("allow"), problem.get(), entry);
      } else {
        allow.add(entry.trim());
      }
    }
    node.rejectUnknownKeys();
    return new DiscoverTargets(allow);
  }

  private static List<String> readCors(ConfigNode cors) {
    List<String> origins = new ArrayList<>();
    for (String o : cors.strings("origins")) {
      String origin = o.trim();
      if (origin.equals("*")) {
        cors.problems()
            .add(cors.path("origins"), "'*' would let any web site use the API; list origins", o);
        continue;
      }
      try {
        URI uri = new URI(origin);
        boolean ok =
            ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && uri.getHost() != null
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null;
        if (!ok) {
          cors.problems()
              .add(cors.path("origins"), "expected an origin such as https://host:port", o);
          continue;
        }
      } catch (URISyntaxException e) {
        cors.problems().add(cors.path("origins"), "not a valid origin: " + e.getReason(), o);
        continue;
      }
      origins.add(origin.toLowerCase(Locale.ROOT));
    }
    cors.rejectUnknownKeys();
    return origins;
  }

  private static Optional<Tls> readTls(ConfigNode tls, Path baseDir) {
    Optional<Path> cert = readableFile(tls, "certificate", baseDir);
    Optional<Path> key = readableFile(tls, "key", baseDir);
    tls.rejectUnknownKeys();
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Tls(cert.get(), key.get()));
  }

  private static Optional<Path> readableFile(ConfigNode node, String key, Path baseDir) {
    String text = node.requiredString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Path file = baseDir.resolve(text).toAbsolutePath().normalize();
    if (!Files.isReadable(file)) {
      node.problems().add(node.path(key), "cannot read the PEM file " + file);
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /** Lower-case hex SHA-256 of a token, the form in which tokens are kept and compared. */
  public static String sha256Hex(String secret) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
