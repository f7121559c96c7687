package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.DatabasePort;
import io.miniflow.cloud.DnsPort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * environment-release end to end over HTTP against the emulators (issue 15): a standard test environment built
 * through payment (two servers, RDS, the load balancer, its DNS record), then released with the confirmation by a
 * developer; afterwards nothing of it is left in the emulators, looked up through the same ports Miniflow uses, and
 * its history is kept. The refusals: a wrong confirmation (400), an environment not built (409), a reviewer (403).
 */
@MiniflowIntegrationTest
class EnvironmentReleaseEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ZONE = "apps.sandbox.miniflow.test";

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ComputePort compute;
    @Autowired
    LoadBalancerPort loadBalancers;
    @Autowired
    DatabasePort databases;
    @Autowired
    DnsPort dns;
    @Autowired
    EnvironmentBuilds builds;

    private final ObjectMapper json = new ObjectMapper();
    private WechatSandboxHttp sandbox;
    private String app;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new WechatSandboxHttp(port);
        sandbox.put("/sandbox/admin/aliyun/settings", "{\"pendingMillis\":200,\"startingMillis\":300,"
            + "\"commandMillis\":300,\"dbCreatingMillis\":800,\"stoppingMillis\":500}");
        app = "shop" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        as("admin", post("/api/cloud-apps").contentType(MediaType.APPLICATION_JSON).content(
            "{\"workspace\":\"Demo\",\"name\":\"" + app + "\",\"runtime\":\"SPRING_BOOT\",\"description\":\"shop\"}"))
            .andExpect(status().isCreated());
    }

    @Test
    void aReleasedStandardTestEnvironmentLeavesNothingInTheEmulators() throws Exception {
        // Given: a standard test environment, built and paid
        long buildId = buildStandardTestEnvironment();
        List<CloudResource> resources = builds.resources(buildId);
        List<String> servers = ids(resources, ResourceKind.ECS_INSTANCE);
        String loadBalancer = ids(resources, ResourceKind.LOAD_BALANCER).get(0);
        String rds = ids(resources, ResourceKind.RDS_INSTANCE).get(0);
        assertThat(servers).hasSize(2);
        assertThat(dns.describe(ZONE, app + "-test")).hasSize(1);

        // When: refused first — a wrong confirmation, a reviewer, an environment never built
        as("developer", release("test", "prod")).andExpect(status().isBadRequest())
            .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("confirm"));
        as("developer", release("test", null)).andExpect(status().isBadRequest());
        as("reviewer", release("test", "test")).andExpect(status().isForbidden());
        as("developer", release("prod", "prod")).andExpect(status().isConflict());
        assertThat(environment("test").get("status").asText()).isEqualTo("READY");

        // ... and in the console: the tab offers the release, whose page asks for the name and refuses another
        String page = "/environments/apps/" + app + "/test/release";
        mvc.perform(get("/environments/apps/{a}", app).param("env", "test").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString(page)));
        mvc.perform(get(page).with(developer())).andExpect(status().isOk())
            .andExpect(content().string(containsString("name=\"confirm\"")));
        mvc.perform(post(page).param("confirm", "tset").with(developer()).with(csrf())).andExpect(status().isOk())
            .andExpect(content().string(containsString("flash err")));
        assertThat(environment("test").get("status").asText()).isEqualTo("READY");

        // When: a developer confirms with the environment's name
        JsonNode started = json.readTree(as("developer", release("test", "test")).andExpect(status().isAccepted())
            .andReturn().getResponse().getContentAsString());

        // Then
        assertThat(started.get("processInstanceId").asText()).isNotBlank();
        String statusUrl = started.get("statusUrl").asText();
        assertThat(statusUrl).isEqualTo("/api/cloud-apps/" + app + "/environments/test");
        as("developer", release("test", "test")).andExpect(status().isConflict());
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> json.readTree(as("admin", get(statusUrl))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).get("status").asText(),
            "RELEASED"::equals);

        // Then: nothing left in the emulators
        assertThat(compute.describeInstances(servers)).isEmpty();
        assertThatThrownBy(() -> loadBalancers.describe(loadBalancer)).hasMessageContaining("NotFound");
        assertThatThrownBy(() -> databases.describe(rds)).isInstanceOf(RuntimeException.class);
        assertThat(dns.describe(ZONE, app + "-test")).isEmpty();
        // ... and nothing left to release, while the history stays
        assertThat(builds.resources(buildId)).isEmpty();
        JsonNode environment = environment("test");
        assertThat(environment.get("order").get("status").asText()).isEqualTo("PAID");
        as("developer", release("test", "test")).andExpect(status().isConflict());
    }

    private long buildStandardTestEnvironment() throws Exception {
        JsonNode started = json.readTree(as("admin", post("/api/cloud-apps/{a}/environments/test/builds", app)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("plan", "STANDARD", "months", 1))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        await().atMost(WAIT).until(() -> environment("test").path("order").path("codeUrl").asText(null) != null);
        sandbox.post("/sandbox/admin/wechatpay/orders/" + started.get("outTradeNo").asText() + "/pay", "{}");
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
            .until(() -> environment("test").get("status").asText(), "READY"::equals);
        return started.get("buildId").asLong();
    }

    private org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder release(String env,
                                                                                               String confirm)
        throws Exception {
        return post("/api/cloud-apps/{a}/environments/{e}/release", app, env).contentType(MediaType.APPLICATION_JSON)
            .content(confirm == null ? "{}" : json.writeValueAsString(Map.of("confirm", confirm)));
    }

    private JsonNode environment(String env) throws Exception {
        return json.readTree(as("admin", get("/api/cloud-apps/{a}/environments/{e}", app, env))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private ResultActions as(String user,
                             org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
        throws Exception {
        return mvc.perform(request.with(httpBasic(user, user)));
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor developer() {
        return user("developer").authorities(() -> "workspace-developer", () -> "Demo.workspace-developer");
    }

    private static List<String> ids(List<CloudResource> resources, ResourceKind kind) {
        return resources.stream().filter(r -> r.kind() == kind).map(CloudResource::resourceId).toList();
    }
}
