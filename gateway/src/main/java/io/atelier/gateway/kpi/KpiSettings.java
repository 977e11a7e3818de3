package io.atelier.gateway.kpi;

import io.atelier.connector.api.config.ConfigNode;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The top-level {@code kpi:} section: buckets, windows, emission, staleness, snapshots and the
 * shift calendars machines refer to by name.
 *
 * @param bucket the finest bucket width; windows are multiples of it
 * @param windows the rolling windows, shortest first
 * @param emitInterval how often every KPI is emitted (also emitted on each state change)
 * @param lateness how far behind the clock the time model is advanced, so that samples up to this
 *     late still land at their own time
 * @param staleAfter a machine with no data for this long is OFFLINE (per machine override)
 * @param snapshotInterval how often the KPI state is written to disk
 * @param sessionsKept how many finished training sessions are kept
 * @param calendars the shift calendars by name
 * @param defaultCalendar the calendar of machines that name none; empty = always planned
 */
public record KpiSettings(
    Duration bucket,
    List<KpiWindow> windows,
    Duration emitInterval,
    Duration lateness,
    Duration staleAfter,
    Duration snapshotInterval,
    int sessionsKept,
    Map<String, ShiftCalendar> calendars,
    Optional<String> defaultCalendar) {

  public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(10);
  public static final List<Duration> DEFAULT_WINDOWS =
      List.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8));

  public KpiSettings {
    windows = List.copyOf(windows);
    calendars = Map.copyOf(calendars);
  }

  /** All defaults: 10 s buckets, 15m/1h/8h windows, no calendars. */
  public static KpiSettings defaults() {
    return new KpiSettings(
        DEFAULT_BUCKET,
        DEFAULT_WINDOWS.stream().map(d -> new KpiWindow(KpiWindow.nameOf(d), d)).toList(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        100,
        Map.of(),
        Optional.empty());
  }

  /** The calendar a machine uses. */
  public ShiftCalendar calendar(Optional<String> name) {
    Optional<String> wanted = name.or(() -> defaultCalendar);
    return wanted.map(calendars::get).orElseGet(() -> ShiftCalendar.always(ZoneOffset.UTC));
  }

  /** Reads the {@code kpi:} section (an empty node gives the defaults). */
  public static KpiSettings read(ConfigNode node) {
    KpiSettings d = defaults();
    Duration bucket = node.duration("bucket", d.bucket());
    if (bucket.toMillis() < 1_000 || bucket.toMillis() % 1_000 != 0) {
      node.problems().add(node.path("bucket"), "must be whole seconds, at least 1s", bucket);
      bucket = d.bucket();
    }
    List<KpiWindow> windows = new ArrayList<>();
    if (node.has("windows")) {
      List<String> texts = node.strings("windows");
      for (int i = 0; i < texts.size(); i++) {
        String path = node.path("windows") + "[" + i + "]";
        Optional<Duration> w = ConfigNode.parseDuration(texts.get(i));
        if (w.isEmpty()) {
          node.problems().add(path, "expected a duration such as 15m, 1h or 8h", texts.get(i));
        } else if (w.get().toMillis() % bucket.toMillis() != 0 || w.get().compareTo(bucket) < 0) {
          node.problems()
              .add(
                  path,
                  "must be a multiple of the bucket (" + KpiWindow.nameOf(bucket) + ")",
                  texts.get(i));
        } else if (w.get().compareTo(Duration.ofDays(7)) > 0) {
          node.problems().add(path, "at most 7d", texts.get(i));
        } else {
          String name = KpiWindow.nameOf(w.get());
          if (windows.stream().anyMatch(x -> x.name().equals(name))) {
            node.problems().add(path, "duplicate window", texts.get(i));
          } else {
            windows.add(new KpiWindow(name, w.get()));
          }
        }
      }
      if (texts.isEmpty()) {
        node.problems().add(node.path("windows"), "at least one window is needed");
      }
    } else {
      for (Duration w : DEFAULT_WINDOWS) {
        if (w.toMillis() % bucket.toMillis() == 0) {
          windows.add(new KpiWindow(KpiWindow.nameOf(w), w));
        }
      }
    }
    windows.sort((a, b) -> a.length().compareTo(b.length()));
    Duration emit = node.duration("emitInterval", d.emitInterval());
    if (emit.toMillis() < 100) {
      node.problems().add(node.path("emitInterval"), "must be at least 100ms", emit);
      emit = d.emitInterval();
    }
    Duration lateness = node.duration("lateness", d.lateness());
    if (lateness.compareTo(Duration.ofMinutes(5)) > 0) {
      node.problems().add(node.path("lateness"), "at most 5m", lateness);
      lateness = d.lateness();
    }
    Duration stale = node.duration("staleAfter", d.staleAfter());
    if (stale.toMillis() < 1_000) {
      node.problems().add(node.path("staleAfter"), "must be at least 1s", stale);
      stale = d.staleAfter();
    }
    Duration snapshot = node.duration("snapshotInterval", d.snapshotInterval());
    if (snapshot.toMillis() < 1_000) {
      node.problems().add(node.path("snapshotInterval"), "must be at least 1s", snapshot);
      snapshot = d.snapshotInterval();
    }
    int kept = node.integer("sessionsKept", d.sessionsKept(), 0, 10_000);
    Map<String, ShiftCalendar> calendars = new LinkedHashMap<>();
    node.child("calendars")
        .ifPresent(
            cals -> {
              for (String name : cals.keys()) {
                cals.child(name).ifPresent(c -> calendars.put(name, ShiftCalendar.read(name, c)));
              }
            });
    Optional<String> defaultCalendar = node.string("defaultCalendar");
    if (defaultCalendar.isPresent() && !calendars.containsKey(defaultCalendar.get())) {
      node.problems()
          .add(
              node.path("defaultCalendar"),
              "no calendar with this name in kpi.calendars",
              defaultCalendar.get());
      defaultCalendar = Optional.empty();
    }
    node.rejectUnknownKeys();
    return new KpiSettings(
        bucket, windows, emit, lateness, stale, snapshot, kept, calendars, defaultCalendar);
  }
}
