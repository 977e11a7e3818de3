package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The presence documents: written and read back; anything else is refused, never a crash. */
class PresenceTest {

  private static Presence parse(String json) throws Presence.Invalid {
    return Presence.parse("gw-a", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTrips() throws Exception {
    Presence p =
        new Presence(
            Presence.State.ADOPTED, "gw-a", Set.of("gateways", "b"), Optional.of("gw-b"), 1234);
    String json = new String(p.toJson(), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"state\":\"adopted\",\"clientId\":\"gw-a\",\"groups\":[\"b\",\"gateways\"],"
                + "\"by\":\"gw-b\",\"since\":1234}");
    assertThat(Presence.parse("gw-a", p.toJson())).isEqualTo(p);
  }

  @Test
  void readsMinimalDocumentsAndAnEmptyPayload() throws Exception {
    Presence p = parse("{\"state\":\"OFFLINE\"}");
    assertThat(p.state()).isEqualTo(Presence.State.OFFLINE);
    assertThat(p.clientId()).isEqualTo("gw-a");
    assertThat(p.groups()).isEmpty();
    assertThat(Presence.parse("gw-a", new byte[0]).state()).isEqualTo(Presence.State.CLEARED);
    assertThat(parse("{\"state\":\"online\",\"extra\":{\"x\":1}}").state())
        .isEqualTo(Presence.State.ONLINE);
  }

  @Test
  void sharesGroups() throws Exception {
    Presence p = parse("{\"state\":\"offline\",\"groups\":[\"a\",\"b\"]}");
    assertThat(p.sharesGroupWith(Set.of("b", "c"))).isTrue();
    assertThat(p.sharesGroupWith(Set.of("c"))).isFalse();
  }

  @Test
  void refusesWhatIsNotAPresenceDocument() {
    String[] bad = {
      "not json",
      "[1,2]",
      "42",
      "null",
      "{}",
      "{\"state\":17}",
      "{\"state\":\"sleeping\"}",
      "{\"state\":\"cleared\"}",
      "{\"state\":\"offline\",\"clientId\":\"gw-z\"}",
      "{\"state\":\"offline\",\"clientId\":5}",
      "{\"state\":\"offline\",\"groups\":\"gateways\"}",
      "{\"state\":\"offline\",\"groups\":[1]}",
      "{\"state\":\"offline\",\"groups\":[\"\"]}",
      "{\"state\":\"adopted\"}",
      "{\"state\":\"adopted\",\"by\":\"\"}",
      "{\"state\":\"online\",\"since\":\"yesterday\"}",
      "{\"state\":\"online\",\"since\":1.5}",
      "{\"state\":\"online\"",
      "{\"state\":\"online\",\"x\":[[[[[[[[[[1]]]]]]]]]]}",
      "{\"state\":\"online\",\"groups\":[" + "\"g\",".repeat(100) + "\"g\"]}",
      "{\"state\":\"online\",\"pad\":\"" + "x".repeat(5000) + "\"}",
    };
    for (String b : bad) {
      assertThatThrownBy(() -> parse(b)).as(b).isInstanceOf(Presence.Invalid.class);
    }
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButInvalid() {
    Random random = new Random(42);
    int refused = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] payload = new byte[1 + random.nextInt(200)];
      random.nextBytes(payload);
      try {
        Presence.parse("gw-a", payload);
      } catch (Presence.Invalid expected) {
        refused++;
      }
    }
    assertThat(refused).isEqualTo(2_000);
  }
}
