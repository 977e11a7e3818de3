package io.atelier.gateway.influx;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns samples into InfluxDB line protocol (DESIGN §3): one point per sample, tags {@code
 * site,area,line,machine} from the machine's ISA-95 path, one field named after the signal, the
 * source timestamp in the configured precision.
 *
 * <ul>
 *   <li>Measurement {@code signals} for machine signals. Samples the gateway derives itself use
 *       signal names that configured signals cannot have (a colon): {@code kpi:<window>:<name>}
 *       goes to measurement {@code kpi} with tag {@code window}, {@code machine_state:<name>} to
 *       {@code machine_state}. A machine id {@code _line:<site>/<area>/<line>} stands for a whole
 *       line (tag {@code machine=_line}).
 *   <li>Field types stay stable: Double is a float, Long an integer ({@code 42i}), Boolean a
 *       boolean, String a string. A signal keeps the type it was first written with in this
 *       process: a Long arriving for a float field is written as a float, and a whole Double for an
 *       integer field as an integer, because JSON sources send {@code 42} and {@code 42.5} for the
 *       same signal. Other conflicts go to InfluxDB, which rejects them into the dead-letter file.
 *   <li>A sample without a value (BAD quality, a Sparkplug death) is not written: InfluxDB has no
 *       null. NaN and infinities are not either. Both are counted as skipped. A value of UNCERTAIN
 *       or BAD quality that is present is written like a GOOD one; the quality is not stored.
 *   <li>One sample is one line, never merged with its neighbours, so a rejected line costs exactly
 *       one sample.
 * </ul>
 *
 * <p>Not thread-safe: one encoder per appending thread. The hot path does no regex and no
 * formatting beyond {@link StringBuilder} appends; tag prefixes are cached per machine.
 */
public final class LineProtocolEncoder {

  /** A sample that could not be encoded, and why. */
  public record Rejection(Sample sample, String reason) {}

  /** What {@link #encode} did. */
  public record Result(int points, int skipped, List<Rejection> rejected) {}

  private static final String LINE_PREFIX = "_line:";

  private final Function<String, Optional<MachineRef>> machines;
  private final Precision precision;
  private final Map<String, MachineEntry> cache = new HashMap<>();
  // The previous sample's machine within one encode() call: samples come in runs of one machine.
  private String lastId;
  private MachineEntry lastEntry;

  /** Per machine: its path, the tag prefixes built from it, the field types seen. */
  private static final class MachineEntry {
    final MachineRef ref;
    final Map<String, String> prefixes = new HashMap<>();
    final Map<String, Character> types = new HashMap<>();

    MachineEntry(MachineRef ref) {
      this.ref = ref;
    }
  }

  /**
   * @param machines the machine id to ISA-95 path lookup; called for every sample, so make it a map
   *     lookup
   * @param precision the timestamp precision
   */
  public LineProtocolEncoder(Function<String, Optional<MachineRef>> machines, Precision precision) {
    this.machines = machines;
    this.precision = precision;
  }

  public Precision precision() {
    return precision;
  }

  /** Appends one line per encodable sample to {@code out}. */
  public Result encode(List<Sample> samples, StringBuilder out) {
    int points = 0;
    int skipped = 0;
    List<Rejection> rejected = List.of();
    // A machine may move to another path between calls (config reload), never within one.
    lastId = null;
    lastEntry = null;
    for (int i = 0, n = samples.size(); i < n; i++) {
      Sample s = samples.get(i);
      String problem = append(s, out);
      if (problem == null) {
        points++;
      } else if (problem.isEmpty()) {
        skipped++;
      } else {
        if (rejected.isEmpty()) {
          rejected = new ArrayList<>();
        }
        rejected.add(new Rejection(s, problem));
      }
    }
    return new Result(points, skipped, rejected);
  }

  /** Appends one line; null if written, "" if skipped, else why it was rejected. */
  private String append(Sample s, StringBuilder out) {
    Object value = s.value();
    if (value == null) {
      return "";
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return "";
    }
    MachineEntry machine = machine(s.machine());
    if (machine == null) {
      return "unknown machine '" + s.machine() + "'";
    }
    String signal = s.signal();
    String measurement = "signals";
    String window = null;
    String field = signal;
    if (signal.indexOf(':') > 0) {
      int first = signal.indexOf(':');
      String kind = signal.substring(0, first);
      if (kind.equals("kpi")) {
        // The window may hold a colon itself (session:<id>); the KPI name never does.
        int second = signal.lastIndexOf(':');
        if (second <= first + 1 || second == signal.length() - 1) {
          return "KPI signal '" + signal + "' is not kpi:<window>:<name>";
        }
        measurement = "kpi";
        window = signal.substring(first + 1, second);
        field = signal.substring(second + 1);
      } else if (kind.equals("machine_state") && first < signal.length() - 1) {
        measurement = "machine_state";
        field = signal.substring(first + 1);
      }
    }
    long time;
    try {
      time = precision.timestamp(s.sourceTime());
    } catch (ArithmeticException e) {
      return "source time " + s.sourceTime() + " is out of InfluxDB's range";
    }
    int mark = out.length();
    out.append(prefix(machine, measurement, window)).append(' ');
    escapeKey(field, out);
    out.append('=');
    Character seen = machine.types.get(signal);
    char type;
    if (value instanceof Double d) {
      if (seen != null && seen == 'i' && d == Math.rint(d) && Math.abs(d) < 9.0e18) {
        out.append((long) (double) d).append('i');
        type = 'i';
      } else {
        appendDouble(d, out);
        type = 'f';
      }
    } else if (value instanceof Long l) {
      if (seen != null && seen == 'f') {
        out.append((long) l);
        type = 'f';
      } else {
        out.append((long) l).append('i');
        type = 'i';
      }
    } else if (value instanceof Boolean b) {
      out.append((boolean) b);
      type = 'b';
    } else {
      out.append('"');
      escapeString((String) value, out);
      out.append('"');
      type = 's';
    }
    if (seen == null) {
      machine.types.put(signal, type);
    }
    out.append(' ').append(time).append('\n');
    if (out.length() - mark > 60_000) {
      // InfluxDB refuses string fields over 64 KiB; better a counted rejection here than a 400.
      out.setLength(mark);
      return "line longer than 60000 characters";
    }
    return null;
  }

