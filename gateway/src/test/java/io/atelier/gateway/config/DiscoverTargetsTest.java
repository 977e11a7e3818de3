package io.atelier.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which hosts {@code /api/discover} may browse. Only literals and "localhost": no DNS needed. */
class DiscoverTargetsTest {

  @Test
  void theDefaultAllowsThePrivateNetworksOnly() {
    DiscoverTargets d = DiscoverTargets.PRIVATE;
    for (String ok :
        List.of(
            "127.0.0.1",
            "localhost",
            "10.1.2.3",
            "172.16.0.9",
            "172.31.255.255",
            "192.168.178.20",
            "169.254.1.1",
            "[::1]",
            "fd12:3456::1",
            "fe80::1")) {
      assertThat(d.check(ok)).as(ok).isEmpty();
    }
    for (String refused :
        List.of("8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1", "1.1.1.1")) {
      assertThat(d.check(refused))
          .as(refused)
          .hasValueSatisfying(why -> assertThat(why).contains("http.discover.allow"));
    }
  }

  @Test
  void blocksAddressesNamesAndWildcards() {
    DiscoverTargets d =
        new DiscoverTargets(
            List.of("203.0.113.0/24", "198.51.100.7", "*.plant.example", "press-07"));
    assertThat(d.check("203.0.113.200")).isEmpty();
    assertThat(d.check("203.0.114.1")).isPresent();
    assertThat(d.check("198.51.100.7")).isEmpty();
    assertThat(d.check("198.51.100.8")).isPresent();
    assertThat(d.check("Mill-3.Plant.Example")).isEmpty();
    assertThat(d.check("press-07")).isEmpty();
    assertThat(d.check("127.0.0.1")).as("private is not implied once allow is set").isPresent();
    assertThat(new DiscoverTargets(List.of("any")).check("8.8.8.8")).isEmpty();
    assertThat(new DiscoverTargets(List.of()).check("127.0.0.1"))
        .as("empty list: nothing")
        .isPresent();
  }

  @Test
  void rejectsMalformedEntriesWithAReason() {
    assertThat(DiscoverTargets.problem("10.0.0.0/33"))
        .hasValueSatisfying(p -> assertThat(p).contains("prefix"));
    assertThat(DiscoverTargets.problem("10.0.0.0/x")).isPresent();
    assertThat(DiscoverTargets.problem("fd00::zz/8")).isPresent();
    assertThat(DiscoverTargets.problem("bad host!")).isPresent();
    assertThat(DiscoverTargets.problem("")).isPresent();
    for (String ok :
        List.of("private", "any", "10.0.0.0/8", "fd00::/8", "*.plant.local", "press-07")) {
      assertThat(DiscoverTargets.problem(ok)).as(ok).isEmpty();
    }
  }
}
