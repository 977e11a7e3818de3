package io.atelier.connector.opcua;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;

/** Builds the Samples of one DataValue of one signal: value mapping, quality and timestamps. */
public final class SampleBuilder {

  static final String NO_VALUE = "the server sent no value";

  private final ValueMapper mapper;

  public SampleBuilder(ValueMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * @param signal the signal the value belongs to
   * @param value the value as the server sent it
   * @param receiveTime when the gateway received it
   * @param dataLost whether notifications were lost just before it
   * @return one sample for a scalar, one per element or field for arrays and structures
   */
  public List<Sample> build(
      SignalConfig signal, DataValue value, Instant receiveTime, boolean dataLost) {
    Instant time = timestamp(value, receiveTime);
    List<ValueMapper.Flat> flats = mapper.flatten(value.value().value());
    List<Sample> out = new ArrayList<>(flats.size());
    for (ValueMapper.Flat flat : flats) {
      List<String> notes = new ArrayList<>(2);
      flat.note().ifPresent(notes::add);
      if (flat.value() == null && value.statusCode().isGood()) {
        notes.add(NO_VALUE);
      }
      Quality quality = QualityMapper.quality(value.statusCode(), dataLost, notes);
      out.add(
          new Sample(
              signal.machine(),
              signal.signal() + flat.suffix(),
              flat.value(),
              quality,
              time,
              receiveTime));
    }
    return out;
  }

  /** The source timestamp, else the server timestamp, else the time of receipt. */
  public static Instant timestamp(DataValue value, Instant receiveTime) {
    if (usable(value.sourceTime())) {
      return value.sourceTime().getJavaInstant();
    }
    if (usable(value.serverTime())) {
      return value.serverTime().getJavaInstant();
    }
    return receiveTime;
  }

  private static boolean usable(DateTime t) {
    return t != null && t.isNotNull() && t.isValid();
  }
}
