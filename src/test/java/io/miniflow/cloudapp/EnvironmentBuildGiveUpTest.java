package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Giving up a paid build whose step keeps failing (RunInstances answers InternalError until its retries are spent and
 * an incident holds the build): operators and workspace admins may, through the API or the console after a
 * confirmation; the build's process releases what was bought and refunds the order.
 */
@MiniflowIntegrationTest
class EnvironmentBuildGiveUpTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    RuntimeService runtime;
    @Autowired
    IdentityService identityService;
    @Autowired
    JdbcClient jdbc;

    private final ObjectMapper json = new ObjectMapper();
    private WechatSandboxHttp sandbox;
    private String app;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new WechatSandboxHttp(port);
        app = "stuck" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        call("admin", post("/api/cloud-apps").contentType(MediaType.APPLICATION_JSON).content(
            "{\"workspace\":\"Demo\",\"name\":\"" + app + "\",\"runtime\":\"SPRING_BOOT\"}"))
            .andExpect(status().isCreated());
        sandbox.post("/sandbox/admin/aliyun/faults", "{\"action\":\"RunInstances\",\"code\":\"InternalError\",\"times\":100}");
    }

    @AfterEach
    void clearFaults() {
        sandbox.delete("/sandbox/admin/aliyun");
    }

    @Test
    void anOperatorGivesUpAStuckBuildThroughTheApiAndTheOrderIsRefunded() throws Exception {
        Stuck stuck = stuckBuild();
        String giveUp = stuck.statusUrl() + "/give-up";

        call("developer", post(giveUp)).andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("cloudapp.giveUp.operatorsOnly"));
        call("reviewer", post(giveUp)).andExpect(status().isForbidden());
        String otherAdmin = otherWorkspaceAdmin();
        mvc.perform(post(giveUp).with(httpBasic(otherAdmin, otherAdmin))).andExpect(status().isNotFound());
        assertThat(runtime.createIncidentQuery().processInstanceId(stuck.processInstanceId()).count()).isPositive();

        call("operator", post(giveUp)).andExpect(status().isAccepted())
            .andExpect(header().string("Location", stuck.statusUrl()))
            .andExpect(jsonPath("$.statusUrl").value(stuck.statusUrl()));

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
            .until(() -> environment().get("status").asText(), "BUILD_FAILED"::equals);
        assertThat(environment().path("order").path("status").asText()).isEqualTo("REFUNDED");
        assertThat(sandbox.get("/sandbox/admin/wechatpay/orders/" + stuck.outTradeNo() + "/refunds").toString())
            .contains("R" + stuck.outTradeNo());
        assertThat(json.readTree(call("admin", get(stuck.statusUrl())).andReturn().getResponse().getContentAsString())
            .path("build").path("status").asText()).isEqualTo("FAILED");
        assertThat(jdbc.sql("SELECT actor FROM mf_audit_log WHERE action = 'CLOUD_BUILD_GIVEN_UP' AND object_id = ?")
            .param(app + "/test").query(String.class).list()).containsExactly("operator");

        call("operator", post(giveUp)).andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("cloudapp.giveUp.notRunning"))
            .andExpect(jsonPath("$.message_en").value(containsString("nothing to give up")))
            .andExpect(jsonPath("$.message_zh").value(containsString("没有可放弃的构建")));

        // Nothing bought is left: the environment can be built again.
        JsonNode again = json.readTree(call("developer", post("/api/cloud-apps/{a}/environments/test/builds", app)
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("plan", "STARTER",
                    "months", 1))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        assertThat(environment().get("status").asText()).isEqualTo("BUILDING");
        assertThat(again.get("outTradeNo").asText()).isNotEqualTo(stuck.outTradeNo());
        TestBuilds.end(runtime, again.get("processInstanceId").asText());
    }

    @Test
    void aWorkspaceAdminGivesUpInTheConsoleAfterSeeingTheIncidentAndConfirming() throws Exception {
        Stuck stuck = stuckBuild();
        String tab = "/environments/apps/" + app + "?env=test";
        String confirm = "/environments/apps/" + app + "/test/builds/" + stuck.buildId() + "/give-up";

        mvc.perform(get(tab).with(developerInConsole())).andExpect(status().isOk())
            .andExpect(content().string(not(containsString(confirm))))
            .andExpect(content().string(containsString("data-incidents=\"Task_RunInstances\"")));
        mvc.perform(get(confirm).with(developerInConsole())).andExpect(status().isForbidden());
        mvc.perform(get(tab).with(adminInConsole())).andExpect(status().isOk())
            .andExpect(content().string(containsString(confirm)))
            .andExpect(content().string(containsString("InternalError")));
        mvc.perform(get(confirm).with(adminInConsole())).andExpect(status().isOk())
            .andExpect(content().string(containsString("Task_RunInstances")))
            .andExpect(content().string(containsString("InternalError")))
            .andExpect(content().string(containsString("name=\"confirmed\"")));

        mvc.perform(post(confirm).with(adminInConsole()).with(csrf())).andExpect(status().isOk())
            .andExpect(content().string(containsString("Tick the box")));
        assertThat(runtime.createProcessInstanceQuery().processInstanceId(stuck.processInstanceId())
            .singleResult()).isNotNull();
        assertThat(environment().get("status").asText()).isEqualTo("BUILDING");

        mvc.perform(post(confirm).with(adminInConsole()).with(csrf()).param("confirmed", "true"))
            .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/environments/apps/" + app + "?env=test"));
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
            .until(() -> environment().get("status").asText(), "BUILD_FAILED"::equals);
        assertThat(environment().path("order").path("status").asText()).isEqualTo("REFUNDED");
        mvc.perform(get(confirm).with(adminInConsole()).param("lang", "zh-CN")).andExpect(status().isOk())
            .andExpect(content().string(containsString("已不在运行")));
    }

    private record Stuck(long buildId, String processInstanceId, String outTradeNo, String statusUrl) {
    }

    /** A paid starter build of the test environment, held by an incident at Task_RunInstances. */
    private Stuck stuckBuild() throws Exception {
        JsonNode started = json.readTree(call("developer", post("/api/cloud-apps/{a}/environments/test/builds", app)
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("plan", "STARTER",
                    "months", 1))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        String outTradeNo = started.get("outTradeNo").asText();
        await().atMost(WAIT).until(() -> environment().path("order").path("codeUrl").asText(null) != null);
        sandbox.post("/sandbox/admin/wechatpay/orders/" + outTradeNo + "/pay", "{}");
        String pid = started.get("processInstanceId").asText();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<Incident> incidents = runtime.createIncidentQuery().processInstanceId(pid).list();
            return incidents.stream().anyMatch(i -> "Task_RunInstances".equals(i.getActivityId()));
        });
        return new Stuck(started.get("buildId").asLong(), pid, outTradeNo, started.get("statusUrl").asText());
    }

    private JsonNode environment() throws Exception {
        return json.readTree(call("admin", get("/api/cloud-apps/{a}/environments/test", app))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    /** The admin of a new workspace (its representative): an admin, but not of Demo. */
    private String otherWorkspaceAdmin() throws Exception {
        String name = "Other" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        User rep = identityService.newUser(name.toLowerCase());
        rep.setEmail(name.toLowerCase() + "@test.local");
        rep.setPassword(name.toLowerCase());
        identityService.saveUser(rep);
        call("admin", post("/api/workspaces").contentType(MediaType.APPLICATION_JSON).content("""
            {"name":"%s","businessScope":"5734","address":"1 Road","representativeName":"Rep","representativeEmail":"%s@test.local"}
            """.formatted(name, name.toLowerCase()))).andExpect(status().isCreated());
        return name.toLowerCase();
    }

    private static RequestPostProcessor developerInConsole() {
        return user("developer").authorities(() -> "workspace-developer", () -> "Demo.workspace-developer");
    }

    private static RequestPostProcessor adminInConsole() {
        return user("admin").authorities(() -> "workspace-admin", () -> "Demo.workspace-admin");
    }

    private ResultActions call(String user, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(httpBasic(user, user)));
    }
}
