package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.Sample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** json-value, json-batch and plain payloads, valid and hostile. */
class JsonDecodersTest {

  static final String VALUE_TOPIC = "atelier/platform/hall-a/assembly/conveyor-01/";
  static final String BATCH_TOPIC = "atelier/platform/hall-a/assembly/conveyor-01";
  static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir Path dir;
  MessageIntake intake;

  @BeforeEach
  void setUp() {
    intake = Fixtures.decoderOnly(Fixtures.DEMO, dir.resolve("dl.jsonl"));
  }

  Decoded decode(String topic, String payload) {
    return intake.decode(topic, payload.getBytes(StandardCharsets.UTF_8), NOW);
  }

  static RejectReason onlyReason(Decoded d) {
    assertThat(d.samples()).isEmpty();
    assertThat(d.issues()).hasSize(1);
    return d.issues().get(0).reason();
  }

  @Test
  void simulatorValueBecomesASampleWithItsTimestamp() {
    Decoded d = decode(VALUE_TOPIC + "good_count", "{\"ts\": 1718000000123, \"value\": 17}");
    assertThat(d.issues()).isEmpty();
    Sample s = d.samples().get(0);
    assertThat(s.machine()).isEqualTo("conveyor-01");
    assertThat(s.signal()).isEqualTo("good_count");
    assertThat(s.value()).isEqualTo(17L);
    assertThat(s.sourceTime()).isEqualTo(Instant.ofEpochMilli(1718000000123L));
    assertThat(s.receiveTime()).isEqualTo(NOW);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"timestamp\": 1718000000000, \"value\": 21.5}|21.5|2024-06-10T06:13:20Z",
        "{\"value\": true}|true|2025-01-01T00:00:00Z",
        "{\"value\": \"PRODUCING\", \"ts\": \"2024-06-10T06:13:20Z\"}|PRODUCING|2024-06-10T06:13:20Z",
        "{\"extra\": {\"deep\": [1, 2, {\"x\": null}]}, \"value\": -3}|-3|2025-01-01T00:00:00Z",
        "{\"ts\": \"1718000000000\", \"value\": 1e3}|1000.0|2024-06-10T06:13:20Z",
        "42.5|42.5|2025-01-01T00:00:00Z",
        "\"IDLE\"|IDLE|2025-01-01T00:00:00Z",
        "{\"value\": 123456789012345678901234567890}|1.2345678901234568E29|2025-01-01T00:00:00Z",
      })
  void acceptsTheUsualShapes(String payload, String value, String time) {
    Decoded d = decode(VALUE_TOPIC + "x", payload);
    assertThat(d.issues()).isEmpty();
    assertThat(String.valueOf(d.samples().get(0).value())).isEqualTo(value);
    assertThat(d.samples().get(0).sourceTime()).isEqualTo(Instant.parse(time));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"value\": 1|MALFORMED_JSON",
        "{value: 1}|MALFORMED_JSON",
        "{\"value\": 1} {\"value\": 2}|MALFORMED_JSON",
        "{\"value\": 1} trailing|MALFORMED_JSON",
        "{\"value\": NaN}|MALFORMED_JSON",
        "[1,2]|WRONG_TYPE",
        "{\"value\": {\"a\": 1}}|WRONG_TYPE",
        "{\"value\": [1]}|WRONG_TYPE",
        "{\"value\": null}|WRONG_TYPE",
        "{\"value\": 1e999}|WRONG_TYPE",
        "{\"ts\": 1}|MISSING_FIELD",
        "{}|MISSING_FIELD",
        "{\"ts\": -5, \"value\": 1}|BAD_TIMESTAMP",
        "{\"ts\": \"yesterday\", \"value\": 1}|BAD_TIMESTAMP",
        "{\"ts\": {\"a\":1}, \"value\": 1}|BAD_TIMESTAMP",
        "{\"ts\": 99999999999999999, \"value\": 1}|BAD_TIMESTAMP",
        "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}, \"value\": 1}|TOO_DEEP",
      })
  void rejectsHostileValues(String payload, RejectReason reason) {
    assertThat(onlyReason(decode(VALUE_TOPIC + "x", payload))).isEqualTo(reason);
  }

  @Test
  void rejectsNonUtf8EmptyNulAndOversizedPayloads() {
    byte[] latin1 = "{\"value\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(onlyReason(intake.decode(VALUE_TOPIC + "x", latin1, NOW)))
        .isEqualTo(RejectReason.NOT_UTF8);
    byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
    assertThat(onlyReason(intake.decode(VALUE_TOPIC + "x", overlong, NOW)))
        .isEqualTo(RejectReason.NOT_UTF8);
    assertThat(onlyReason(intake.decode(VALUE_TOPIC + "x", new byte[0], NOW)))
        .isEqualTo(RejectReason.EMPTY_PAYLOAD);
    byte[] utf16 = "{\"value\": 1}".getBytes(StandardCharsets.UTF_16LE);
    assertThat(onlyReason(intake.decode(VALUE_TOPIC + "x", utf16, NOW)))
        .isEqualTo(RejectReason.MALFORMED_JSON);
    assertThat(onlyReason(intake.decode(VALUE_TOPIC + "x", new byte[4097], NOW)))
        .isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
  }

  @Test
  void deepNestingDoesNotOverflowTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    Decoded d = intake.decode(VALUE_TOPIC + "x", deep.getBytes(StandardCharsets.UTF_8), NOW);
    // Over maxPayloadBytes here; with a larger limit the depth limit catches it.
    assertThat(onlyReason(d)).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
    JsonSupport json = new JsonSupport(32);
    JsonValueDecoder decoder = new JsonValueDecoder(json);
    Route route =
        ((RouteResult.Found) Fixtures.parts(Fixtures.DEMO).mapping().route(VALUE_TOPIC + "x"))
            .route();
    assertThat(onlyReason(decoder.decode(route, deep.getBytes(StandardCharsets.UTF_8), NOW)))
        .isEqualTo(RejectReason.TOO_DEEP);
  }

  @Test
  void routesAreRememberedPerTopicButRefusalsAndOverflowAreNot() {
    MqttMapping mapping = Fixtures.parts(Fixtures.DEMO).mapping();
    RouteResult first = mapping.route(VALUE_TOPIC + "motor_temperature_c");
    RouteResult again = mapping.route(VALUE_TOPIC + "motor_temperature_c");
    assertThat(again).isSameAs(first).isInstanceOf(RouteResult.Found.class);
    Route r = ((RouteResult.Found) again).route();
    assertThat(r.signal()).contains("motor_temperature_c");
    assertThat(r.pointer().map(Object::toString)).contains("/data/motor/temp");
    assertThat(mapping.cachedRoutes()).isEqualTo(1);

    assertThat(mapping.route("atelier/platform/hall-a/assembly/nobody-01/x"))
        .isInstanceOf(RouteResult.Refused.class);
    assertThat(mapping.route("atelier/platform/hall-a/assembly/nobody-01/x"))
        .isInstanceOf(RouteResult.Refused.class);
    assertThat(mapping.cachedRoutes()).isEqualTo(1);

    for (int i = 0; i < MqttMapping.MAX_CACHED_ROUTES + 10; i++) {
      assertThat(mapping.route(VALUE_TOPIC + "s" + i)).isInstanceOf(RouteResult.Found.class);
    }
    assertThat(mapping.cachedRoutes()).isEqualTo(MqttMapping.MAX_CACHED_ROUTES);
    RouteResult beyond = mapping.route(VALUE_TOPIC + "s" + (MqttMapping.MAX_CACHED_ROUTES + 5));
    assertThat(((RouteResult.Found) beyond).route().signal())
        .contains("s" + (MqttMapping.MAX_CACHED_ROUTES + 5));
  }

  @Test
  void signalPointerReadsANestedValue() {
    Decoded d =
        decode(
            VALUE_TOPIC + "motor_temperature_c",
            "{\"ts\": 1718000000000, \"data\": {\"motor\": {\"temp\": 61.5}}}");
    assertThat(d.issues()).isEmpty();
    assertThat(d.samples().get(0).value()).isEqualTo(61.5);
    assertThat(d.samples().get(0).sourceTime()).isEqualTo(Instant.ofEpochMilli(1718000000000L));
    assertThat(onlyReason(decode(VALUE_TOPIC + "motor_temperature_c", "{\"value\": 1}")))
        .isEqualTo(RejectReason.MISSING_FIELD);
  }

  @Test
  void batchBecomesOneSamplePerSignalWithTheSharedTimestamp() {
    Decoded d =
        decode(
            BATCH_TOPIC,
            "{\"ts\": 1718000000000, \"values\": {\"state\": \"PRODUCING\", \"good_count\": 17,"
                + " \"speed\": 0.5, \"running\": true}}");
    assertThat(d.issues()).isEmpty();
    assertThat(d.samples())
        .extracting(Sample::signal, Sample::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("state", "PRODUCING"),
            org.assertj.core.groups.Tuple.tuple("good_count", 17L),
            org.assertj.core.groups.Tuple.tuple("speed", 0.5),
            org.assertj.core.groups.Tuple.tuple("running", true));
    assertThat(d.samples())
        .allSatisfy(
            s -> assertThat(s.sourceTime()).isEqualTo(Instant.ofEpochMilli(1718000000000L)));
  }

  @Test
  void batchWithPointerSignalsReadsThemToo() {
    Decoded d =
        decode(
            BATCH_TOPIC,
            "{\"values\": {\"state\": \"IDLE\"}, \"data\": {\"motor\": {\"temp\": 40}}, \"ts\": 5}");
    assertThat(d.issues()).isEmpty();
    assertThat(d.samples())
        .extracting(Sample::signal)
        .containsExactlyInAnyOrder("state", "motor_temperature_c");
  }

  @Test
  void oneBadValueInABatchCostsOnlyThatValue() {
    Decoded d =
        decode(
            "atelier/platform/hall-a/assembly/strict-01",
            "{\"values\": {\"speed\": 2, \"bogus\": 1, \"nested\": {\"x\": 1}}}");
    assertThat(d.samples()).extracting(Sample::signal).containsExactly("speed");
    assertThat(d.issues())
        .extracting(Decoded.Issue::reason)
        .containsExactlyInAnyOrder(RejectReason.UNKNOWN_SIGNAL, RejectReason.UNKNOWN_SIGNAL);

    Decoded open = decode(BATCH_TOPIC, "{\"values\": {\"Bad Name\": 1, \"ok\": [1], \"fine\": 2}}");
    assertThat(open.samples()).extracting(Sample::signal).containsExactly("fine");
    assertThat(open.issues())
        .extracting(Decoded.Issue::reason)
        .containsExactlyInAnyOrder(RejectReason.INVALID_SIGNAL_NAME, RejectReason.WRONG_TYPE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"ts\": 1}|MISSING_FIELD",
        "{\"values\": [1,2]}|WRONG_TYPE",
        "[]|WRONG_TYPE",
        "{\"values\": {}|MALFORMED_JSON",
        "{\"values\": {\"a\": 1}, \"ts\": true}|BAD_TIMESTAMP",
      })
  void rejectsHostileBatches(String payload, RejectReason reason) {
    assertThat(onlyReason(decode("atelier/platform/hall-a/assembly/strict-01", payload)))
        .isEqualTo(reason);
  }

  @Test
  void templatePathMustMatchTheMachine() {
    assertThat(
            onlyReason(decode("atelier/platform/hall-b/assembly/conveyor-01/x", "{\"value\":1}")))
        .isEqualTo(RejectReason.UNKNOWN_MACHINE);
    assertThat(onlyReason(decode("atelier/platform/hall-a/assembly/nobody/x", "{\"value\":1}")))
        .isEqualTo(RejectReason.UNKNOWN_MACHINE);
    assertThat(onlyReason(decode("elsewhere/x", "{\"value\":1}")))
        .isEqualTo(RejectReason.UNKNOWN_TOPIC);
    assertThat(onlyReason(decode(VALUE_TOPIC + "Not-Snake", "{\"value\":1}")))
        .isEqualTo(RejectReason.INVALID_SIGNAL_NAME);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "42|42",
        " -7 |-7",
        "+3|3",
        "21.5|21.5",
        "1e3|1000.0",
        "TRUE|true",
        "false|false",
        "PRODUCING|PRODUCING",
        "NaN|NaN",
        "99999999999999999999|1.0E20",
      })
  void plainPayloadIsTheValue(String payload, String expected) {
    Decoded d = decode("plain/conveyor-01/x", payload);
    assertThat(d.issues()).isEmpty();
    assertThat(String.valueOf(d.samples().get(0).value())).isEqualTo(expected);
    assertThat(d.samples().get(0).sourceTime()).isEqualTo(NOW);
  }

  @Test
  void plainRejectsBlankAndNonUtf8() {
    assertThat(onlyReason(decode("plain/conveyor-01/x", "   ")))
        .isEqualTo(RejectReason.EMPTY_PAYLOAD);
    assertThat(
            onlyReason(intake.decode("plain/conveyor-01/x", new byte[] {(byte) 0xFF, 0x31}, NOW)))
        .isEqualTo(RejectReason.NOT_UTF8);
  }

  @Test
  void explicitTopicsMapToTheirMachineAndSignal() {
    Decoded batch =
        decode("factory/press7/telemetry", "{\"time\": 1000, \"values\": {\"stroke_count\": 9}}");
    assertThat(batch.issues()).isEmpty();
    assertThat(batch.samples().get(0).machine()).isEqualTo("press-07");
    assertThat(batch.samples().get(0).sourceTime()).isEqualTo(Instant.ofEpochMilli(1000));

    Decoded oil = decode("sensors/press7/oil", "42.5");
    assertThat(oil.samples())
        .extracting(Sample::machine, Sample::signal, Sample::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("press-07", "oil_temperature_c", 42.5));

    Decoded load = decode("sensors/press7/load", "{\"reading\": {\"kn\": 800, \"at\": 2000}}");
    assertThat(load.samples())
        .extracting(Sample::signal, Sample::value, Sample::sourceTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tonnage_kn", 800L, Instant.ofEpochMilli(2000)));
  }
}
