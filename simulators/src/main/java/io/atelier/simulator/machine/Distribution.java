package io.atelier.simulator.machine;

import io.atelier.connector.api.config.ConfigNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A distribution of durations (times between failures, repair times, setup times...), drawn from a
 * seeded random generator so a run can be replayed.
 *
 * <p>In YAML: a plain duration ({@code 30s}) is fixed; {@code never} means the event never happens;
 * a mapping picks a shape: {@code {distribution: exponential, mean: 2h}}, {@code {distribution:
 * normal, mean: 40s, sd: 5s}}, {@code {distribution: lognormal, mean: 6m, sd: 3m}}, {@code
 * {distribution: uniform, min: 5s, max: 30s}}.
 *
 * @param kind the shape
 * @param meanMs mean (fixed value for FIXED), milliseconds
 * @param spreadMs standard deviation (NORMAL, LOGNORMAL), milliseconds
 * @param minMs lower bound (UNIFORM), milliseconds
 * @param maxMs upper bound (UNIFORM), milliseconds
 */
public record Distribution(Kind kind, double meanMs, double spreadMs, double minMs, double maxMs) {

  /** The shapes a distribution can take. */
  public enum Kind {
    NEVER,
    FIXED,
    UNIFORM,
    EXPONENTIAL,
    NORMAL,
    LOGNORMAL
  }

  /** Returned by {@link #sampleMillis} for {@link Kind#NEVER}. */
  public static final long NEVER_MS = Long.MAX_VALUE;

  public static Distribution never() {
    return new Distribution(Kind.NEVER, 0, 0, 0, 0);
  }

  public static Distribution fixed(Duration d) {
    return new Distribution(Kind.FIXED, d.toMillis(), 0, 0, 0);
  }

  public static Distribution exponential(Duration mean) {
    return new Distribution(Kind.EXPONENTIAL, mean.toMillis(), 0, 0, 0);
  }

  public static Distribution normal(Duration mean, Duration sd) {
    return new Distribution(Kind.NORMAL, mean.toMillis(), sd.toMillis(), 0, 0);
  }

  public static Distribution lognormal(Duration mean, Duration sd) {
    return new Distribution(Kind.LOGNORMAL, mean.toMillis(), sd.toMillis(), 0, 0);
  }

  public static Distribution uniform(Duration min, Duration max) {
    return new Distribution(Kind.UNIFORM, 0, 0, min.toMillis(), max.toMillis());
  }

  public boolean isNever() {
    return kind == Kind.NEVER;
  }

  /** The mean, in milliseconds; infinite for NEVER. */
  public double mean() {
    return switch (kind) {
      case NEVER -> Double.POSITIVE_INFINITY;
      case UNIFORM -> (minMs + maxMs) / 2;
      default -> meanMs;
    };
  }

  /**
   * Draws one duration in whole milliseconds, at least 1 (a zero-length interval would let an event
   * fire forever at the same instant), or {@link #NEVER_MS}.
   */
  public long sampleMillis(SplittableRandom random) {
    double ms =
        switch (kind) {
          case NEVER -> Double.NaN;
          case FIXED -> meanMs;
          case UNIFORM -> minMs + (maxMs - minMs) * random.nextDouble();
          // 1 - u lies in (0, 1], so the logarithm is finite.
          case EXPONENTIAL -> -meanMs * Math.log(1.0 - random.nextDouble());
          case NORMAL -> meanMs + spreadMs * gaussian(random);
          case LOGNORMAL -> {
            double s2 = Math.log(1 + (spreadMs * spreadMs) / (meanMs * meanMs));
            double mu = Math.log(meanMs) - s2 / 2;
            yield Math.exp(mu + Math.sqrt(s2) * gaussian(random));
          }
        };
    if (Double.isNaN(ms)) {
      return NEVER_MS;
    }
    return Math.max(1L, Math.round(ms));
  }

  /**
   * A standard normal draw (Box-Muller). Written out rather than taken from the JDK so the sequence
   * cannot change with the Java version and break reproducibility.
   */
  static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Reads a distribution at {@code key} of {@code node}; records problems with their YAML path and
   * returns the default when the key is absent or wrong.
   */
  public static Distribution read(ConfigNode node, String key, Distribution defaultValue) {
    Object raw = node.raw(key).orElse(null);
    if (raw == null) {
      return defaultValue;
    }
    if (!(raw instanceof Map)) {
      String text = raw.toString().trim().toLowerCase(Locale.ROOT);
      if (text.equals("never") || text.equals("none") || text.equals("off")) {
        return never();
      }
      Optional<Duration> d = ConfigNode.parseDuration(text);
      if (d.isEmpty()) {
        node.problems()
            .add(
                node.path(key),
                "expected a duration (30s), never, or a mapping with distribution: fixed, uniform,"
                    + " exponential, normal or lognormal",
                raw);
        return defaultValue;
      }
      return fixed(d.get());
    }
    ConfigNode c = node.child(key).orElseThrow();
    Kind kind = c.enumValue("distribution", Kind.class, Kind.FIXED);
    Distribution out =
        switch (kind) {
          case NEVER -> never();
          case FIXED -> fixed(requiredDuration(c, "mean"));
          case EXPONENTIAL -> exponential(requiredDuration(c, "mean"));
          case NORMAL -> normal(requiredDuration(c, "mean"), requiredDuration(c, "sd"));
          case LOGNORMAL -> lognormal(requiredDuration(c, "mean"), requiredDuration(c, "sd"));
          case UNIFORM -> {
            Duration min = requiredDuration(c, "min");
            Duration max = requiredDuration(c, "max");
            if (max.compareTo(min) < 0) {
              c.problems().add(c.path("max"), "must not be less than min", max);
            }
            yield uniform(min, max);
          }
        };
    if ((kind == Kind.LOGNORMAL || kind == Kind.EXPONENTIAL) && out.meanMs <= 0) {
      c.problems().add(c.path("mean"), "must be greater than zero");
    }
    c.rejectUnknownKeys();
    return out;
  }

  private static Duration requiredDuration(ConfigNode c, String key) {
    if (!c.has(key)) {
      c.problems().add(c.path(key), "missing required field");
      return Duration.ofSeconds(1);
    }
    return c.duration(key, Duration.ofSeconds(1));
  }

  /** For messages and JSON: the YAML form. */
  public String describe() {
    return switch (kind) {
      case NEVER -> "never";
      case FIXED -> meanMs + "ms";
      case UNIFORM -> "uniform(" + minMs + "ms.." + maxMs + "ms)";
      case EXPONENTIAL -> "exponential(mean " + meanMs + "ms)";
      case NORMAL -> "normal(mean " + meanMs + "ms, sd " + spreadMs + "ms)";
      case LOGNORMAL -> "lognormal(mean " + meanMs + "ms, sd " + spreadMs + "ms)";
    };
  }
}
