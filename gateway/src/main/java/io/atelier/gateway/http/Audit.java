package io.atelier.gateway.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: failed authentications, refusals and every change made through the API, on the
 * dedicated logger {@code atelier.audit} so operators can route it to its own file. Never logs a
 * token; client-supplied text is stripped of control characters so it cannot forge log lines.
 */
final class Audit {

  static final String LOGGER = "atelier.audit";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final long RATE_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final Map<String, Long> lastRateLimitLog = new ConcurrentHashMap<>();

  void authFailure(String client, String method, String path, String reason) {
    LOG.warn(
        "auth-failure client={} request=\"{} {}\" reason=\"{}\"",
        clean(client),
        method,
        clean(path),
        reason);
  }

  void forbidden(Caller caller, String client, String method, String path, String reason) {
    LOG.warn(
        "forbidden token={} role={} client={} request=\"{} {}\" reason=\"{}\"",
        caller.name(),
        caller.role(),
        clean(client),
        method,
        clean(path),
        clean(reason));
  }

  void action(Caller caller, String client, String action, String target) {
    LOG.info(
        "action token={} role={} client={} action={} target=\"{}\"",
        caller.name(),
        caller.role(),
        clean(client),
        action,
        clean(target));
  }

  /** At most one line per key every 10 s: a client hammering the API must not flood the log. */
  void rateLimited(String key, String client, String path) {
    long now = System.nanoTime();
    Long last = lastRateLimitLog.get(key);
    if (last != null && now - last < RATE_LOG_INTERVAL_NANOS) {
      return;
    }
    lastRateLimitLog.put(key, now);
    if (lastRateLimitLog.size() > 10_000) {
      lastRateLimitLog.clear();
    }
    LOG.warn("rate-limited key={} client={} path=\"{}\"", clean(key), clean(client), clean(path));
  }

  static String clean(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || c == '"' ? '?' : c);
    }
    return b.toString();
  }
}
