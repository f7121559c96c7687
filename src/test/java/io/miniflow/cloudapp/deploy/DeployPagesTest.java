package io.miniflow.cloudapp.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
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
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.TestEnvironments;
import io.miniflow.cloudapp.pkg.TestPackages;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

/**
 * The console's deploys (issue 15) against the emulators: the Deploy form of the environment tab for editors only,
 * a deploy ordered from it followed on its order page with the servers' logs, the history paged by ten with "deploy
 * this package again" after a confirmation, and the load balancer page where only workspace admins set a weight
 * (audited, refused while a deploy runs), in English and Chinese.
 */
@MiniflowIntegrationTest
class DeployPagesTest {

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
    LoadBalancerPort loadBalancers;

    private final ObjectMapper json = new ObjectMapper();
    private TestEnvironments environments;
    private String app;
    private String tab;

    @BeforeEach
    void setUp() throws Exception {
        // The emulated apps answer their health check as soon as installed: the order's outcome must not depend on
        // how fast the job executor polls on a busy machine (these tests are about the pages, not the timing).
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        sandbox.delete("/sandbox/admin/aliyun");
        sandbox.put("/sandbox/admin/aliyun/settings", "{\"pendingMillis\":100,\"startingMillis\":100,"
            + "\"commandMillis\":200,\"appStartMillis\":0}");
        environments = new TestEnvironments(context);
        app = "dpg" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        mvc.perform(post("/api/cloud-apps").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"name\":\"" + app + "\",\"runtime\":\"SPRING_BOOT\"}"))
            .andExpect(status().isCreated());
        tab = "/environments/apps/" + app;
    }

    @Test
    void shouldOfferTheDeployFormToDevelopersAndNotToReviewers() throws Exception {
        // Given: a starter test environment and a prod one that needs an approval
        environments.ready(app, "test", 1);
        environments.ready(app, "prod", 2);
        upload("v1");

        // Then
        mvc.perform(get(tab).param("env", "test").with(developer()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("id=\"deploys\"")))
            .andExpect(content().string(containsString("name=\"packageVersion\"")))
            .andExpect(content().string(containsString("installed in place")))
            .andExpect(content().string(containsString("No deploy yet.")));
        mvc.perform(get(tab).param("env", "test").with(reviewer()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("Deploy history")))
            .andExpect(content().string(not(containsString("name=\"packageVersion\""))));
        mvc.perform(get(tab).param("env", "prod").with(developer()))
            .andExpect(content().string(containsString("needs 1 approval(s)")));
        mvc.perform(get(tab).param("env", "test").with(developer()).header("Accept-Language", "zh-CN"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("部署历史")))
            .andExpect(content().string(containsString("原地安装")));
    }

    @Test
    void shouldLandOnTheOrderPageThatFollowsTheDeployToItsEnd() throws Exception {
        // Given
        TestEnvironments.Built built = environments.ready(app, "test", 2);
        upload("v1");

        // When: nothing chosen, then v1
        mvc.perform(post(tab + "/test/deploys").with(developer()).with(csrf()))
            .andExpect(redirectedUrl(tab + "?env=test#deploys"))
            .andExpect(flash().attribute("error", containsString("Choose the package version")));
        MvcResult started = mvc.perform(post(tab + "/test/deploys").param("packageVersion", "v1")
                .with(developer()).with(csrf()))
            .andExpect(redirectedUrlPattern(tab + "/test/deploys/MF*"))
            .andExpect(flash().attribute("message", containsString("v1"))).andReturn();
        String order = started.getResponse().getRedirectedUrl();
        String deployId = order.substring(order.lastIndexOf('/') + 1);

        // Then: a second one is refused as the tab's flash while it runs; the order page follows it live
        mvc.perform(post(tab + "/test/deploys").param("packageVersion", "v1").with(developer()).with(csrf()))
            .andExpect(redirectedUrl(tab + "?env=test#deploys"))
            .andExpect(flash().attribute("error", containsString("one deploy at a time")));
        mvc.perform(get(order).with(reviewer()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/js/deploy.js")))
            .andExpect(content().string(containsString(
                "data-status-url=\"/api/cloud-apps/" + app + "/environments/test/deploys/" + deployId + "\"")));
        awaitEnd("test", deployId);
        mvc.perform(get(order).with(reviewer()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("status-SUCCEEDED")))
            .andExpect(content().string(containsString(built.servers().get(0))))
            .andExpect(content().string(containsString(built.servers().get(1))))
            .andExpect(content().string(containsString("<summary>stdout</summary>")))
            .andExpect(content().string(containsString("<pre class=\"log\">")))
            .andExpect(content().string(containsString("/processes/")))
            .andExpect(content().string(not(containsString("/js/deploy.js"))));
        String page = mvc.perform(get(order).with(reviewer())).andReturn().getResponse().getContentAsString();
        assertThat(page).containsPattern("(?s)<summary>xdeploy</summary>\\s*<pre class=\"log\">[^<]*v1");
        mvc.perform(get(tab).param("env", "test").with(reviewer()))
            .andExpect(content().string(containsString(deployId)))
            .andExpect(content().string(containsString("status-SUCCEEDED")));
        mvc.perform(get(order).with(reviewer()).header("Accept-Language", "zh-CN"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("各服务器上的部署过程")));
        mvc.perform(get(tab + "/test/deploys/MF0").with(reviewer())).andExpect(status().isNotFound());
    }

    @Test
    void shouldPageTheHistoryByTenAndDeployAnEndedVersionAgainOnceConfirmed() throws Exception {
        // Given: v1 deployed, then eleven orders of v2 that failed (recorded as the process would leave them)
        environments.ready(app, "test", 1);
        upload("v1");
        upload("v2");
        String first = deployFromTheConsole("v1");
        awaitEnd("test", first);
        long envId = jdbc.sql("SELECT e.id FROM mf_cloud_env e JOIN mf_cloud_app a ON a.id = e.app_id"
            + " WHERE a.name = ? AND e.env = 'test'").param(app).query(Long.class).single();
        long v2 = jdbc.sql("SELECT p.id FROM mf_cloud_package p JOIN mf_cloud_app a ON a.id = p.app_id"
            + " WHERE a.name = ? AND p.version = 'v2'").param(app).query(Long.class).single();
        for (int i = 0; i < 11; i++) {
            Timestamp at = Timestamp.from(Instant.now());
            jdbc.sql("INSERT INTO mf_cloud_deploy (deploy_no, env_id, package_id, version, previous_version, status,"
                    + " reason, requested_by, download_token, requested_at, started_at, ended_at)"
                    + " VALUES (?, ?, ?, 'v2', 'v1', 'FAILED', 'test', 'developer', 'x', ?, ?, ?)")
                .params("MFH" + app + i, envId, v2, at, at, at).update();
        }

        // Then: ten a page, newest first; "again" only on v2 (v1 runs)
        String page1 = mvc.perform(get(tab).param("env", "test").with(developer()))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page1).contains("Page 1 of 2 (12 in all)", "MFH" + app + "10").doesNotContain(first);
        assertThat(page1).contains(tab + "/test/deploys/MFH" + app + "10/redeploy");
        String page2 = mvc.perform(get(tab).param("env", "test").param("page", "2").with(developer()))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page2).contains("Page 2 of 2", first, "MFH" + app + "0").doesNotContain("MFH" + app + "10\"")
            .doesNotContain(tab + "/test/deploys/" + first + "/redeploy");
        mvc.perform(get(tab).param("env", "test").with(reviewer()))
            .andExpect(content().string(not(containsString("/redeploy"))));

        // When: v2 again, first without the box ticked
        String again = tab + "/test/deploys/MFH" + app + "3/redeploy";
        mvc.perform(get(again).with(developer())).andExpect(status().isOk())
            .andExpect(content().string(containsString("name=\"confirmed\"")))
            .andExpect(content().string(containsString("replaces the version running now (v1)")));
        mvc.perform(get(again).with(reviewer())).andExpect(status().isForbidden());
        mvc.perform(post(again).with(developer()).with(csrf()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("Tick the box")));
        MvcResult started = mvc.perform(post(again).param("confirmed", "true").with(developer()).with(csrf()))
            .andExpect(redirectedUrlPattern(tab + "/test/deploys/MF*")).andReturn();
        String order = started.getResponse().getRedirectedUrl();

        // Then: an order of v2 replacing v1, and no second "again" while it runs
        mvc.perform(get(again).with(developer()))
            .andExpect(content().string(containsString("cannot be deployed again now")))
            .andExpect(content().string(not(containsString("name=\"confirmed\""))));
        JsonNode ended = awaitEnd("test", order.substring(order.lastIndexOf('/') + 1));
        assertThat(ended.get("version").asText()).isEqualTo("v2");
        assertThat(ended.get("previousVersion").asText()).isEqualTo("v1");
        assertThat(ended.get("requestedBy").asText()).isEqualTo("developer");
    }

    @Test
    void shouldLetOnlyWorkspaceAdminsSetAWeightAndNeverWhileADeployRuns() throws Exception {
        // Given
        TestEnvironments.Built built = environments.ready(app, "test", 2);
        String lbPage = tab + "/test/load-balancer";
        String server = built.servers().get(1);
        String weightPage = lbPage + "/servers/" + server + "/weight";

        // Then: everyone sees weights and health; only admins get the form
        mvc.perform(get(lbPage).with(admin()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString(built.loadBalancerId())))
            .andExpect(content().string(containsString(built.servers().get(0))))
            .andExpect(content().string(containsString("Health (port 80)")))
            .andExpect(content().string(containsString("action=\"" + weightPage + "\"")));
        mvc.perform(get(lbPage).with(developer()))
            .andExpect(status().isOk())
            .andExpect(content().string(not(containsString("action=\"" + weightPage + "\""))));
        mvc.perform(get(lbPage).with(admin()).header("Accept-Language", "zh-CN"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("的负载均衡")));

        // When: confirmed on the page
        mvc.perform(get(weightPage).param("weight", "30").with(admin()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("weight 100 → 30")));
        mvc.perform(post(weightPage).param("weight", "30").param("confirmed", "true").with(admin()).with(csrf()))
            .andExpect(redirectedUrl(lbPage)).andExpect(flash().attribute("message", containsString("100 → 30")));

        // Then: on the load balancer, in Miniflow's record and in the audit log
        assertThat(loadBalancers.describe(built.loadBalancerId()).backends())
            .containsExactly(new LoadBalancerPort.Backend(built.servers().get(0), 100),
                new LoadBalancerPort.Backend(server, 30));
        assertThat(jdbc.sql("SELECT weight FROM mf_cloud_resource WHERE resource_id = ?").param(server)
            .query(Integer.class).single()).isEqualTo(30);
        assertThat(jdbc.sql("SELECT detail FROM mf_audit_log WHERE action = 'CLOUD_LB_WEIGHT_SET' AND object_id = ?")
            .param(app + "/test/" + server).query(String.class).list()).singleElement().asString()
            .contains("100→30");

        // ... and through the API: refusals first, then a change
        String api = "/api/cloud-apps/" + app + "/environments/test/load-balancer";
        mvc.perform(weight(api + "/servers/" + server, "50", "developer")).andExpect(status().isForbidden());
        mvc.perform(weight(api + "/servers/" + server, "101", "admin")).andExpect(status().isBadRequest());
        mvc.perform(weight(api + "/servers/i-nothere", "50", "admin")).andExpect(status().isBadRequest());
        mvc.perform(weight("/api/cloud-apps/nosuchapp/environments/test/load-balancer/servers/" + server, "50",
            "admin")).andExpect(status().isNotFound());
        mvc.perform(weight(api + "/servers/" + server, "100", "admin")).andExpect(status().isOk());
        JsonNode lb = json.readTree(mvc.perform(get(api).with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(lb.get("servers").get(1).get("weight").asInt()).isEqualTo(100);
        assertThat(lb.get("canSetWeights").asBoolean()).isFalse();
        mvc.perform(get(weightPage).param("weight", "101").with(admin()))
            .andExpect(redirectedUrl(lbPage)).andExpect(flash().attribute("error", containsString("0 to 100")));
        mvc.perform(get(weightPage).param("weight", "50").with(developer())).andExpect(status().isForbidden());

        // When: a deploy runs
        upload("v1");
        String deployId = deployFromTheConsole("v1");

        // Then
        mvc.perform(weight(api + "/servers/" + server, "50", "admin")).andExpect(status().isConflict());
        mvc.perform(post(weightPage).param("weight", "50").param("confirmed", "true").with(admin()).with(csrf()))
            .andExpect(redirectedUrl(lbPage)).andExpect(flash().attribute("error", containsString(deployId)));
        awaitEnd("test", deployId);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_log WHERE action = 'CLOUD_LB_WEIGHT_SET' AND object_id = ?")
            .param(app + "/test/" + server).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void shouldSayAStarterHasNoLoadBalancer() throws Exception {
        environments.ready(app, "test", 1);
        mvc.perform(get(tab + "/test/load-balancer").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("has no load balancer")));
        mvc.perform(get("/api/cloud-apps/" + app + "/environments/test/load-balancer")
            .with(httpBasic("developer", "developer"))).andExpect(status().isNotFound());
    }

    private String deployFromTheConsole(String version) throws Exception {
        String order = mvc.perform(post(tab + "/test/deploys").param("packageVersion", version)
                .with(developer()).with(csrf()))
            .andExpect(redirectedUrlPattern(tab + "/test/deploys/MF*")).andReturn().getResponse().getRedirectedUrl();
        return order.substring(order.lastIndexOf('/') + 1);
    }

    private JsonNode awaitEnd(String env, String deployId) throws Exception {
        String url = "/api/cloud-apps/" + app + "/environments/" + env + "/deploys/" + deployId;
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
            .until(() -> !List.of("WAITING", "RUNNING").contains(order(url).get("status").asText()));
        return order(url);
    }

    private JsonNode order(String url) throws Exception {
        return json.readTree(mvc.perform(get(url).with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder weight(String url, String w,
                                                                                             String user) {
        return put(url).with(httpBasic(user, user)).contentType(MediaType.APPLICATION_JSON)
            .content(json.valueToTree(Map.of("weight", Integer.parseInt(w))).toString());
    }

    private void upload(String version) throws Exception {
        mvc.perform(multipart("/api/cloud-apps/{a}/packages", app)
                .file(new MockMultipartFile("file", "shop.jar", "application/java-archive", TestPackages.bootJar()))
                .param("version", version).with(httpBasic("developer", "developer")))
            .andExpect(status().isCreated());
    }

    private static RequestPostProcessor developer() {
        return user("developer").authorities(() -> "workspace-developer", () -> "Demo.workspace-developer");
    }

    private static RequestPostProcessor reviewer() {
        return user("reviewer").authorities(() -> "workspace-reviewer", () -> "Demo.workspace-reviewer");
    }

    private static RequestPostProcessor admin() {
        return user("admin").authorities(() -> "workspace-admin", () -> "Demo.workspace-admin");
    }
}
