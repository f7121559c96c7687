package io.miniflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * /actuator/prometheus as Prometheus sees it (HTTP Basic with an operator's credentials, over the wire) while work
 * happens: platform calls, approvals waiting, incidents, builds and the job executor move; who may scrape; what
 * /actuator/health shows to whom.
 */
@MiniflowIntegrationTest
class MetricsEndpointsTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    RuntimeService runtime;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void onlyOperatorsAndAdminsMayScrape() throws Exception {
        assertThat(scrape(null).statusCode()).isEqualTo(401);
        assertThat(scrape(null).headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
            challenge -> assertThat(challenge).startsWith("Basic"));
        assertThat(scrape("developer").statusCode()).isEqualTo(403);
        assertThat(scrape("reviewer").statusCode()).isEqualTo(403);
        assertThat(scrape("operator").statusCode()).isEqualTo(200);
        assertThat(scrape("admin").statusCode()).isEqualTo(200);

        mvc.perform(get("/actuator/metrics")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/metrics/miniflow.platform.calls").with(httpBasic("developer", "developer")))
            .andExpect(status().isForbidden());
        mvc.perform(get("/actuator/metrics").with(httpBasic("operator", "operator"))).andExpect(status().isOk())
            .andExpect(jsonPath("$.names").isArray());
        // No session: a scrape is not a login.
        assertThat(scrape("operator").headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void metricsMoveWhileApprovalsBuildsAndIncidentsHappen() throws Exception {
        String before = text("operator");
        double aliyunCalls = sum(before, "miniflow_platform_calls_seconds_count", "platform=\"aliyun\"");
        double approvals = value(before, "miniflow_approvals_waiting");

        // An approval waits for a reviewer.
        String applied = mvc.perform(post("/api/approvals").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("workspace", "Demo",
                    "category", "FEATURE", "title", "Metrics " + UUID.randomUUID(), "objectName", "shop-mp",
                    "objectVersion", "1.0.0"))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long approvalId = json.readTree(applied).get("approvalId").asLong();
        await().atMost(WAIT).until(() -> value(text("operator"), "miniflow_approvals_waiting") == approvals + 1);
        assertThat(value(text("operator"), "miniflow_approvals_oldest_age_seconds")).isGreaterThanOrEqualTo(0);

        // A paid build whose RunInstances keeps failing: Aliyun calls, errors with Aliyun's code, then an incident.
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/aliyun/faults", "{\"action\":\"RunInstances\",\"code\":\"InternalError\",\"times\":100}");
        String pid = null;
        try {
            String app = "metrics" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            mvc.perform(post("/api/cloud-apps").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"workspace\":\"Demo\",\"name\":\"" + app + "\",\"runtime\":\"SPRING_BOOT\"}"))
                .andExpect(status().isCreated());
            JsonNode started = json.readTree(mvc.perform(post("/api/cloud-apps/{a}/environments/test/builds", app)
                    .with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"plan\":\"STARTER\",\"months\":1}"))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
            pid = started.get("processInstanceId").asText();
            String outTradeNo = started.get("outTradeNo").asText();
            await().atMost(WAIT).until(() -> environmentOrder(app).path("codeUrl").asText(null) != null);
            sandbox.post("/sandbox/admin/wechatpay/orders/" + outTradeNo + "/pay", "{}");

            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String now = text("operator");
                assertThat(sum(now, "miniflow_platform_calls_seconds_count", "platform=\"aliyun\""))
                    .isGreaterThan(aliyunCalls);
                assertThat(sum(now, "miniflow_platform_calls_seconds_count", "platform=\"aliyun\"",
                    "api=\"RunInstances\"", "outcome=\"error\"", "code=\"InternalError\"")).isPositive();
                assertThat(sum(now, "miniflow_platform_calls_seconds_bucket", "platform=\"aliyun\"")).isPositive();
                assertThat(sum(now, "miniflow_platform_calls_seconds_count", "platform=\"wechatpay\"",
                    "api=\"prepay\"", "outcome=\"success\"")).isPositive();
                assertThat(sum(now, "miniflow_incidents_open", "process=\"environment-build\"",
                    "activity=\"Task_RunInstances\"")).isPositive();
                assertThat(sum(now, "miniflow_cloud_builds", "status=\"RUNNING\"")).isPositive();
                assertThat(sum(now, "miniflow_jobexecutor_jobs_total", "event=\"executed\"")).isPositive();
                assertThat(sum(now, "miniflow_jobexecutor_jobs_total", "event=\"failed\"")).isPositive();
            });
            String now = text("operator");
            assertThat(now).contains("miniflow_release_items{stage=\"AUDITING\"}")
                .contains("miniflow_release_audits_waiting").contains("miniflow_cloud_deploys{status=\"SUCCEEDED\"}")
                .contains("miniflow_jobexecutor_jobs_total{event=\"rejected\"}");
        } finally {
            sandbox.delete("/sandbox/admin/aliyun");
            end(pid);
        }

        mvc.perform(post("/api/approvals/{id}/withdraw", approvalId).with(httpBasic("developer", "developer")))
            .andExpect(status().is2xxSuccessful());
        await().atMost(WAIT).until(() -> value(text("operator"), "miniflow_approvals_waiting") == approvals);
    }

    @Test
    void healthShowsItsComponentsOnlyToLoggedInUsers() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("UP"))
            .andExpect(jsonPath("$.components").doesNotExist());

        mvc.perform(get("/actuator/health").with(user("operator").authorities(() -> "operator")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.components.db.status").value("UP"))
            .andExpect(jsonPath("$.components.jobExecutor.status").value("UP"))
            .andExpect(jsonPath("$.components.jobExecutor.details.active").value(true))
            .andExpect(jsonPath("$.components.jobExecutor.details.acquiring").value(true))
            .andExpect(jsonPath("$.components.processEngine.status").value("UP"))
            .andExpect(jsonPath("$.components.platforms.components.wechat.status").value("UP"))
            .andExpect(jsonPath("$.components.platforms.components.aliyun.status").value("UP"))
            .andExpect(jsonPath("$.components.platforms.components.wechatpay.status").value("UP"))
            .andExpect(jsonPath("$.components.platforms.components.wechat.details.url").exists())
            .andExpect(jsonPath("$.components.wechatComponentToken.status").exists());
        String body = mvc.perform(get("/actuator/health").with(user("operator").authorities(() -> "operator")))
            .andReturn().getResponse().getContentAsString();
        assertThat(body).doesNotContain("component_access_token\":\"").doesNotContain("\"token\"");

        // Anonymous visitors do not learn which components there are either.
        mvc.perform(get("/actuator/health/platforms")).andExpect(status().isNotFound());
        mvc.perform(get("/actuator/health/platforms").with(user("operator").authorities(() -> "operator")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.components.aliyun.details.httpStatus").exists());
    }

    private JsonNode environmentOrder(String app) throws Exception {
        return json.readTree(mvc.perform(get("/api/cloud-apps/{a}/environments/test", app)
                .with(httpBasic("admin", "admin"))).andReturn().getResponse().getContentAsString()).path("order");
    }

    /** Ends the build's process, so it does not poll its order under later tests. */
    private void end(String processInstanceId) {
        if (processInstanceId == null) {
            return;
        }
        await().atMost(Duration.ofSeconds(30)).ignoreException(OptimisticLockingException.class).until(() -> {
            runtime.deleteProcessInstanceIfExists(processInstanceId, "test done", false, true, false, false);
            return true;
        });
    }

    private HttpResponse<String> scrape(String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
            + "/actuator/prometheus")).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String text(String user) throws Exception {
        HttpResponse<String> response = scrape(user);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The sum of the samples of this metric whose labels contain all of these (name="value" pairs). */
    static double sum(String exposition, String metric, String... labels) {
        double total = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*\\})? (\\S+)").matcher(exposition);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** The value of a metric without labels (or the sum over its labels). */
    static double value(String exposition, String metric) {
        return sum(exposition, metric);
    }
}
