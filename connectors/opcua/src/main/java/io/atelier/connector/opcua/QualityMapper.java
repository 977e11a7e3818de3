package io.atelier.connector.opcua;

import io.atelier.connector.api.Quality;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * Maps an OPC UA StatusCode to a {@link Quality}, keeping the code itself as the native code and
 * its name as the detail, so nothing the server said is lost. Two things the status alone does not
 * say also lower a GOOD value to UNCERTAIN: the server's queue overflowed (the overflow info bit),
 * or notifications were lost before this value ({@code onNotificationDataLost}).
 */
public final class QualityMapper {

  static final String OVERFLOW = "overflow: the server's queue was full and dropped values";
  static final String DATA_LOST = "notifications were lost before this value";

  private QualityMapper() {}

  public static Quality quality(StatusCode status) {
    return quality(status, false, List.of());
  }

  /**
   * @param status the value's status code
   * @param dataLost whether notifications were lost just before this value
   * @param notes further reasons for doubt (a rounded UInt64, an undecodable structure)
   */
  public static Quality quality(StatusCode status, boolean dataLost, List<String> notes) {
    boolean overflow = status.isOverflowSet();
    if (status.value() == 0 && !dataLost && notes.isEmpty()) {
      return Quality.GOOD;
    }
    Quality.Level level;
    if (status.isGood()) {
      level = Quality.Level.GOOD;
    } else if (status.isUncertain()) {
      level = Quality.Level.UNCERTAIN;
    } else {
      level = Quality.Level.BAD;
    }
    List<String> detail = new ArrayList<>();
    detail.add(ValueMapper.statusName(status));
    if (overflow) {
      detail.add(OVERFLOW);
    }
    if (dataLost) {
      detail.add(DATA_LOST);
    }
    detail.addAll(notes);
    if (level == Quality.Level.GOOD && (overflow || dataLost || !notes.isEmpty())) {
      level = Quality.Level.UNCERTAIN;
    }
    return new Quality(level, status.value(), String.join("; ", detail));
  }
}
