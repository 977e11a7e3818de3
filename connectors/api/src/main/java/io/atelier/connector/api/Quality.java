package io.atelier.connector.api;

import java.util.Objects;

/**
 * How far a value can be trusted: a level, plus the native status it came from (an OPC UA
 * StatusCode, a decoder error, a Sparkplug death) so that nothing the source said is lost.
 *
 * @param level GOOD, UNCERTAIN or BAD
 * @param nativeCode the source's own status code (OPC UA StatusCode value), 0 when there is none
 * @param detail a short human-readable reason, empty for plain GOOD
 */
public record Quality(Level level, long nativeCode, String detail) {

  /** The three levels every protocol maps to. */
  public enum Level {
    GOOD,
    UNCERTAIN,
    BAD
  }

  public static final Quality GOOD = new Quality(Level.GOOD, 0, "");

  public Quality {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(detail, "detail");
  }

  public static Quality uncertain(String detail) {
    return new Quality(Level.UNCERTAIN, 0, detail);
  }

  public static Quality bad(String detail) {
    return new Quality(Level.BAD, 0, detail);
  }

  public boolean isGood() {
    return level == Level.GOOD;
  }
}
