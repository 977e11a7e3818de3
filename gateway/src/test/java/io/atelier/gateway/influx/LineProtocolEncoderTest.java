package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineProtocolEncoderTest {

  private static final Instant T = Instant.parse("2023-11-14T22:13:20.123456789Z");
  private static final Map<String, MachineRef> MACHINES =
      Map.of(
          "cnc-01", MachineRef.parse("platform/hall-a/machining/cnc-01"),
          "odd", MachineRef.parse("my site/hall,b/line=1/m 2"));

  private static LineProtocolEncoder encoder(Precision precision) {
    return new LineProtocolEncoder(id -> Optional.ofNullable(MACHINES.get(id)), precision);
  }

  private static String encode(LineProtocolEncoder encoder, Sample... samples) {
    StringBuilder out = new StringBuilder();
    encoder.encode(List.of(samples), out);
    return out.toString();
  }

  private static Sample sample(String machine, String signal, Object value) {
    return Sample.good(machine, signal, value, T);
  }

  @Test
  void writesOneFieldPerSignalWithTheIsa95TagsAndTheSourceTime() {
    String lines =
        encode(
            encoder(Precision.MS),
            sample("cnc-01", "spindle_speed", 1200.5),
            sample("cnc-01", "good_count", 42L),
            sample("cnc-01", "door_open", true),
            sample("cnc-01", "program", "O1000"));
    String tags = "signals,area=hall-a,line=machining,machine=cnc-01,site=platform ";
    assertThat(lines)
        .isEqualTo(
            tags
                + "spindle_speed=1200.5 1700000000123\n"
                + tags
                + "good_count=42i 1700000000123\n"
                + tags
                + "door_open=true 1700000000123\n"
                + tags
                + "program=\"O1000\" 1700000000123\n");
  }

  @Test
  void escapesTagsFieldKeysAndStrings() {
    String line = encode(encoder(Precision.S), sample("odd", "note", "say \"hi\"\\\nbye"));
    assertThat(line)
        .isEqualTo(
            "signals,area=hall\\,b,line=line\\=1,machine=m\\ 2,site=my\\ site"
                + " note=\"say \\\"hi\\\"\\\\\\nbye\" 1700000000\n");
    assertThat(line.chars().filter(c -> c == '\n').count()).isEqualTo(1);
  }

  @Test
  void timestampsFollowThePrecision() {
    Sample s = sample("cnc-01", "v", 1L);
    assertThat(encode(encoder(Precision.NS), s)).endsWith(" 1700000000123456789\n");
    assertThat(encode(encoder(Precision.US), s)).endsWith(" 1700000000123456\n");
    assertThat(encode(encoder(Precision.S), s)).endsWith(" 1700000000\n");
  }

  @Test
  void countsSamplesWithoutAValueAsSkippedAndUnknownMachinesAsRejected() {
    LineProtocolEncoder encoder = encoder(Precision.MS);
    StringBuilder out = new StringBuilder();
    LineProtocolEncoder.Result r =
        encoder.encode(
            List.of(
                new Sample("cnc-01", "temp", null, Quality.bad("sensor failure"), T, T),
                sample("cnc-01", "temp", Double.NaN),
                sample("ghost", "temp", 1.0),
                sample("cnc-01", "temp", 20.5)),
            out);
    assertThat(r.points()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(r.rejected()).hasSize(1);
    assertThat(r.rejected().get(0).reason()).contains("unknown machine 'ghost'");
    assertThat(out.toString()).contains("temp=20.5 ").doesNotContain("ghost");
  }

  // JSON sources send 42 and 42.5 for the same signal; InfluxDB would reject the second type.
  @Test
  void keepsTheFirstNumericTypeOfASignal() {
    LineProtocolEncoder encoder = encoder(Precision.MS);
    String floats =
        encode(encoder, sample("cnc-01", "power_kw", 1.5), sample("cnc-01", "power_kw", 2L));
    assertThat(floats).contains("power_kw=1.5 ").contains("power_kw=2 ").doesNotContain("2i");
    String ints =
        encode(encoder, sample("cnc-01", "good_count", 3L), sample("cnc-01", "good_count", 4.0));
    assertThat(ints).contains("good_count=3i ").contains("good_count=4i ");
    // A fraction cannot be an integer: sent as is, InfluxDB decides (dead letter on conflict).
    assertThat(encode(encoder, sample("cnc-01", "good_count", 4.5))).contains("good_count=4.5 ");
  }

  @Test
  void routesDerivedSeriesToTheirMeasurements() {
    LineProtocolEncoder encoder = encoder(Precision.MS);
    assertThat(encode(encoder, sample("cnc-01", "kpi:15m:oee", 0.8)))
        .startsWith(
            "kpi,area=hall-a,line=machining,machine=cnc-01,site=platform,window=15m oee=0.8 ");
    assertThat(encode(encoder, sample("cnc-01", "machine_state:state", "PRODUCING")))
        .startsWith("machine_state,area=hall-a,line=machining,machine=cnc-01,site=platform state=");
    assertThat(encode(encoder, sample("_line:platform/hall-a/machining", "kpi:1h:oee", 0.7)))
        .startsWith(
            "kpi,area=hall-a,line=machining,machine=_line,site=platform,window=1h oee=0.7 ");
  }

  @Test
  void writesLargeAndSmallFloatsInAFormInfluxDbParses() {
    assertThat(encode(encoder(Precision.MS), sample("cnc-01", "x", 1.0e20))).contains(" x=1.0E20 ");
  }

  // appendDouble has a short path for values of up to three decimals; it must write what the
  // general path writes (InfluxDB's files and the dead-letter file stay the same) and nothing that
  // parses back to another double. Checked in the short path's range, at its edges and beyond.
  @Test
  void writesEveryFloatAsDoubleToStringDoes() {
    java.util.Random random = new java.util.Random(42);
    StringBuilder out = new StringBuilder();
    double[] edges = {
      0.0,
      -0.0,
      0.001,
      0.0009,
      0.0015,
      0.1,
      0.2 + 0.1,
      1.0,
      42.0,
      1234.5,
      9_999_999.999,
      1.0e7,
      1.0e-7,
      123.4567,
      (double) 23.4f,
      Double.MIN_VALUE,
      Double.MAX_VALUE,
      -1234.005,
      1.0e15
    };
    for (int i = 0; i < 300_000 + edges.length; i++) {
      double d =
          i < edges.length
              ? edges[i]
              : switch (i % 4) {
                case 0 -> (random.nextLong() % 10_000_000_000L) / 1000.0;
                case 1 -> Math.round(random.nextGaussian() * 1e5) / 100.0;
                case 2 -> (double) (float) (random.nextDouble() * 1e4);
                default -> random.nextDouble() * Math.pow(10, random.nextInt(20) - 8);
              };
      out.setLength(0);
      LineProtocolEncoder.appendDouble(d, out);
      assertThat(out.toString()).as("%s", d).isEqualTo(Double.toString(d));
      assertThat(Double.parseDouble(out.toString())).isEqualTo(d);
    }
  }

  private static String formatted(double d) {
    StringBuilder b = new StringBuilder();
    LineProtocolEncoder.appendDouble(d, b);
    return b.toString();
  }

  @Test
  void formatsShortDecimalsLikeTheJdkWithoutItsGeneralAlgorithm() {
    for (double d :
        new double[] {
          0.0,
          21.5,
          -21.5,
          0.1,
          0.001,
          1.25,
          42.0,
          -3.0,
          9_999_999.5,
          123.456789,
          0.007,
          1e-4,
          1e7,
          -0.0,
          0.30000000000000004,
          Math.PI,
          Double.MIN_VALUE,
          Double.MAX_VALUE
        }) {
      assertThat(formatted(d)).as("%s", d).isEqualTo(Double.toString(d));
    }
    assertThat(formatted(1000.005)).isEqualTo("1000.005");
    assertThat(formatted(-0.5)).isEqualTo("-0.5");
  }

  @Test
  void everyFormattedDoubleReadsBackExactly() {
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < 200_000; i++) {
      double d =
          switch (i % 4) {
            case 0 -> Math.round(r.nextGaussian() * 1e6) / 100.0;
            case 1 -> Math.round(r.nextDouble() * 1e9) / 1e6;
            case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(12) - 4);
            default -> Double.longBitsToDouble(r.nextLong());
          };
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        continue;
      }
      String text = formatted(d);
      assertThat(Double.parseDouble(text)).as(text).isEqualTo(d);
      assertThat(text).as("%s", d).contains(".");
    }
  }
}
