package io.atelier.gateway.config;

import io.atelier.connector.api.MachineRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP server: where it listens, who may use it and how hard it defends itself. Read by {@link
 * HttpSettingsReader}.
 *
 * @param host the address to bind; 0.0.0.0 for every interface
 * @param port the port; 0 picks a free one
 * @param auth who may call the API
 * @param corsOrigins browser origins allowed to call the API from another site; exact matches
 * @param bodyLimitBytes the largest request body accepted (larger ones get 413)
 * @param rateLimit requests per token (or per client address without a token)
 * @param tls the server's certificate and key, when HTTPS is wanted
 * @param live the WebSocket live feed
 * @param discover which hosts {@code GET /api/discover} may browse
 */
public record HttpSettings(
    String host,
    int port,
    Auth auth,
    List<String> corsOrigins,
    long bodyLimitBytes,
    RateLimit rateLimit,
    Optional<Tls> tls,
    Live live,
    DiscoverTargets discover) {

  public HttpSettings {
    corsOrigins = List.copyOf(corsOrigins);
  }

  /** Defaults for everything but where to listen; auth is on, with no tokens. */
  public static HttpSettings defaults(String host, int port) {
    return new HttpSettings(
        host,
        port,
        new Auth(AuthMode.TOKENS, List.of()),
        List.of(),
        1_048_576,
        RateLimit.DEFAULT,
        Optional.empty(),
        Live.DEFAULT,
        DiscoverTargets.PRIVATE);
  }

  public HttpSettings withPort(int newPort) {
    return new HttpSettings(
        host, newPort, auth, corsOrigins, bodyLimitBytes, rateLimit, tls, live, discover);
  }

  /** Whether requests need a token. */
  public enum AuthMode {
    TOKENS,
    /** No tokens: every caller is an admin with scope all. Only for demos on a trusted network. */
    NONE
  }

  /** What a token may do; each role may do everything the previous one may. */
  public enum Role {
    /** Reads what its scope allows. */
    VIEWER,
    /** Also starts and stops training sessions and trusts server certificates. */
    OPERATOR,
    /** Also adds, changes and removes machines. */
    ADMIN;

    public boolean allows(Role needed) {
      return compareTo(needed) >= 0;
    }
  }

  /**
   * @param mode tokens, or none (explicitly, as in the demo)
   * @param tokens the API tokens
   */
  public record Auth(AuthMode mode, List<ApiToken> tokens) {
    public Auth {
      tokens = List.copyOf(tokens);
    }
  }

  /**
   * One API token. Only the SHA-256 of the secret is kept, never the secret itself.
   *
   * @param name who or what holds it; appears in the audit log
   * @param sha256 lower-case hex SHA-256 of the token
   * @param role what it may do
   * @param scope which machines it may see
   */
  public record ApiToken(String name, String sha256, Role role, Scope scope) {
    @Override
    public String toString() {
      return "ApiToken[" + name + ", " + role + ", " + scope + "]";
    }
  }

  /**
   * Which machines a token sees: all, or the listed machines and every machine on the listed lines.
   * A line is written {@code site/area/line}, or just {@code line} for every line of that name.
   */
  public record Scope(boolean all, Set<String> machines, Set<String> lines) {

    public static final Scope ALL = new Scope(true, Set.of(), Set.of());

    public Scope {
      machines = Set.copyOf(machines);
      lines = Set.copyOf(lines);
    }

    public boolean allowsMachine(String id, MachineRef ref) {
      return all || machines.contains(id) || allowsLine(ref);
    }

    /** Whether the whole line of {@code ref} (line KPIs, every machine on it) is visible. */
    public boolean allowsLine(MachineRef ref) {
      return all || lines.contains(ref.line()) || lines.contains(ref.linePath());
    }

    @Override
    public String toString() {
      return all ? "scope all" : "scope machines " + machines + " lines " + lines;
    }
  }

  /**
   * A token bucket per token: {@code burst} requests at once, refilled at {@code perSecond}.
   *
   * @param perSecond sustained requests per second; 0 turns the limit off
   * @param burst the bucket size
   */
  public record RateLimit(double perSecond, int burst) {
    public static final RateLimit DEFAULT = new RateLimit(50, 100);

    public boolean enabled() {
      return perSecond > 0;
    }
  }

  /**
   * HTTPS with a PEM certificate chain and its PEM private key (PKCS#8 or PKCS#1).
   *
   * @param certificate the certificate chain file
   * @param key the private key file
   */
  public record Tls(Path certificate, Path key) {}

  /**
   * The WebSocket live feed.
   *
   * @param maxRate messages per second per client, at most; updates in between are coalesced
   * @param writeQueueBytes bytes waiting to be sent to one client before it counts as too slow and
   *     is disconnected
   * @param maxPending distinct pending updates per client between two messages; more are dropped
   *     and counted (a client should subscribe to less)
   */
  public record Live(int maxRate, int writeQueueBytes, int maxPending) {
    public static final Live DEFAULT = new Live(4, 1_048_576, 20_000);
  }
}
