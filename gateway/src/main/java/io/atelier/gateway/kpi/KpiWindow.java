package io.atelier.gateway.kpi;

import java.time.Duration;

/**
 * A rolling window: the last {@code length} of time, ending now.
 *
 * @param name the window's name in reports and the API ({@code 15m}, {@code 1h}, {@code 8h})
 * @param length how far back it reaches
 */
public record KpiWindow(String name, Duration length) {

  /** The short name of a duration: 90s, 15m, 1h, 1d; seconds when nothing coarser divides it. */
  public static String nameOf(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
