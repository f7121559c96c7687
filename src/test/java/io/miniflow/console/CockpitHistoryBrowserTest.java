package io.miniflow.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;

/**
 * Miniflow's Cockpit history plugin in a real browser (headless Chromium through chromedriver): an operator finds a
 * finished, reviewed publish by its business key in the History view and reads its executed path and who approved
 * it; the console's process page links to the same history. A WeChat release batch lists its mini programs' releases
 * and each release links back to it. Skipped where chromedriver is not installed (CI installs
 * it, .ci/run). Screenshots land in target/cockpit-screenshots.
 */
@MiniflowIntegrationTest
class CockpitHistoryBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "cockpit-screenshots");
    private static final String COCKPIT = "/camunda/app/cockpit/default/";

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;

    private WebDriver browser;
    private HeadlessChromium chromium;

    @BeforeEach
    void startBrowser() {
        chromium = HeadlessChromium.requireInstalled("the Cockpit browser test");
        openBrowser("en-US");
    }

    /** A fresh browser whose reader prefers {@code language}; the plugin picks its texts by it. */
    private void openBrowser(String language) {
        browser = chromium.open(language);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorFindsAFinishedPublishInCockpitsHistoryAndSeesItsPathAndApprover() throws Exception {
        String app = "ck" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String processInstanceId = publishApprovedBy("reviewer", app, "2.0.0");

        logInAs("operator");
        browser.get(url("/camunda/app/cockpit/default/"));
        waitFor().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.mf-nav"))).click();
        WebElement businessKey = waitFor().until(ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector(".mf-filters input[name=businessKey]")));
        businessKey.sendKeys(app);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector(".mf-filters select[name=state]")))
            .selectByValue("completed");
        browser.findElement(By.cssSelector(".mf-filters .mf-search")).click();

        WebElement row = waitFor().until(ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("tr.mf-instance[data-instance-id='" + processInstanceId + "']")));
        assertThat(browser.findElements(By.cssSelector("tr.mf-instance"))).hasSize(1);
        assertThat(row.findElement(By.cssSelector("[data-state]")).getAttribute("data-state")).isEqualTo("COMPLETED");
        assertThat(browser.findElement(By.cssSelector(".mf-count")).getText()).contains("1");
        screenshot("list");

        row.findElement(By.cssSelector("a.mf-business-key")).click();
        WebElement diagram = waitFor().until(ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(".mf-diagram[data-taken]")));
        assertThat(diagram.getAttribute("data-executed").split(",")).contains("StartEvent_PublishRequested",
            "CallActivity_Review", "Gateway_Approved", "Task_Deploy", "EndEvent_Published")
            .doesNotContain("Task_ReturnToPending", "EndEvent_NotApproved");
        // The flows it took: through the review, not past it.
        assertThat(diagram.getAttribute("data-taken").split(",")).contains("Flow_ApprovalNeeded", "Flow_ToApproved",
            "Flow_WasApproved").doesNotContain("Flow_NoApprovalNeeded", "Flow_NotApproved");
        assertThat(browser.findElements(By.cssSelector(
            ".mf-diagram [data-element-id='CallActivity_Review'].mf-executed"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector(
            ".mf-diagram [data-element-id='Task_ReturnToPending'].mf-executed"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector(".mf-instance-business-key")).getText())
            .isEqualTo(app + "/prod/2.0.0");
        screenshot("instance");

        waitFor().until(ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("tr.mf-activity[data-activity-id='EndEvent_Published']")));
        assertThat(browser.findElements(By.cssSelector("tr.mf-activity")).stream()
            .map(r -> r.getAttribute("data-activity-id")).toList())
            .containsSubsequence("StartEvent_PublishRequested", "CallActivity_Review", "Task_Deploy",
                "EndEvent_Published");

        // The approval happened in the called review-approval instance: its user operations are shown here too.
        WebElement approval = waitFor().until(ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("tr.mf-operation[data-operation='Complete'][data-user='reviewer']")));
        scrollTo(approval);
        assertThat(approval.getText()).contains("reviewer").contains("review-approval");
        screenshot("operations");

        WebElement relation = browser.findElement(By.cssSelector("#mf-relations tr.mf-child a"));
        scrollTo(relation);
        screenshot("relations");

        // Both ways: the plugin links to Miniflow's process page, and that page back to the plugin.
        String consoleLink = browser.findElement(By.cssSelector("a.mf-console-link")).getAttribute("href");
        assertThat(consoleLink).endsWith("/processes/" + processInstanceId);
        browser.get(consoleLink);
        WebElement back = waitFor().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.cockpit-history")));
        screenshot("console");
        back.click();
        waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".mf-diagram[data-executed]")));
        assertThat(browser.getCurrentUrl()).endsWith("#/miniflow-history/instance/" + processInstanceId);
    }

    @Test
    void aReleaseBatchListsItsMiniProgramReleasesAndEachLinksBackToTheBatch() throws Exception {
        CockpitReleaseBatches batches = new CockpitReleaseBatches(port, mvc, json, jdbc);
        CockpitReleaseBatches.Batch batch = null;
        try {
            batch = batches.start(2, 1);
            String heldAppId = batch.held().get(0);
            String held = batch.releases().get(heldAppId);
            String released = batch.releases().get(batch.released().get(0));
            logInAs("operator");

            // The running batch in Cockpit's runtime view: its tab lists the three releases, each linked where it
            // reads best: the running one to Cockpit's runtime view, the finished ones to their history.
            browser.get(url(COCKPIT + "#/process-instance/" + batch.processInstanceId()
                + "/runtime?tab=miniflow-release-batch-tab"));
            waitFor().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".mf-batch-tab tr.mf-release"), 3));
            assertThat(browser.findElement(By.cssSelector(".mf-release-count")).getAttribute("data-count"))
                .isEqualTo("3");
            assertThat(releaseLink(heldAppId).getAttribute("href")).endsWith("#/process-instance/" + held + "/runtime");
            assertThat(releaseLink(batch.released().get(0)).getAttribute("href"))
                .endsWith("#/miniflow-history/instance/" + released);
            assertThat(browser.findElement(By.cssSelector(
                "tr.mf-release[data-app-id='" + heldAppId + "'] [data-state]")).getAttribute("data-state"))
                .isEqualTo("ACTIVE");
            screenshot("batch-releases");

            // Searched by a part of an appid.
            browser.findElement(By.cssSelector(".mf-release-filters input[name=appId]"))
                .sendKeys(heldAppId.substring(3));
            browser.findElement(By.cssSelector(".mf-release-filters .mf-search")).click();
            waitFor().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".mf-batch-tab tr.mf-release"), 1));
            assertThat(browser.findElement(By.cssSelector("tr.mf-release")).getAttribute("data-app-id"))
                .isEqualTo(heldAppId);

            // The running release: a button in its action bar and its tab lead back to the batch.
            releaseLink(heldAppId).click();
            WebElement action = waitFor().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("a.mf-batch-action")));
            assertThat(browser.getCurrentUrl()).contains("#/process-instance/" + held + "/runtime");
            assertThat(action.getAttribute("href")).endsWith("#/process-instance/" + batch.processInstanceId()
                + "/runtime");
            browser.get(url(COCKPIT + "#/process-instance/" + held + "/runtime?tab=miniflow-release-batch-tab"));
            WebElement tabLink = waitFor().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".mf-batch-tab a.mf-batch-link")));
            assertThat(tabLink.getText()).isEqualTo("Release batch #" + batch.id());
            screenshot("release-runtime");

            // A finished release's history links to the batch, and the batch's history lists its releases.
            browser.get(url(COCKPIT + "#/miniflow-history/instance/" + released));
            WebElement back = waitFor().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".mf-links a.mf-batch-link")));
            assertThat(back.getText()).isEqualTo("Release batch #" + batch.id());
            assertThat(back.getAttribute("data-instance-id")).isEqualTo(batch.processInstanceId());
            screenshot("release-history");
            back.click();
            waitFor().until(ExpectedConditions.urlContains("#/process-instance/" + batch.processInstanceId()));

            browser.get(url(COCKPIT + "#/miniflow-history/instance/" + batch.processInstanceId()));
            waitFor().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#mf-releases tr.mf-release"), 3));
            scrollTo(browser.findElement(By.cssSelector("#mf-releases")));
            screenshot("batch-history");

            // In Chinese.
            browser.quit();
            browser = null;
            openBrowser("zh-CN");
            logInAs("operator");
            browser.get(url(COCKPIT + "#/process-instance/" + batch.processInstanceId()
                + "/runtime?tab=miniflow-release-batch-tab"));
            waitFor().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".mf-batch-tab tr.mf-release"), 3));
            assertThat(browser.findElement(By.cssSelector(".mf-release-count")).getText()).isEqualTo("共 3 个小程序发布");
            assertThat(browser.findElement(By.cssSelector(".mf-release-filters .mf-search")).getText()).isEqualTo("搜索");
            screenshot("batch-releases-zh");
        } finally {
            batches.cancel(batch);
        }
    }

    private WebElement releaseLink(String appId) {
        return browser.findElement(By.cssSelector("tr.mf-release[data-app-id='" + appId + "'] a.mf-release-link"));
    }

    /** One login, in Miniflow's console; Cockpit knows the user from it. */
    private void logInAs(String user) {
        HeadlessChromium.logIn(browser, url(""), user, WAIT);
    }

    /** An app whose prod environment needs one approval; a developer publishes, {@code reviewer} approves. */
    private String publishApprovedBy(String reviewer, String app, String version) throws Exception {
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"appCode\":\"" + app + "\",\"name\":\"Cockpit test app\","
                    + "\"engineVersion\":\"1.0.0\"}"))
            .andExpect(status().isCreated());
        mvc.perform(post("/api/apps/{a}/environments", app).with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"envCode\":\"prod\",\"name\":\"Production\",\"domain\":\"https://p.example.com\","
                    + "\"apiDomain\":\"https://api.p.example.com\",\"deployConfig\":\"default\","
                    + "\"requiresApproval\":true}"))
            .andExpect(status().isCreated());
        JsonNode started = json.readTree(mvc.perform(post("/api/apps/{a}/environments/prod/publishes", app)
                .with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":\"" + version + "\",\"note\":\"cockpit test\"}"))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        long approvalId = Awaitility.await().atMost(WAIT).until(() -> jdbc.sql(
                "SELECT id FROM mf_approval WHERE object_name = ? AND object_version = ? AND status = 'PENDING'")
            .params(app, version).query(Long.class).optional(), Optional::isPresent).orElseThrow();
        mvc.perform(post("/api/approvals/{id}/decision", approvalId).with(httpBasic(reviewer, reviewer))
                .contentType(MediaType.APPLICATION_JSON).content("{\"decision\":\"APPROVE\"}"))
            .andExpect(status().isOk());
        String statusUrl = started.get("statusUrl").asText();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> "PUBLISHED".equals(
            json.readTree(mvc.perform(get(statusUrl).with(httpBasic("developer", "developer"))).andReturn()
                .getResponse().getContentAsString()).path("status").asText()));
        return started.get("processInstanceId").asText();
    }

    private WebDriverWait waitFor() {
        return new WebDriverWait(browser, WAIT);
    }

    private void scrollTo(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    }

    private void screenshot(String name) throws IOException {
        HeadlessChromium.screenshot(browser, SCREENSHOTS, "cockpit-" + name);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

}
