package io.atelier.gateway.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.gateway.kpi.ShiftCalendar.Segment;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ShiftCalendarTest {

  private static final String CALENDAR =
      """
      timezone: Europe/Berlin
      shifts:
        - name: day
          days: [mon, tue, wed, thu, fri]
          start: "06:00"
          end: "14:00"
        - name: night
          days: mon-thu
          start: "22:00"
          end: "06:00"
          breaks: [ { start: "02:00", end: "02:30" } ]
      holidays: [ "2025-03-05" ]
      """;

  private static ShiftCalendar calendar() {
    ConfigProblems problems = new ConfigProblems();
    ShiftCalendar c =
        ShiftCalendar.read(
            "plant", new ConfigNode("kpi.calendars.plant", KpiRig.yaml(CALENDAR), problems));
    problems.throwIfAny();
    return c;
  }

  private static long t(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void aNightShiftCrossesMidnightWithItsBreak() {
    ShiftCalendar c = calendar();
    // Berlin is UTC+1 in March 2025 (before the switch on 30 March).
    Segment s = c.segmentAt(t("2025-03-04T00:00:00Z")); // Tue 01:00 local
    assertThat(s.planned()).isTrue();
    assertThat(s.period().label()).isEqualTo("night 2025-03-03");
    assertThat(s.period().startMs()).isEqualTo(t("2025-03-03T21:00:00Z"));
    assertThat(s.period().endMs()).isEqualTo(t("2025-03-04T05:00:00Z"));
    assertThat(s.endMs()).isEqualTo(t("2025-03-04T01:00:00Z")); // the break starts at 02:00 local

    Segment inBreak = c.segmentAt(t("2025-03-04T01:10:00Z"));
    assertThat(inBreak.planned()).isFalse();
    assertThat(inBreak.startMs()).isEqualTo(t("2025-03-04T01:00:00Z"));
    assertThat(inBreak.endMs()).isEqualTo(t("2025-03-04T01:30:00Z"));
    assertThat(inBreak.period().name()).isEqualTo("night");
  }

  @Test
  void gapsBetweenShiftsAndHolidaysAreNotPlanned() {
    ShiftCalendar c = calendar();
    Segment evening = c.segmentAt(t("2025-03-03T15:00:00Z")); // Mon 16:00 local
    assertThat(evening.planned()).isFalse();
    assertThat(evening.period().label()).isEqualTo("no shift");
    assertThat(evening.startMs()).isEqualTo(t("2025-03-03T13:00:00Z"));
    assertThat(evening.endMs()).isEqualTo(t("2025-03-03T21:00:00Z"));

    // Wednesday is a holiday: no day shift, and no night shift starting that evening.
    Segment holiday = c.segmentAt(t("2025-03-05T10:00:00Z"));
    assertThat(holiday.planned()).isFalse();
    assertThat(holiday.startMs()).isEqualTo(t("2025-03-05T05:00:00Z")); // Tuesday's night ended
    assertThat(holiday.endMs()).isEqualTo(t("2025-03-06T05:00:00Z")); // Thursday's day shift

    // The weekend: from Friday 14:00 to Monday 06:00 (no night shift on Friday).
    Segment weekend = c.segmentAt(t("2025-03-08T12:00:00Z"));
    assertThat(weekend.planned()).isFalse();
    assertThat(weekend.startMs()).isEqualTo(t("2025-03-07T13:00:00Z"));
    assertThat(weekend.endMs()).isEqualTo(t("2025-03-10T05:00:00Z"));
  }

  @Test
  void withoutShiftsEveryDayIsOnePlannedShift() {
    ShiftCalendar c = ShiftCalendar.always(java.time.ZoneOffset.UTC);
    Segment s = c.segmentAt(t("2025-03-03T10:00:00Z"));
    assertThat(s.planned()).isTrue();
    assertThat(s.period().label()).isEqualTo("day 2025-03-03");
    assertThat(s.startMs()).isEqualTo(t("2025-03-03T00:00:00Z"));
    assertThat(s.endMs()).isEqualTo(t("2025-03-04T00:00:00Z"));
  }

  @Test
  void mistakesAreReportedWithTheirPaths() {
    ConfigProblems problems = new ConfigProblems();
    ShiftCalendar.read(
        "bad",
        new ConfigNode(
            "kpi.calendars.bad",
            KpiRig.yaml(
                """
                timezone: Mars/Olympus
                shifts:
                  - name: early
                    days: [mon, funday]
                    start: "6am"
                    end: "14:00"
                    breaks: [ { start: "15:00", end: "15:30" } ]
                    lunch: yes
                holidays: [ "25/12/2025" ]
                """),
            problems));
    assertThat(problems.all())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "kpi.calendars.bad.timezone",
            "kpi.calendars.bad.shifts[0].days",
            "kpi.calendars.bad.shifts[0].start",
            "kpi.calendars.bad.shifts[0].breaks[0]",
            "kpi.calendars.bad.shifts[0].lunch",
            "kpi.calendars.bad.holidays[0]");
  }
}
