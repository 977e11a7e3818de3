package io.atelier.gateway.kpi;

import io.atelier.connector.api.config.ConfigNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * When a machine is planned to work: shifts on days of the week (a shift may cross midnight),
 * breaks inside shifts and holidays, in a time zone. Time outside every shift, inside a break or on
 * a holiday is planned down time, outside the planned busy time (PBT).
 *
 * <p>Answers one question fast enough for the hot path: {@link #segmentAt} gives the stretch of
 * time around an instant that is uniformly planned or not, and the shift (or gap between shifts) it
 * belongs to; callers cache it until its end.
 *
 * @param name the calendar's name in the configuration
 * @param zone the time zone the shift times are in
 * @param shifts the shifts; empty means one 24-hour shift every day starting at midnight
 * @param holidays days on which no shift starts
 */
public record ShiftCalendar(String name, ZoneId zone, List<Shift> shifts, Set<LocalDate> holidays) {

  /** A break inside a shift, in local time. */
  public record Break(LocalTime start, LocalTime end) {}

  /**
   * A shift pattern. An end at or before the start means the shift ends the next day ({@code
   * 22:00}-{@code 06:00}); equal times mean a 24-hour shift.
   */
  public record Shift(
      String name, Set<DayOfWeek> days, LocalTime start, LocalTime end, List<Break> breaks) {
    public Shift {
      days = Set.copyOf(days);
      breaks = List.copyOf(breaks);
    }
  }

  /**
   * A shift as it happens on one day, or a gap between shifts ({@code name} empty).
   *
   * @param name the shift's name, empty for a gap
   * @param label the name with its date, e.g. {@code early 2025-03-03}, or {@code no shift}
   */
  public record Period(String name, String label, long startMs, long endMs) {}

  /** A stretch of time that is entirely planned or entirely planned down time. */
  record Segment(long startMs, long endMs, boolean planned, Period period) {
    boolean contains(long t) {
      return t >= startMs && t < endMs;
    }
  }

  private static final int SEARCH_DAYS = 31;

  public ShiftCalendar {
    shifts = List.copyOf(shifts);
    holidays = Set.copyOf(holidays);
  }

  /** Always planned: one 24-hour shift named {@code day} from midnight, every day. */
  public static ShiftCalendar always(ZoneId zone) {
    return new ShiftCalendar("always", zone, List.of(), Set.of());
  }

  /** The shifts, with the implicit 24-hour day shift when none are configured. */
  List<Shift> effectiveShifts() {
    if (!shifts.isEmpty()) {
      return shifts;
    }
    return List.of(
        new Shift(
            "day",
            EnumSet.allOf(DayOfWeek.class),
            LocalTime.MIDNIGHT,
            LocalTime.MIDNIGHT,
            List.of()));
  }

  /** The segment holding {@code tMs}. */
  Segment segmentAt(long tMs) {
    LocalDate day = Instant.ofEpochMilli(tMs).atZone(zone).toLocalDate();
    List<Shift> all = effectiveShifts();
    for (int back = 1; back >= 0; back--) {
      LocalDate d = day.minusDays(back);
      for (Shift s : all) {
        if (!runsOn(s, d)) {
          continue;
        }
        long start = at(d, s.start());
        long end = at(s.end().isAfter(s.start()) ? d : d.plusDays(1), s.end());
        if (tMs >= start && tMs < end) {
          return inShift(s, d, start, end, tMs);
        }
      }
    }
    return inGap(day, all, tMs);
  }

  private Segment inShift(Shift s, LocalDate d, long start, long end, long tMs) {
    Period period = new Period(s.name(), s.name() + " " + d, start, end);
    long segStart = start;
    long segEnd = end;
    boolean planned = true;
    for (Break b : s.breaks()) {
      LocalDate bd = b.start().isBefore(s.start()) ? d.plusDays(1) : d;
      long bs = Math.max(start, at(bd, b.start()));
      long be = Math.min(end, at(b.end().isAfter(b.start()) ? bd : bd.plusDays(1), b.end()));
      if (be <= bs) {
        continue;
      }
      if (tMs >= bs && tMs < be) {
        planned = false;
        segStart = Math.max(segStart, bs);
        segEnd = Math.min(segEnd, be);
      } else if (bs > tMs) {
        segEnd = Math.min(segEnd, bs);
      } else {
        segStart = Math.max(segStart, be);
      }
    }
    return new Segment(segStart, segEnd, planned, period);
  }

  private Segment inGap(LocalDate day, List<Shift> all, long tMs) {
    long gapStart = Long.MIN_VALUE;
    long gapEnd = Long.MAX_VALUE;
    for (int k = -SEARCH_DAYS; k <= SEARCH_DAYS; k++) {
      LocalDate d = day.plusDays(k);
      for (Shift s : all) {
        if (!runsOn(s, d)) {
          continue;
        }
        long start = at(d, s.start());
        long end = at(s.end().isAfter(s.start()) ? d : d.plusDays(1), s.end());
        if (end <= tMs) {
          gapStart = Math.max(gapStart, end);
        }
        if (start > tMs) {
          gapEnd = Math.min(gapEnd, start);
        }
      }
    }
    // No shift for a month around: roll the "shift" window daily so it stays bounded.
    if (gapStart == Long.MIN_VALUE) {
      gapStart = at(day, LocalTime.MIDNIGHT);
    }
    if (gapEnd == Long.MAX_VALUE) {
      gapEnd = at(day.plusDays(1), LocalTime.MIDNIGHT);
    }
    return new Segment(gapStart, gapEnd, false, new Period("", "no shift", gapStart, gapEnd));
  }

  private boolean runsOn(Shift s, LocalDate d) {
    return s.days().contains(d.getDayOfWeek()) && !holidays.contains(d);
  }

  private long at(LocalDate d, LocalTime t) {
    return ZonedDateTime.of(d, t, zone).toInstant().toEpochMilli();
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Reads one calendar:
   *
   * <pre>
   * timezone: Europe/Berlin
   * shifts:
   *   - { name: early, days: mon-fri, start: "06:00", end: "14:00",
   *       breaks: [ { start: "09:00", end: "09:15" } ] }
   * holidays: [ "2025-12-25" ]
   * </pre>
   */
  public static ShiftCalendar read(String name, ConfigNode node) {
    ZoneId zone = ZoneOffset.UTC;
    Optional<String> tz = node.string("timezone");
    if (tz.isPresent()) {
      try {
        zone = ZoneId.of(tz.get().trim());
      } catch (DateTimeException e) {
        node.problems()
            .add(node.path("timezone"), "unknown time zone (e.g. Europe/Berlin)", tz.get());
      }
    }
    List<Shift> shifts = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (ConfigNode s : node.children("shifts")) {
      String shiftName = s.requiredString("name");
      if (!shiftName.isEmpty() && !names.add(shiftName)) {
        s.problems().add(s.path("name"), "duplicate shift name in this calendar", shiftName);
      }
      Set<DayOfWeek> days = readDays(s);
      LocalTime start = readTime(s, "start", true).orElse(LocalTime.MIDNIGHT);
      LocalTime end = readTime(s, "end", true).orElse(LocalTime.MIDNIGHT);
      List<Break> breaks = new ArrayList<>();
      for (ConfigNode b : s.children("breaks")) {
        Optional<LocalTime> bs = readTime(b, "start", true);
        Optional<LocalTime> be = readTime(b, "end", true);
        b.rejectUnknownKeys();
        if (bs.isPresent() && be.isPresent()) {
          if (bs.get().equals(be.get())) {
            b.problems().add(b.path("end"), "a break must not be empty", be.get());
          } else if (!inside(bs.get(), be.get(), start, end)) {
            b.problems()
                .add(
                    b.path(),
                    "the break is not inside its shift " + start + "-" + end,
                    bs.get() + "-" + be.get());
          } else {
            breaks.add(new Break(bs.get(), be.get()));
          }
        }
      }
      s.rejectUnknownKeys();
      shifts.add(new Shift(shiftName, days, start, end, breaks));
    }
    Set<LocalDate> holidays = new LinkedHashSet<>();
    List<String> dates = node.strings("holidays");
    for (int i = 0; i < dates.size(); i++) {
      try {
        holidays.add(LocalDate.parse(dates.get(i).trim()));
      } catch (DateTimeParseException e) {
        node.problems()
            .add(
                node.path("holidays") + "[" + i + "]",
                "expected a date like 2025-12-25",
                dates.get(i));
      }
    }
    node.rejectUnknownKeys();
    return new ShiftCalendar(name, zone, shifts, holidays);
  }

  /** Whether a break lies within a shift, both given as local times (either may cross midnight). */
  private static boolean inside(LocalTime bs, LocalTime be, LocalTime ss, LocalTime se) {
    int shiftLen = minutesBetween(ss, se);
    int offStart = minutesBetween(ss, bs);
    int breakLen = minutesBetween(bs, be);
    if (ss.equals(se)) {
      shiftLen = 24 * 60;
    }
    return offStart < shiftLen && offStart + breakLen <= shiftLen;
  }

  private static int minutesBetween(LocalTime a, LocalTime b) {
    int d = (b.toSecondOfDay() - a.toSecondOfDay()) / 60;
    return d <= 0 ? d + 24 * 60 : d;
  }

  private static Optional<LocalTime> readTime(ConfigNode node, String key, boolean required) {
    Optional<Object> raw = node.raw(key);
    if (raw.isEmpty()) {
      if (required) {
        node.problems().add(node.path(key), "missing required field (a time like \"06:00\")");
      }
      return Optional.empty();
    }
    if (!(raw.get() instanceof String text)) {
      node.problems().add(node.path(key), "expected a time in quotes, like \"06:00\"", raw.get());
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalTime.parse(text.trim().length() == 4 ? "0" + text.trim() : text.trim()));
    } catch (DateTimeParseException e) {
      node.problems().add(node.path(key), "expected a time like \"06:00\"", text);
      return Optional.empty();
    }
  }

  private static Set<DayOfWeek> readDays(ConfigNode s) {
    Optional<Object> raw = s.raw("days");
    if (raw.isEmpty()) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    List<String> items =
        raw.get() instanceof List ? s.strings("days") : List.of(raw.get().toString().split(","));
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String item : items) {
      String t = item.trim().toLowerCase(Locale.ROOT);
      if (t.equals("all") || t.equals("daily") || t.equals("every-day")) {
        days.addAll(EnumSet.allOf(DayOfWeek.class));
        continue;
      }
      String[] range = t.split("-", -1);
      Optional<DayOfWeek> from = day(range[0]);
      Optional<DayOfWeek> to = range.length == 2 ? day(range[1]) : from;
      if (range.length > 2 || from.isEmpty() || to.isEmpty()) {
        s.problems()
            .add(
                s.path("days"),
                "expected days like mon, tue, ... sun, a range like mon-fri, or all",
                item);
        continue;
      }
      DayOfWeek d = from.get();
      while (true) {
        days.add(d);
        if (d == to.get()) {
          break;
        }
        d = d.plus(1);
      }
    }
    if (days.isEmpty()) {
      s.problems().add(s.path("days"), "no days given", raw.get());
    }
    return days;
  }

  private static Optional<DayOfWeek> day(String text) {
    String t = text.trim();
    for (DayOfWeek d : DayOfWeek.values()) {
      String full = d.name().toLowerCase(Locale.ROOT);
      if (t.length() >= 3 && full.startsWith(t)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
