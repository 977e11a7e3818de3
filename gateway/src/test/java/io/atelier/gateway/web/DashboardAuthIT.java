package io.atelier.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.gateway.http.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard on a gateway with tokens, in headless Chromium: it asks for a token, sends it as a
 * Bearer header to the API and in the first WebSocket message to the live feed, and shows only what
 * the token's scope and role allow.
 */
@Timeout(180)
class DashboardAuthIT {

  @TempDir Path dir;
  private TestGateway gw;
  private Browser browser;
  private ChromeDriver web;

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.start(dir.resolve("gw"));
    browser = new Browser(dir.resolve("chromium"), 1400, 900);
    web = browser.driver();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      gw.close();
    }
  }

  @Test
  void asksForATokenAndThenShowsOnlyWhatItsScopeAllows() {
    web.get("http://127.0.0.1:" + gw.port() + "/");
    WebElement dialog = web.findElement(By.id("token-dialog"));
    await("the token dialog")
        .atMost(Duration.ofSeconds(20))
        .until(() -> dialog.getDomProperty("open").equals("true"));
    assertThat(web.findElement(By.id("token-reason")).getText()).contains("needs an access token");

    enterToken("not-a-valid-token-at-all");
    await("the refusal")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(web.findElement(By.id("token-reason")).getText())
                    .contains("refused this token"));

    // Firm A's viewer sees cnc-01 only, and may not act on it.
    enterToken(TestGateway.VIEWER_A);
    await("the overview for firm A")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(web.findElements(By.cssSelector("#overview-tiles .tile")))
                  .extracting(t -> t.getDomAttribute("data-machine"))
                  .containsExactly("cnc-01");
              assertThat(web.findElement(By.id("who")).getText()).isEqualTo("firm-a · viewer");
              // The live feed accepted the token sent in its first message.
              assertThat(web.findElement(By.id("live")).getText()).isEqualTo("live");
            });
    browser.screenshot("auth-01-firm-a-overview");

    web.findElement(By.cssSelector("nav a[data-nav='trainer']")).click();
    await("the trainer panel, read only")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              WebElement fault =
                  web.findElement(
                      By.cssSelector("button[data-action='fault'][data-machine='cnc-01']"));
              assertThat(fault.isEnabled()).isFalse();
              assertThat(web.findElements(By.cssSelector(".trainer-card"))).hasSize(1);
              // This gateway has no simulator: the panel says so instead of failing silently.
              assertThat(web.findElement(By.id("simulator-note")).getText())
                  .contains("No simulator is configured");
            });
    browser.screenshot("auth-02-firm-a-trainer");
  }

  private void enterToken(String token) {
    await("the token form")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> web.findElement(By.id("token-input")).isDisplayed());
    WebElement input = web.findElement(By.id("token-input"));
    input.clear();
    input.sendKeys(token);
    web.findElement(By.cssSelector("#token-form button[type='submit']")).click();
  }
}
