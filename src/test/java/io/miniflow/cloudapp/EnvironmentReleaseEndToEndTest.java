package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.DatabasePort;
import io.miniflow.cloud.DnsPort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.pkg.TestPackages;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * environment-deploy and environment-release end to end over HTTP against the emulators (issue 15): a standard test
 * environment built through payment (two servers, RDS, the load balancer, its DNS record), v1 deployed, v2 rolled out
 * server by server (the load balancer's weights watched), v3 unhealthy and rolled back to v2, then the environment
 * released with the confirmation by a developer; afterwards nothing of it is left in the emulators, looked up through the same ports Miniflow uses, and
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
    void aStandardTestEnvironmentIsBuiltDeployedRolledBackAndReleasedLeavingNothingInTheEmulators() throws Exception {
        // Given: a standard test environment, built and paid
        long buildId = buildStandardTestEnvironment();
        List<CloudResource> resources = builds.resources(buildId);
        List<String> servers = ids(resources, ResourceKind.ECS_INSTANCE);
        String loadBalancer = ids(resources, ResourceKind.LOAD_BALANCER).get(0);
        String rds = ids(resources, ResourceKind.RDS_INSTANCE).get(0);
        assertThat(servers).hasSize(2);
        assertThat(dns.describe(ZONE, app + "-test")).hasSize(1);

        // When: v1 deployed, then v2 (healthy) while the load balancer is watched
        for (String version : List.of("v1", "v2", "v3")) {
            mvc.perform(multipart("/api/cloud-apps/{a}/packages", app)
                    .file(new MockMultipartFile("file", "shop.jar", "application/java-archive", TestPackages.bootJar()))
                    .param("version", version).with(httpBasic("developer", "developer")))
                .andExpect(status().isCreated());
        }
        assertThat(deployAndWait("v1").get("status").asText()).isEqualTo("SUCCEEDED");
        List<String> weights = new CopyOnWriteArrayList<>();
        Thread watcher = watchWeights(loadBalancer, weights);
        JsonNode v2 = deployAndWait("v2");
        watcher.interrupt();
        watcher.join();

        // Then: each server in turn went 100 → 0 → 100, never both out at once, the first before the second
        assertThat(v2.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(seenBy(weights, 0)).containsExactly("100", "0", "100");
        assertThat(seenBy(weights, 1)).containsExactly("100", "0", "100");
        assertThat(weights).doesNotContain("0/0").containsSubsequence("0/100", "100/0");
        assertThat(v2.get("servers").toString()).contains("\"version\":\"v2\"").doesNotContain("v1");

        // When: v3 does not answer its health check
        sandbox.post("/sandbox/admin/aliyun/health", "{\"version\":\"v3\",\"healthy\":false}");
        JsonNode v3 = deployAndWait("v3");

        // Then: rolled back to v2, both servers at full weight
        assertThat(v3.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(v3.get("reason").asText()).contains("rolled back to v2");
        assertThat(loadBalancers.describe(loadBalancer).backends()).extracting(LoadBalancerPort.Backend::weight)
            .containsExactly(100, 100);
        JsonNode apps = sandbox.get("/sandbox/admin/aliyun/apps");
        for (String server : servers) {
            assertThat(apps.toString()).contains("\"instanceId\":\"" + server + "\",\"version\":\"v2\"");
        }
        sandbox.post("/sandbox/admin/aliyun/health", "{\"version\":\"v3\",\"healthy\":true}");

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

    private JsonNode deployAndWait(String version) throws Exception {
        JsonNode started = json.readTree(as("developer", post("/api/cloud-apps/{a}/environments/test/deploys", app)
                .contentType(MediaType.APPLICATION_JSON).content("{\"packageVersion\":\"" + version + "\"}"))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        String url = started.get("statusUrl").asText();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> !List.of("WAITING", "RUNNING")
            .contains(json.readTree(as("developer", get(url)).andReturn().getResponse().getContentAsString())
                .get("status").asText()));
        return json.readTree(as("developer", get(url)).andReturn().getResponse().getContentAsString());
    }

    /** One server's weights as they changed. */
    private static List<String> seenBy(List<String> weights, int server) {
        List<String> seen = new java.util.ArrayList<>();
        for (String both : weights) {
            String weight = both.split("/")[server];
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(weight)) {
                seen.add(weight);
            }
        }
        return seen;
    }

    /** Records the two servers' weights ("a/b") at the load balancer each time they change, until interrupted. */
    private Thread watchWeights(String loadBalancer, List<String> weights) {
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String now = loadBalancers.describe(loadBalancer).backends().stream()
                    .map(b -> String.valueOf(b.weight())).collect(java.util.stream.Collectors.joining("/"));
                if (weights.isEmpty() || !weights.get(weights.size() - 1).equals(now)) {
                    weights.add(now);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        return watcher;
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
