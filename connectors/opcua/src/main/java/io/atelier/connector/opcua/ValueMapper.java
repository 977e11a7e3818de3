package io.atelier.connector.opcua;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.core.types.DynamicStructType;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.UaEnumeratedType;
import org.eclipse.milo.opcua.stack.core.types.UaStructuredType;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.DiagnosticInfo;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Matrix;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.XmlElement;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Turns an OPC UA value into the four Sample value types, flattening arrays and structures.
 *
 * <ul>
 *   <li>Boolean stays Boolean. SByte, Byte, Int16, UInt16, Int32, UInt32, Int64 and enumerations
 *       become Long. UInt64 becomes Long while it fits; above 2^63-1 it becomes a Double (rounded)
 *       and the sample is marked UNCERTAIN, so a counter near the top of its range stays a number.
 *   <li>Float and Double become Double.
 *   <li>DateTime becomes epoch milliseconds (Long): numeric, comparable, and what InfluxDB and the
 *       KPI engine handle best.
 *   <li>String, XmlElement, Guid stay text; ByteString becomes base64; LocalizedText its text;
 *       QualifiedName {@code ns:name}; NodeId and ExpandedNodeId their parseable form; StatusCode
 *       its symbolic name (e.g. {@code Bad_NodeIdUnknown}).
 *   <li>Arrays and matrices (row-major) become {@code signal[0]}, {@code signal[1]}...; structures
 *       become {@code signal.field}, nested as deep as they go ({@code signal[2].low}).
 * </ul>
 */
public final class ValueMapper {

  /**
   * One flattened value.
   *
   * @param suffix appended to the signal name: empty for a scalar, {@code [0]}, {@code .field}...
   * @param value a Double, Long, Boolean or String; null when there is nothing usable
   * @param note why the value is less than certain (rounded, undecodable), empty when it is not
   */
  public record Flat(String suffix, Object value, Optional<String> note) {
    static Flat of(String suffix, Object value) {
      return new Flat(suffix, value, Optional.empty());
    }
  }

  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final Set<String> STRUCT_NOISE =
      Set.of("getTypeId", "getBinaryEncodingId", "getXmlEncodingId", "getJsonEncodingId");

  private final Function<ExtensionObject, Optional<Object>> decoder;

  /**
   * @param decoder decodes an ExtensionObject the stack left encoded (a server-specific structure)
   *     through the client's data-type dictionary; empty when it cannot
   */
  public ValueMapper(Function<ExtensionObject, Optional<Object>> decoder) {
    this.decoder = decoder;
  }

  /** A mapper that decodes no server-specific structures. */
  public static ValueMapper withoutDecoder() {
    return new ValueMapper(xo -> Optional.empty());
  }

  /** Flattens a value; never empty for a scalar (a null gives one Flat with a null value). */
  public List<Flat> flatten(Object value) {
    List<Flat> out = new ArrayList<>();
    flatten("", value, out);
    return out;
  }

  private void flatten(String prefix, Object value, List<Flat> out) {
    if (value instanceof Variant v) {
      flatten(prefix, v.value(), out);
    } else if (value instanceof DataValue dv) {
      flatten(prefix, dv.value().value(), out);
    } else if (value instanceof Matrix m) {
      flatten(prefix, m.getElements(), out);
    } else if (value != null && value.getClass().isArray()) {
      int n = Array.getLength(value);
      for (int i = 0; i < n; i++) {
        flatten(prefix + "[" + i + "]", Array.get(value, i), out);
      }
    } else if (value instanceof ExtensionObject xo) {
      Optional<Object> decoded = xo.isNull() ? Optional.empty() : safeDecode(xo);
      if (decoded.isPresent()) {
        flatten(prefix, decoded.get(), out);
      } else {
        out.add(
            new Flat(
                prefix,
                null,
                Optional.of(
                    "structure "
                        + xo.getEncodingOrTypeId().toParseableString()
                        + " could not be decoded")));
      }
    } else if (value instanceof DynamicStructType s) {
      for (Map.Entry<String, Object> e : s.getMembers().entrySet()) {
        flatten(prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (value instanceof UaStructuredType s) {
      flattenGenerated(prefix, s, out);
    } else if (value instanceof ULong u) {
      BigInteger big = new BigInteger(u.toString());
      if (big.compareTo(LONG_MAX) <= 0) {
        out.add(Flat.of(prefix, big.longValue()));
      } else {
        out.add(
            new Flat(
                prefix,
                big.doubleValue(),
                Optional.of("UInt64 value " + big + " is beyond 2^63-1, rounded to a double")));
      }
    } else {
      out.add(Flat.of(prefix, scalar(value)));
    }
  }

  /** Maps one non-container value; null stays null. */
  static Object scalar(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean || value instanceof String) {
      return value;
    }
    if (value instanceof Double) {
      return value;
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof UByte || value instanceof UShort || value instanceof UInteger) {
      return ((Number) value).longValue();
    }
    if (value instanceof DateTime t) {
      return t.getJavaTime();
    }
    if (value instanceof UUID g) {
      return g.toString();
    }
    if (value instanceof ByteString b) {
      return b.isNull() ? null : Base64.getEncoder().encodeToString(b.bytesOrEmpty());
    }
    if (value instanceof XmlElement x) {
      return x.getFragment();
    }
    if (value instanceof LocalizedText t) {
      return t.text() == null ? "" : t.text();
    }
    if (value instanceof QualifiedName q) {
      return q.toParseableString();
    }
    if (value instanceof NodeId id) {
      return id.toParseableString();
    }
    if (value instanceof ExpandedNodeId id) {
      return id.toParseableString();
    }
    if (value instanceof StatusCode sc) {
      return statusName(sc);
    }
    if (value instanceof UaEnumeratedType e) {
      return (long) e.getValue();
    }
    if (value instanceof DiagnosticInfo d) {
      return d.toString();
    }
    return value.toString();
  }

  /** The symbolic name of a status code ({@code Bad_NodeIdUnknown}), or its hex value. */
  public static String statusName(StatusCode sc) {
    // The low 16 bits carry info bits (overflow, limits); the name belongs to the upper half.
    long code = sc.value() & 0xFFFF0000L;
    return StatusCodes.lookup(code)
        .map(nameAndDescription -> nameAndDescription[0])
        .orElse(String.format(Locale.ROOT, "0x%08X", sc.value()));
  }

  private Optional<Object> safeDecode(ExtensionObject xo) {
    try {
      return decoder.apply(xo);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Milo's generated structures (Range, EUInformation, ...) are classes with getters, not maps:
   * their public {@code getX()} accessors name the fields.
   */
  private void flattenGenerated(String prefix, UaStructuredType s, List<Flat> out) {
    List<Method> getters = new ArrayList<>();
    for (Method m : s.getClass().getMethods()) {
      if (m.getName().startsWith("get")
          && m.getName().length() > 3
          && m.getParameterCount() == 0
          && !Modifier.isStatic(m.getModifiers())
          && m.getDeclaringClass() != Object.class
          // Interface defaults (getTypeName) describe the type, not the value.
          && !m.getDeclaringClass().isInterface()
          && !STRUCT_NOISE.contains(m.getName())) {
        getters.add(m);
      }
    }
    getters.sort((a, b) -> a.getName().compareTo(b.getName()));
    for (Method m : getters) {
      String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      try {
        flatten(prefix + "." + field, m.invoke(s), out);
      } catch (ReflectiveOperationException | RuntimeException e) {
        out.add(new Flat(prefix + "." + field, null, Optional.of("field could not be read: " + e)));
      }
    }
  }
}
