package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

class SampleBuilderTest {

  private static final SignalConfig SIGNAL =
      new SignalConfig(
          "cnc-01",
          "spindle_speed",
          NodeRefParser.parseNode("ns=2;s=x"),
          Duration.ofMillis(100),
          10,
          true,
          Optional.empty(),
          Optional.empty());
  private static final Instant SOURCE = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant SERVER = Instant.parse("2026-01-01T10:00:01Z");
  private static final Instant RECEIVED = Instant.parse("2026-01-01T10:00:02Z");

  private final SampleBuilder builder = new SampleBuilder(ValueMapper.withoutDecoder());

  private static DataValue value(Variant v, StatusCode s, Instant source, Instant server) {
    return new DataValue(
        v,
        s,
        source == null ? null : new DateTime(source),
        null,
        server == null ? null : new DateTime(server),
        null);
  }

  @Test
  void buildsAGoodSampleWithTheSourceTimestamp() {
    List<Sample> samples =
        builder.build(
            SIGNAL,
            value(Variant.ofFloat(1200.5f), StatusCode.GOOD, SOURCE, SERVER),
            RECEIVED,
            false);
    assertThat(samples)
        .containsExactly(
            new Sample("cnc-01", "spindle_speed", 1200.5d, Quality.GOOD, SOURCE, RECEIVED));
  }

  @Test
  void fallsBackToServerTimeThenReceiveTime() {
    assertThat(
            SampleBuilder.timestamp(
                value(Variant.ofInt32(1), StatusCode.GOOD, null, SERVER), RECEIVED))
        .isEqualTo(SERVER);
    assertThat(
            SampleBuilder.timestamp(
                value(Variant.ofInt32(1), StatusCode.GOOD, null, null), RECEIVED))
        .isEqualTo(RECEIVED);
    // 1601-01-01 is OPC UA's "no time".
    assertThat(
            SampleBuilder.timestamp(
                new DataValue(Variant.ofInt32(1), StatusCode.GOOD, DateTime.MIN_VALUE), RECEIVED))
        .isEqualTo(RECEIVED);
  }

  @Test
  void flattensArraysIntoOneSamplePerElement() {
    List<Sample> samples =
        builder.build(
            SIGNAL,
            value(Variant.ofInt32Array(new int[] {5, 6}), StatusCode.GOOD, SOURCE, null),
            RECEIVED,
            false);
    assertThat(samples)
        .extracting(Sample::signal)
        .containsExactly("spindle_speed[0]", "spindle_speed[1]");
    assertThat(samples).extracting(Sample::value).containsExactly(5L, 6L);
  }

  @Test
  void keepsABadValueWithoutAValue() {
    Sample s =
        builder
            .build(
                SIGNAL,
                value(
                    Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_NodeIdUnknown), null, null),
                RECEIVED,
                false)
            .get(0);
    assertThat(s.hasValue()).isFalse();
    assertThat(s.quality().level()).isEqualTo(Quality.Level.BAD);
    assertThat(s.quality().detail()).isEqualTo("Bad_NodeIdUnknown");
    assertThat(s.sourceTime()).isEqualTo(RECEIVED);
  }

  @Test
  void marksAGoodStatusWithoutAValueUncertain() {
    Sample s =
        builder
            .build(
                SIGNAL, value(Variant.NULL_VALUE, StatusCode.GOOD, SOURCE, null), RECEIVED, false)
            .get(0);
    assertThat(s.quality().level()).isEqualTo(Quality.Level.UNCERTAIN);
    assertThat(s.quality().detail()).contains(SampleBuilder.NO_VALUE);
  }

  @Test
  void marksTheFirstValueAfterLostNotificationsUncertain() {
    Sample s =
        builder
            .build(
                SIGNAL, value(Variant.ofDouble(1.0), StatusCode.GOOD, SOURCE, null), RECEIVED, true)
            .get(0);
    assertThat(s.quality().level()).isEqualTo(Quality.Level.UNCERTAIN);
    assertThat(s.value()).isEqualTo(1.0);
  }
}
