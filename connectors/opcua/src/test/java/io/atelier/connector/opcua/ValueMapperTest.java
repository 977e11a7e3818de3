package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import io.atelier.connector.opcua.ValueMapper.Flat;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Matrix;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.XmlElement;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.junit.jupiter.api.Test;

class ValueMapperTest {

  private final ValueMapper mapper = ValueMapper.withoutDecoder();

  private Object scalar(Variant v) {
    List<Flat> flats = mapper.flatten(v);
    assertThat(flats).hasSize(1);
    assertThat(flats.get(0).suffix()).isEmpty();
    assertThat(flats.get(0).note()).isEmpty();
    return flats.get(0).value();
  }

  @Test
  void mapsBooleanAndEveryIntegerTypeToBooleanOrLong() {
    assertThat(scalar(Variant.ofBoolean(true))).isEqualTo(true);
    assertThat(scalar(Variant.ofSByte((byte) -5))).isEqualTo(-5L);
    assertThat(scalar(Variant.ofByte(ubyte(250)))).isEqualTo(250L);
    assertThat(scalar(Variant.ofInt16((short) -300))).isEqualTo(-300L);
    assertThat(scalar(Variant.ofUInt16(ushort(65535)))).isEqualTo(65535L);
    assertThat(scalar(Variant.ofInt32(-70000))).isEqualTo(-70000L);
    assertThat(scalar(Variant.ofUInt32(uint(4_000_000_000L)))).isEqualTo(4_000_000_000L);
    assertThat(scalar(Variant.ofInt64(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(scalar(Variant.ofUInt64(ulong(Long.MAX_VALUE)))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void mapsUInt64BeyondLongRangeToARoundedDoubleWithANote() {
    List<Flat> flats = mapper.flatten(Variant.ofUInt64(ULong.MAX));
    assertThat(flats)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.value()).isEqualTo(1.8446744073709552E19);
              assertThat(f.note()).hasValueSatisfying(n -> assertThat(n).contains("beyond 2^63-1"));
            });
  }

  @Test
  void mapsFloatingPointTypesToDouble() {
    assertThat(scalar(Variant.ofFloat(1.5f))).isEqualTo(1.5d);
    assertThat(scalar(Variant.ofDouble(-2.25))).isEqualTo(-2.25d);
  }

  @Test
  void mapsTextLikeTypesToStrings() {
    UUID guid = UUID.fromString("09087e75-8e5e-499b-954f-f2a9603db28a");
    assertThat(scalar(Variant.ofString("hello"))).isEqualTo("hello");
    assertThat(scalar(Variant.ofXmlElement(new XmlElement("<a/>")))).isEqualTo("<a/>");
    assertThat(scalar(Variant.ofGuid(guid))).isEqualTo(guid.toString());
    assertThat(scalar(Variant.ofByteString(ByteString.of(new byte[] {1, 2, 3})))).isEqualTo("AQID");
    assertThat(scalar(Variant.ofLocalizedText(new LocalizedText("de", "Spindel"))))
        .isEqualTo("Spindel");
    assertThat(scalar(Variant.ofQualifiedName(new QualifiedName(2, "Speed")))).isEqualTo("2:Speed");
    assertThat(scalar(Variant.ofNodeId(new NodeId(2, "Machines/cnc-01"))))
        .isEqualTo("ns=2;s=Machines/cnc-01");
    assertThat(scalar(Variant.ofExpandedNodeId(ExpandedNodeId.parse("nsu=urn:x;i=5"))))
        .isEqualTo("nsu=urn:x;i=5");
    assertThat(scalar(Variant.ofStatusCode(new StatusCode(StatusCodes.Bad_NodeIdUnknown))))
        .isEqualTo("Bad_NodeIdUnknown");
  }

  @Test
  void mapsDateTimeToEpochMillis() {
    Instant t = Instant.parse("2026-03-01T08:15:30.250Z");
    assertThat(scalar(Variant.ofDateTime(new DateTime(t)))).isEqualTo(t.toEpochMilli());
  }

  @Test
  void mapsEnumerationsToTheirNumber() {
    assertThat(scalar(Variant.ofEnum(ServerState.Running))).isEqualTo(0L);
    assertThat(scalar(Variant.ofEnum(ServerState.Shutdown))).isEqualTo(4L);
  }

  @Test
  void keepsANullValueAsNull() {
    assertThat(scalar(Variant.NULL_VALUE)).isNull();
  }

  @Test
  void flattensArraysIntoIndexedSuffixes() {
    assertThat(mapper.flatten(Variant.ofDoubleArray(new Double[] {1.0, 2.0, 3.0})))
        .containsExactly(Flat.of("[0]", 1.0), Flat.of("[1]", 2.0), Flat.of("[2]", 3.0));
    assertThat(mapper.flatten(Variant.ofInt32Array(new int[] {7, 8})))
        .containsExactly(Flat.of("[0]", 7L), Flat.of("[1]", 8L));
    assertThat(mapper.flatten(Variant.ofStringArray(new String[0]))).isEmpty();
  }

  @Test
  void flattensMatricesRowMajor() {
    Matrix m = new Matrix(new Integer[][] {{1, 2}, {3, 4}});
    assertThat(mapper.flatten(Variant.ofMatrix(m)))
        .extracting(Flat::suffix, Flat::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("[0]", 1L),
            org.assertj.core.groups.Tuple.tuple("[1]", 2L),
            org.assertj.core.groups.Tuple.tuple("[2]", 3L),
            org.assertj.core.groups.Tuple.tuple("[3]", 4L));
  }

  @Test
  void flattensStructuresIntoFieldSuffixesAlsoInsideArrays() {
    assertThat(mapper.flatten(Variant.ofStruct(new Range(0.0, 100.0))))
        .containsExactly(Flat.of(".high", 100.0), Flat.of(".low", 0.0));
    assertThat(mapper.flatten(new Range[] {new Range(1.0, 2.0)}))
        .containsExactly(Flat.of("[0].high", 2.0), Flat.of("[0].low", 1.0));
  }

  @Test
  void reportsStructuresItCannotDecode() {
    ExtensionObject xo = ExtensionObject.of(ByteString.of(new byte[] {1}), new NodeId(5, 9999));
    assertThat(mapper.flatten(Variant.ofExtensionObject(xo)))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.value()).isNull();
              assertThat(f.note()).hasValueSatisfying(n -> assertThat(n).contains("ns=5;i=9999"));
            });
  }

  @Test
  void decodesStructuresThroughTheGivenDecoder() {
    ExtensionObject xo = ExtensionObject.of(ByteString.of(new byte[] {1}), new NodeId(5, 9999));
    ValueMapper decoding = new ValueMapper(x -> Optional.of(new Range(-1.0, 1.0)));
    assertThat(decoding.flatten(Variant.ofExtensionObject(xo)))
        .containsExactly(Flat.of(".high", 1.0), Flat.of(".low", -1.0));
  }

  @Test
  void unwrapsNestedVariantsAndDataValues() {
    assertThat(mapper.flatten(Variant.ofVariantArray(new Variant[] {Variant.ofInt16((short) 3)})))
        .containsExactly(Flat.of("[0]", 3L));
    assertThat(mapper.flatten(Variant.ofDataValue(new DataValue(Variant.ofBoolean(false)))))
        .containsExactly(Flat.of("", false));
  }
}
