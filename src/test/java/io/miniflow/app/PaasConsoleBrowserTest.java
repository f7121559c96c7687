package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.console.HeadlessChromium;

/**
 * The PaaS console's configs in a real browser (headless Chromium, issue #20): a developer creates a deploy config
 * with the form, finds it by searching, edits it, and deletes it through the confirmation page, which deletes
 * nothing until its button is pressed. Screenshots land in target/console-screenshots.
 */
@MiniflowIntegrationTest
class PaasConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private WebDriver browser;

    @BeforeEach
    void startBrowser() {
        browser = HeadlessChromium.requireInstalled("the PaaS console browser test").open("en-US");
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aDeployConfigIsCreatedFoundEditedAndDeletedAfterConfirmation() throws Exception {
        String name = "br" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        HeadlessChromium.logIn(browser, base(), "developer", WAIT);

        browser.get(base() + "/apps/configs?workspace=Demo");
        fill("name", name);
        fill("cloudVendor", "aliyun");
        fill("deployPath", "/browser");
        fill("deployDomain", "https://browser.example.com");
        fill("accessPath", "/b");
        fill("note", "made in a browser");
        browser.findElement(By.id("note")).submit();
        waitFor().until(ExpectedConditions.urlContains("/apps/configs"));
        assertThat(note(name)).contains("made in a browser");

        WebElement search = browser.findElement(By.name("q"));
        search.sendKeys(name);
        search.submit();
        WebElement row = waitFor().until(ExpectedConditions.visibilityOfElementLocated(
            By.xpath("//table//tr[td[text()='" + name + "']]")));
        assertThat(browser.findElements(By.cssSelector("table tbody tr"))).hasSize(1);
        HeadlessChromium.screenshot(browser, SCREENSHOTS, "deploy-configs-searched");

        row.findElement(By.linkText("Edit")).click();
        WebElement note = waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("note")));
        note.clear();
        note.sendKeys("edited in a browser");
        note.submit();
        waitFor().until(ExpectedConditions.urlContains("/apps/configs?workspace=Demo"));
        assertThat(note(name)).contains("edited in a browser");

        browser.get(base() + "/apps/configs?workspace=Demo&q=" + name);
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(
            By.xpath("//table//tr[td[text()='" + name + "']]"))).findElement(By.linkText("Delete")).click();
        WebElement confirm = waitFor().until(ExpectedConditions.elementToBeClickable(By.cssSelector("form button.danger")));
        HeadlessChromium.screenshot(browser, SCREENSHOTS, "deploy-config-delete-confirmation");
        assertThat(note(name)).as("the confirmation page deletes nothing").isPresent();
        confirm.click();
        waitFor().until(ExpectedConditions.urlContains("/apps/configs?workspace=Demo"));
        assertThat(note(name)).as("deleted once confirmed").isEmpty();
    }

    private void fill(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private Optional<String> note(String name) {
        return jdbc.sql("SELECT note FROM mf_deploy_config WHERE workspace = 'Demo' AND name = ?").param(name)
            .query(String.class).optional();
    }

    private WebDriverWait waitFor() {
        return new WebDriverWait(browser, WAIT);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
