package io.atelier.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.gateway.demo.Demo;
import io.atelier.gateway.demo.DemoOptions;
import io.atelier.testsupport.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web dashboard in a real browser (headless Chromium) against a running demo: the default
 * simulators in real time, the embedded broker and the gateway, all in this JVM on free loopback
 * ports. What a trainer does in front of a class: look at the platform, watch the numbers move,
 * open a machine, start a session and break a machine from the trainer panel.
 */
@Timeout(300)
class DashboardIT {

  private static final List<String> MACHINES =
      List.of("cnc-01", "robot-01", "imm-01", "assembly-01", "conveyor-01", "printer-01");

  @TempDir Path dir;
  private Demo demo;
  private Browser browser;
  private ChromeDriver web;
  private String base;

  @BeforeEach
  void start() throws Exception {
    List<Integer> ports = FreePort.pick(4);
    demo =
        Demo.start(
            new DemoOptions(
                ports.get(0),
                ports.get(1),
                ports.get(2),
                Optional.empty(),
                ports.get(3),
                42,
                dir.resolve("demo"),
                Optional.empty(),
                Map.of()));
    base = "http://127.0.0.1:" + demo.httpPort() + "/";
    browser = new Browser(dir.resolve("chromium"), 1600, 1000);
    web = browser.driver();
  }

  @AfterEach
  void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (demo != null) {
        demo.close();
      }
    }
  }

  @Test
  void showsEveryMachineLiveAndATrainerFaultTurnsTheMachineDown() {
    web.get(base);

    // 1. Every machine has a tile, and every tile a state from the live feed.
    await("a tile with a state for each of the six machines")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, String> states = tileStates();
              assertThat(states.keySet()).containsExactlyInAnyOrderElementsOf(MACHINES);
              assertThat(states.values()).doesNotContain("UNKNOWN");
            });
    assertThat(web.findElement(By.id("live")).getText()).isEqualTo("live");
    browser.screenshot("01-overview");

    // 2. The OEE shown changes as the simulated machines produce (the demo runs in real time).
    Map<String, String> before = oees();
    await("an OEE value on the overview changes")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(oees()).isNotEqualTo(before));
    browser.screenshot("02-overview-later");

    // 3. A machine's page: its live signals.
    tile("cnc-01").click();
    await("the machine page with live signals")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(web.getCurrentUrl()).endsWith("#/machine/cnc-01");
              WebElement row =
                  web.findElement(By.cssSelector("#signals tr[data-signal='spindle_speed']"));
              assertThat(row.findElements(By.tagName("td")).get(1).getText()).isNotEqualTo("–");
              assertThat(row.findElements(By.tagName("td")).get(2).getText()).isEqualTo("GOOD");
            });
    assertThat(web.findElement(By.cssSelector(".machine-head h1")).getText()).isEqualTo("cnc-01");
    assertThat(web.findElements(By.cssSelector(".uplot"))).as("charts drawn").hasSizeGreaterThan(1);
    browser.screenshot("03-machine-cnc-01");

    // 4. The trainer panel: a session, then a fault; the machine is DOWN within 3 s.
    web.findElement(By.cssSelector("nav a[data-nav='trainer']")).click();
    await("the trainer panel")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> web.findElement(By.id("session-start")).isEnabled());
    web.findElement(By.id("session-start")).click();
    await("a running session with its KPIs")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(web.findElement(By.id("session-stop")).isDisplayed()).isTrue();
              assertThat(web.findElement(By.id("session-kpis")).getText()).contains("cnc-01");
            });

    WebElement fault =
        web.findElement(By.cssSelector("button[data-action='fault'][data-machine='cnc-01']"));
    assertThat(cardState("cnc-01")).isNotEqualTo("DOWN");
    fault.click();
    long clicked = System.nanoTime();
    await("cnc-01 DOWN on the trainer panel")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> "DOWN".equals(cardState("cnc-01")));
    long ms = (System.nanoTime() - clicked) / 1_000_000;
    System.out.println("DashboardIT: cnc-01 shown DOWN " + ms + " ms after the click");
    await("the fault in the event log")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(web.findElement(By.id("event-log")).getText())
                    .contains("cnc-01: fault")
                    .contains("cnc-01 PRODUCING → DOWN"));
    browser.screenshot("04-trainer-fault");

    web.findElement(By.cssSelector("nav a[data-nav='overview']")).click();
    await("cnc-01 DOWN on the overview")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(tileStates()).containsEntry("cnc-01", "DOWN"));
    browser.screenshot("05-overview-fault");
  }

  private WebElement tile(String machine) {
    return web.findElement(By.cssSelector(".tile[data-machine='" + machine + "']"));
  }

  private Map<String, String> tileStates() {
    return web.findElements(By.cssSelector("#overview-tiles .tile")).stream()
        .collect(
            Collectors.toMap(
                t -> t.getDomAttribute("data-machine"),
                t -> t.findElement(By.cssSelector(".state")).getDomAttribute("data-state")));
  }

  private Map<String, String> oees() {
    return web.findElements(By.cssSelector("#overview-tiles .tile")).stream()
        .collect(
            Collectors.toMap(
                t -> t.getDomAttribute("data-machine"),
                t -> t.findElement(By.cssSelector(".oee-value")).getDomAttribute("data-value")));
  }

  private String cardState(String machine) {
    return web.findElement(By.cssSelector(".trainer-card[data-machine='" + machine + "'] .state"))
        .getDomAttribute("data-state");
  }
}