  private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  private static final long[] LONG_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /**
   * Appends a double as {@link StringBuilder#append(double)} would, but without the JDK's general
   * algorithm ({@code FloatingDecimal}, the single hottest encoder frame) for the common case of a
   * value with at most six decimals in {@code [0.001, 1e7)}: finds the fewest decimals {@code k}
   * for which {@code d == l / 10^k} with an integer {@code l}. Since {@code l} and {@code 10^k} are
   * exact doubles and IEEE division rounds correctly, {@code d} is then the double nearest to the
   * decimal {@code l·10^-k}, so that text reads back as exactly {@code d}. Anything else falls back
   * to the JDK.
   */
  static void appendDouble(double d, StringBuilder out) {
    double a = Math.abs(d);
    if (a >= 1e-3 && a < 1e7) {
      for (int k = 0; k < POW10.length; k++) {
        double scaled = Math.rint(a * POW10[k]);
        if (scaled / POW10[k] == a) {
          long l = (long) scaled;
          if (d < 0) {
            out.append('-');
          }
          long whole = l / LONG_POW10[k];
          out.append(whole).append('.');
          if (k == 0) {
            out.append('0');
          } else {
            long frac = l % LONG_POW10[k];
            for (long p = LONG_POW10[k] / 10; p > frac && p > 1; p /= 10) {
              out.append('0');
            }
            out.append(frac);
          }
          return;
        }
      }
    } else if (d == 0 && Double.doubleToRawLongBits(d) == 0) {
      out.append("0.0");
      return;
    }
    out.append(d);
  }

  private MachineEntry machine(String id) {
    if (id == lastId && lastEntry != null) {
      return lastEntry;
    }
    MachineEntry entry = lookUp(id);
    lastId = id;
    lastEntry = entry;
    return entry;
  }

  private MachineEntry lookUp(String id) {
    Optional<MachineRef> ref = machines.apply(id);
    if (ref.isEmpty() && id.startsWith(LINE_PREFIX)) {
      try {
        MachineRef line = MachineRef.parse(id.substring(LINE_PREFIX.length()) + "/_line");
        ref = Optional.of(line);
      } catch (IllegalArgumentException e) {
        ref = Optional.empty();
      }
    }
    if (ref.isEmpty()) {
      cache.remove(id);
      return null;
    }
    MachineEntry entry = cache.get(id);
    if (entry == null || !entry.ref.equals(ref.get())) {
      // New, or moved to another path at run time: its old prefixes are wrong now.
      entry = new MachineEntry(ref.get());
      cache.put(id, entry);
    }
    return entry;
  }

  private static String prefix(MachineEntry machine, String measurement, String window) {
    String key = window == null ? measurement : measurement + '\u0000' + window;
    String prefix = machine.prefixes.get(key);
    if (prefix == null) {
      MachineRef r = machine.ref;
      StringBuilder b = new StringBuilder(64);
      b.append(measurement);
      tag(b, "area", r.area());
      tag(b, "line", r.line());
      tag(b, "machine", r.machine());
      tag(b, "site", r.site());
      if (window != null) {
        tag(b, "window", window);
      }
      prefix = b.toString();
      machine.prefixes.put(key, prefix);
    }
    return prefix;
  }

  private static void tag(StringBuilder b, String key, String value) {
    b.append(',').append(key).append('=');
    escapeKey(value, b);
  }

  /** Tag keys, tag values and field keys: comma, equals sign and space are escaped. */
  static void escapeKey(String s, StringBuilder out) {
    int n = s.length();
    int i = 0;
    while (i < n && !isKeySpecial(s.charAt(i))) {
      i++;
    }
    // Signal names never need escaping: one bulk copy instead of a capacity check per character.
    out.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c == ',' || c == '=' || c == ' ') {
        out.append('\\');
      } else if (c == '\n' || c == '\r' || c == '\t') {
        out.append('\\');
        c = ' ';
      }
      out.append(c);
    }
  }

  /**
   * String field values: quote and backslash are escaped. A line must stay one line in the spool,
   * so CR and LF become the two characters {@code \r} and {@code \n} (InfluxDB keeps them as such).
   */
  static void escapeString(String s, StringBuilder out) {
    int n = s.length();
    int i = 0;
    while (i < n && !isStringSpecial(s.charAt(i))) {
      i++;
    }
    out.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"', '\\' -> out.append('\\').append(c);
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }

  private static boolean isKeySpecial(char c) {
    return c == ',' || c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean isStringSpecial(char c) {
    return c == '"' || c == '\\' || c == '\n' || c == '\r';
  }
}
