package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.mqtt.TopicTemplate.Placeholder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTemplateTest {

  private final TopicTemplate full =
      TopicTemplate.of("atelier/{site}/{area}/{line}/{machine}/{signal}");

  @Test
  void filterReplacesNamesWithPlus() {
    assertThat(full.filter()).isEqualTo("atelier/+/+/+/+/+");
    assertThat(TopicTemplate.of("a/{machine}/#").filter()).isEqualTo("a/+/#");
    assertThat(TopicTemplate.of("plain/topic").isExact()).isTrue();
    assertThat(full.isExact()).isFalse();
  }

  @Test
  void matchBindsEveryName() {
    Map<Placeholder, String> b =
        full.match("atelier/platform/hall-a/assembly/conveyor-01/good_count").orElseThrow();
    assertThat(b)
        .containsEntry(Placeholder.SITE, "platform")
        .containsEntry(Placeholder.AREA, "hall-a")
        .containsEntry(Placeholder.LINE, "assembly")
        .containsEntry(Placeholder.MACHINE, "conveyor-01")
        .containsEntry(Placeholder.SIGNAL, "good_count");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "atelier/platform/hall-a/assembly/conveyor-01",
        "atelier/platform/hall-a/assembly/conveyor-01/x/y",
        "atelier/platform/hall-a/assembly/conveyor-01/",
        "atelier/platform//assembly/conveyor-01/x",
        "atelierx/platform/hall-a/assembly/conveyor-01/x",
        "other/platform/hall-a/assembly/conveyor-01/x",
        "",
        "/"
      })
  void doesNotMatchOtherShapes(String topic) {
    assertThat(full.match(topic)).isEmpty();
  }

  @Test
  void multiLevelWildcardMatchesParentAndChildren() {
    TopicTemplate t = TopicTemplate.of("spBv1.0/atelier/#");
    assertThat(t.match("spBv1.0/atelier")).isPresent();
    assertThat(t.match("spBv1.0/atelier/DDATA/simulator/printer-01")).isPresent();
    assertThat(t.match("spBv1.0/other/DDATA/x")).isEmpty();
    assertThat(TopicTemplate.of("#").match("a/b")).isPresent();
  }

  @Test
  void wildcardsAtTheStartDoNotMatchDollarTopics() {
    assertThat(TopicTemplate.of("#").match("$SYS/broker/uptime")).isEmpty();
    assertThat(TopicTemplate.of("+/x").match("$SYS/x")).isEmpty();
    assertThat(TopicTemplate.of("{machine}/x").match("$SYS/x")).isEmpty();
    assertThat(TopicTemplate.of("$SYS/#").match("$SYS/broker/uptime")).isPresent();
  }

  @Test
  void anonymousPlusMatchesOneLevel() {
    TopicTemplate t = TopicTemplate.of("a/+/{machine}");
    assertThat(t.match("a/x/m1").orElseThrow()).containsEntry(Placeholder.MACHINE, "m1");
    assertThat(t.match("a/m1")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/{machine}x",
        "a/{nope}",
        "a/{machine}/{machine}",
        "a/#/b",
        "a/b#",
        "a/b+",
        "$share/g/a/b",
      })
  void rejectsBadTemplates(String text) {
    List<String> problems = new ArrayList<>();
    assertThat(TopicTemplate.parse(text, problems::add)).isEmpty();
    assertThat(problems).isNotEmpty();
  }

  @Test
  void sharedSubscriptionFilterCarriesTheGroup() {
    SubscriptionSettings s =
        new SubscriptionSettings(
            TopicTemplate.of("atelier/{machine}"),
            1,
            DecoderKind.JSON_BATCH,
            java.util.Optional.of("g"));
    assertThat(s.subscriptionFilter()).isEqualTo("$share/g/atelier/+");
  }
}
