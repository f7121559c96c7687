package io.miniflow.cloudapp.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.TestEnvironments;
import io.miniflow.cloudapp.pkg.TestPackages;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

/**
 * environment-deploy (issue 15) against the emulators, every path: a rolling deploy server by server, an unhealthy
 * version rolled back, a first deploy failing, a starter deployed in place, a prod deploy waiting for its approval
 * (approved, and rejected), a prod release waiting for its approval (rejected: the environment as it was; approved:
 * released), a second deploy and a release refused while one runs, the requests refused before
 * anything starts, and the package download closed to anyone without the order's token. The environments are made
 * READY by {@link TestEnvironments} (the build itself is tested end to end elsewhere).
 */
@MiniflowIntegrationTest
class EnvironmentDeployTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationContext context;
    @Autowired
    ComputePort compute;
    @Autowired
    LoadBalancerPort loadBalancers;

    private final ObjectMapper json = new ObjectMapper();
    private WechatSandboxHttp sandbox;
    private TestEnvironments environments;
    private String app;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new WechatSandboxHttp(port);
        sandbox.delete("/sandbox/admin/aliyun");
        sandbox.put("/sandbox/admin/aliyun/settings", "{\"pendingMillis\":100,\"startingMillis\":100,"
            + "\"commandMillis\":200,\"appStartMillis\":300}");
        environments = new TestEnvironments(context);
        app = "dep" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        as("admin", post("/api/cloud-apps").contentType(MediaType.APPLICATION_JSON).content(
            "{\"workspace\":\"Demo\",\"name\":\"" + app + "\",\"runtime\":\"SPRING_BOOT\"}"))
            .andExpect(status().isCreated());
    }

    @Test
    void aStandardEnvironmentIsDeployedServerByServerAndThenAgain() throws Exception {
        // Given
        TestEnvironments.Built built = environments.ready(app, "test", 2);
        upload("v1");
        upload("v2");

        // When
        JsonNode first = deploy("test", "v1");

        // Then: an order number like seed 001's, followed at its status URL
        assertThat(first.get("deployId").asText()).matches("MF\\d{20}");
        assertThat(first.get("statusUrl").asText())
            .isEqualTo("/api/cloud-apps/" + app + "/environments/test/deploys/" + first.get("deployId").asText());
        JsonNode order = awaitEnd(first);
        assertThat(order.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(order.path("previousVersion").isMissingNode()).isTrue();
        assertThat(servers(order)).containsExactly(built.servers().get(0) + "=100:v1", built.servers().get(1) + "=100:v1");
        // ... each server installed in turn, with the logs of its install kept
        assertThat(order.get("logs")).hasSize(2);
        for (JsonNode log : order.get("logs")) {
            assertThat(log.get("phase").asText()).isEqualTo("DEPLOY");
            assertThat(log.get("status").asText()).isEqualTo("DONE");
            assertThat(log.get("xdeploy").asText()).contains("v1");
            assertThat(log.get("stdout").asText()).isNotBlank();
        }
        assertThat(emulatedApps()).containsEntry(built.servers().get(0), "v1").containsEntry(built.servers().get(1), "v1");
        // ... the load balancer holds both at full weight again
        assertThat(loadBalancers.describe(built.loadBalancerId()).backends())
            .extracting(LoadBalancerPort.Backend::weight).containsExactly(100, 100);

        // When: the next version
        JsonNode second = awaitEnd(deploy("test", "v2"));

        // Then
        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("previousVersion").asText()).isEqualTo("v1");
        assertThat(servers(second)).containsExactly(built.servers().get(0) + "=100:v2", built.servers().get(1) + "=100:v2");
        JsonNode history = json.readTree(as("reviewer", get("/api/cloud-apps/{a}/environments/test/deploys", app))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(history.get("total").asInt()).isEqualTo(2);
        assertThat(history.get("items").get(0).get("version").asText()).isEqualTo("v2");
        JsonNode packages = json.readTree(as("admin", get("/api/cloud-apps/{a}/packages", app))
            .andReturn().getResponse().getContentAsString());
        assertThat(packages.toString()).contains("\"runningIn\":\"test\"");
        // ... a deployed package cannot be deleted
        as("admin", org.springframework.test.web.servlet.request.MockMvcRequestBuilders
            .delete("/api/cloud-apps/{a}/packages/{v}", app, "v1")).andExpect(status().isConflict());
    }

    @Test
    void anUnhealthyVersionIsRolledBackOnTheServersItReached() throws Exception {
        // Given: v1 runs on both servers; v2 will not answer its health check
        TestEnvironments.Built built = environments.ready(app, "test", 2);
        upload("v1");
        upload("v2");
        assertThat(awaitEnd(deploy("test", "v1")).get("status").asText()).isEqualTo("SUCCEEDED");
        sandbox.post("/sandbox/admin/aliyun/health", "{\"version\":\"v2\",\"healthy\":false}");

        // When
        JsonNode order = awaitEnd(deploy("test", "v2"));

        // Then: the first server failed and got v1 back; the second was never touched
        assertThat(order.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(order.get("reason").asText()).contains("v2", built.servers().get(0), "health", "rolled back to v1");
        assertThat(servers(order)).containsExactly(built.servers().get(0) + "=100:v1", built.servers().get(1) + "=100:v1");
        List<String> steps = new ArrayList<>();
        order.get("logs").forEach(l -> steps.add(l.get("phase").asText() + " " + l.get("instanceId").asText() + " "
            + l.get("version").asText() + " " + l.get("status").asText()));
        assertThat(steps).containsExactly("DEPLOY " + built.servers().get(0) + " v2 FAILED",
            "DEPLOY " + built.servers().get(1) + " v2 PENDING", "ROLLBACK " + built.servers().get(0) + " v1 DONE");
        assertThat(emulatedApps()).containsEntry(built.servers().get(0), "v1").containsEntry(built.servers().get(1), "v1");
        // ... a business outcome, no incident
        assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_RU_INCIDENT WHERE PROC_INST_ID_ = ?")
            .param(order.get("processInstanceId").asText()).query(Long.class).single()).isZero();
    }

    @Test
    void aFirstDeployThatFailsLeavesItsServerOutOfTheLoadBalancer() throws Exception {
        // Given
        TestEnvironments.Built built = environments.ready(app, "test", 2);
        upload("v1");
        sandbox.post("/sandbox/admin/aliyun/health", "{\"version\":\"v1\",\"healthy\":false}");

        // When
        JsonNode order = awaitEnd(deploy("test", "v1"));

        // Then
        assertThat(order.get("status").asText()).isEqualTo("FAILED");
        assertThat(order.get("reason").asText()).contains("first deploy", built.servers().get(0), "weight 0");
        assertThat(loadBalancers.describe(built.loadBalancerId()).backends())
            .containsExactly(new LoadBalancerPort.Backend(built.servers().get(0), 0),
                new LoadBalancerPort.Backend(built.servers().get(1), 100));
    }

    @Test
    void serversBoughtAgainAfterAReleaseHaveNothingToGoBackTo() throws Exception {
        // Given: v1 ran on the environment, which was then released and built again (new servers, nothing on them)
        TestEnvironments.Built first = environments.ready(app, "test", 1);
        upload("v1");
        upload("v2");
        assertThat(awaitEnd(deploy("test", "v1")).get("status").asText()).isEqualTo("SUCCEEDED");
        jdbc.sql("UPDATE mf_cloud_resource SET released_at = CURRENT_TIMESTAMP WHERE env_id = ?")
            .param(first.environmentId()).update();
        TestEnvironments.Built again = environments.ready(app, "test", 1);
        sandbox.post("/sandbox/admin/aliyun/health", "{\"version\":\"v2\",\"healthy\":false}");

        // When
        JsonNode order = awaitEnd(deploy("test", "v2"));

        // Then: a first deploy that failed, not a rollback to a version these servers never had
        assertThat(order.get("status").asText()).isEqualTo("FAILED");
        assertThat(order.path("previousVersion").isMissingNode()).isTrue();
        assertThat(order.get("reason").asText()).contains("first deploy", again.servers().get(0));
    }

    @Test
    void aStarterEnvironmentIsDeployedInPlace() throws Exception {
        // Given: one server, no load balancer
        TestEnvironments.Built built = environments.ready(app, "test", 1);
        upload("v1");

        // When
        JsonNode order = awaitEnd(deploy("test", "v1"));

        // Then
        assertThat(order.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(servers(order)).containsExactly(built.servers().get(0) + "=-:v1");
        assertThat(emulatedApps()).containsEntry(built.servers().get(0), "v1");
    }

    @Test
    void aProdDeployWaitsForItsApprovalAndIsNotDecidedByItsApplicant() throws Exception {
        // Given: prod needs one approval (the default)
        environments.ready(app, "prod", 2);
        upload("v1");
        upload("v2");

        // When
        JsonNode first = as("developer", deployRequest("prod", "v1")).andExpect(status().isAccepted()).andReturnJson();

        // Then: it waits; the developer who asked cannot decide it; a reviewer approves it
        assertThat(order(first).get("status").asText()).isEqualTo("WAITING");
        long approvalId = approvalFor("v1");
        as("developer", decide(approvalId, "APPROVE")).andExpect(status().isForbidden());
        as("reviewer", decide(approvalId, "APPROVE")).andExpect(status().isOk());
        JsonNode approved = awaitEnd(first);
        assertThat(approved.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(approved.get("approvalId").asLong()).isEqualTo(approvalId);

        // When: the next one is rejected
        JsonNode second = as("developer", deployRequest("prod", "v2")).andExpect(status().isAccepted())
            .andReturnJson();
        as("reviewer", decide(approvalFor("v2"), "REJECT")).andExpect(status().isOk());

        // Then: nothing was touched
        JsonNode rejected = awaitEnd(second);
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(servers(rejected)).allMatch(s -> s.endsWith(":v1"));
    }

    @Test
    void oneDeployAtATimeAndNoReleaseWhileItRuns() throws Exception {
        // Given: a prod deploy waiting for its approval
        environments.ready(app, "prod", 2);
        upload("v1");
        JsonNode waiting = as("developer", deployRequest("prod", "v1")).andExpect(status().isAccepted())
            .andReturnJson();

        // Then: a second deploy is refused with the running order's number; so is the release
        String refused = as("developer", deployRequest("prod", "v1")).andExpect(status().isConflict())
            .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains(waiting.get("deployId").asText());
        String release = as("developer", post("/api/cloud-apps/{a}/environments/prod/release", app)
            .contentType(MediaType.APPLICATION_JSON).content("{\"confirm\":\"prod\"}"))
            .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString();
        assertThat(release).contains(waiting.get("deployId").asText());

        // When: rejected, the environment takes the next one
        as("reviewer", decide(approvalFor("v1"), "REJECT")).andExpect(status().isOk());
        awaitEnd(waiting);
        as("developer", deployRequest("prod", "v1")).andExpect(status().isAccepted());
    }

    @Test
    void aProdReleaseWaitsForItsApprovalAndOneNotApprovedLeavesTheEnvironmentAsItWas() throws Exception {
        // Given
        TestEnvironments.Built built = environments.ready(app, "prod", 2);

        // When: released, then rejected
        as("developer", release("prod")).andExpect(status().isAccepted());
        assertThat(environmentStatus("prod")).isEqualTo("RELEASING");
        as("reviewer", decide(approvalFor(null), "REJECT")).andExpect(status().isOk());

        // Then: back to READY, nothing deleted
        await().atMost(WAIT).until(() -> environmentStatus("prod").equals("READY"));
        assertThat(compute.describeInstances(built.servers())).hasSize(2);

        // When: asked again and approved
        as("developer", release("prod")).andExpect(status().isAccepted());
        long approval = approvalFor(null);
        as("developer", decide(approval, "APPROVE")).andExpect(status().isForbidden());
        as("reviewer", decide(approval, "APPROVE")).andExpect(status().isOk());

        // Then
        await().atMost(WAIT).until(() -> environmentStatus("prod").equals("RELEASED"));
        assertThat(compute.describeInstances(built.servers())).isEmpty();
    }

    @Test
    void badRequestsChangeNothing() throws Exception {
        // Given
        upload("v1");

        // Then: not built yet
        as("developer", deployRequest("test", "v1")).andExpect(status().isConflict());
        environments.ready(app, "test", 1);
        // ... no version, an unknown one, unknown fields, a reviewer, an operator (no workspace role), no such env
        as("developer", post("/api/cloud-apps/{a}/environments/test/deploys", app)
            .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isBadRequest());
        as("developer", deployRequest("test", "v9")).andExpect(status().isBadRequest());
        as("developer", post("/api/cloud-apps/{a}/environments/test/deploys", app)
            .contentType(MediaType.APPLICATION_JSON).content("{\"packageVersion\":\"v1\",\"requestedBy\":\"x\"}"))
            .andExpect(status().isBadRequest());
        as("reviewer", deployRequest("test", "v1")).andExpect(status().isForbidden());
        as("operator", deployRequest("test", "v1")).andExpect(status().isForbidden());
        as("developer", deployRequest("staging", "v1")).andExpect(status().isNotFound());
        as("admin", get("/api/cloud-apps/{a}/environments/test/deploys/{d}", app, "MF1")).andExpect(status().isNotFound());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_cloud_deploy d JOIN mf_cloud_env e ON e.id = d.env_id"
            + " JOIN mf_cloud_app a ON a.id = e.app_id WHERE a.name = ?").param(app).query(Long.class).single()).isZero();
    }

    @Test
    void thePackageIsOpenOnlyToTheOrdersTokenWhileTheOrderRuns() throws Exception {
        // Given: a finished deploy
        environments.ready(app, "test", 1);
        upload("v1");
        JsonNode order = awaitEnd(deploy("test", "v1"));
        String deployNo = order.get("deployId").asText();
        String token = jdbc.sql("SELECT download_token FROM mf_cloud_deploy WHERE deploy_no = ?").param(deployNo)
            .query(String.class).single();

        // Then: the stored token is encrypted, and nothing opens the package once the order has ended
        assertThat(token).startsWith("mf1:");
        assertThat(download("/cloud-packages/" + deployNo + "/v1?token=" + token)).isEqualTo(404);
        assertThat(download("/cloud-packages/" + deployNo + "/v1")).isEqualTo(404);
        assertThat(download("/cloud-packages/MF0/v1?token=x")).isEqualTo(404);
    }

    // --- helpers

    private void upload(String version) throws Exception {
        mvc.perform(multipart("/api/cloud-apps/{a}/packages", app)
                .file(new MockMultipartFile("file", "shop.jar", "application/java-archive", TestPackages.bootJar()))
                .param("version", version).with(httpBasic("developer", "developer")))
            .andExpect(status().isCreated());
    }

    private JsonNode deploy(String env, String version) throws Exception {
        return as("developer", deployRequest(env, version)).andExpect(status().isAccepted()).andReturnJson();
    }

    private MockHttpServletRequestBuilder deployRequest(String env, String version) throws Exception {
        return post("/api/cloud-apps/{a}/environments/{e}/deploys", app, env).contentType(MediaType.APPLICATION_JSON)
            .content(json.writeValueAsString(Map.of("packageVersion", version)));
    }

    private JsonNode order(JsonNode started) throws Exception {
        return json.readTree(as("reviewer", get(started.get("statusUrl").asText())).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString());
    }

    private JsonNode awaitEnd(JsonNode started) throws Exception {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
            .until(() -> !List.of("WAITING", "RUNNING").contains(order(started).get("status").asText()));
        return order(started);
    }

    /** "instance=weight:version" for each server of the environment now ("-" for no weight or version). */
    private static List<String> servers(JsonNode order) {
        List<String> servers = new ArrayList<>();
        order.get("servers").forEach(s -> servers.add(s.get("instanceId").asText() + "="
            + s.path("weight").asText("-") + ":" + s.path("version").asText("-")));
        return servers;
    }

    private Map<String, String> emulatedApps() {
        Map<String, String> apps = new java.util.HashMap<>();
        sandbox.get("/sandbox/admin/aliyun/apps").forEach(a -> apps.put(a.get("instanceId").asText(),
            a.path("version").asText(null)));
        return apps;
    }

    private MockHttpServletRequestBuilder release(String env) {
        return post("/api/cloud-apps/{a}/environments/{e}/release", app, env).contentType(MediaType.APPLICATION_JSON)
            .content("{\"confirm\":\"" + env + "\"}");
    }

    private String environmentStatus(String env) throws Exception {
        return json.readTree(as("developer", get("/api/cloud-apps/{a}/environments/{e}", app, env))
            .andReturn().getResponse().getContentAsString()).get("status").asText();
    }

    /** The pending approval of this test's app for the version (null: one without a version, a release). */
    private long approvalFor(String version) throws Exception {
        await().atMost(WAIT).until(() -> approvalOrNull(version) != null);
        return approvalOrNull(version);
    }

    private Long approvalOrNull(String version) throws Exception {
        JsonNode page = json.readTree(as("reviewer", get("/api/approvals").param("q", app).param("status", "PENDING"))
            .andReturn().getResponse().getContentAsString());
        for (JsonNode item : page.get("items")) {
            if (version == null ? item.path("objectVersion").isMissingNode() || item.path("objectVersion").isNull()
                : version.equals(item.path("objectVersion").asText())) {
                return item.get("id").asLong();
            }
        }
        return null;
    }

    private MockHttpServletRequestBuilder decide(long approvalId, String decision) {
        return post("/api/approvals/{id}/decision", approvalId).contentType(MediaType.APPLICATION_JSON)
            .content("{\"decision\":\"" + decision + "\",\"comment\":\"checked\"}");
    }

    private int download(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Json as(String user, MockHttpServletRequestBuilder request) throws Exception {
        return new Json(mvc.perform(request.with(httpBasic(user, user))));
    }

    /** A MockMvc result that can also hand its body back as JSON. */
    private final class Json {
        private final ResultActions actions;

        Json(ResultActions actions) {
            this.actions = actions;
        }

        Json andExpect(org.springframework.test.web.servlet.ResultMatcher matcher) throws Exception {
            actions.andExpect(matcher);
            return this;
        }

        org.springframework.test.web.servlet.MvcResult andReturn() {
            return actions.andReturn();
        }

        JsonNode andReturnJson() throws Exception {
            return json.readTree(actions.andReturn().getResponse().getContentAsString());
        }
    }
}
