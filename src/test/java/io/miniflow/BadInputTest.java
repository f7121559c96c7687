package io.miniflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.sandbox.wechat.WechatSandboxHttp;

/**
 * An attacker's inputs against every write endpoint under /api, over real HTTP (so the security filters, the
 * firewall and the error dispatch take part): each must be refused with a 4xx problem document that shows no
 * internals, and leave the database as it was (every mf_* table's rows and contents, the engine's executions and
 * variables).
 */
@MiniflowIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final String DEMO_APP = "{\"workspace\":\"Demo\",\"appCode\":\"bad-input-app\",\"name\":\"x\","
        + "\"engineVersion\":\"1.0.0\"";
    private static final String ENV = "{\"envCode\":\"bad-input\",\"name\":\"Bad\",\"domain\":\"https://b.example.com\","
        + "\"apiDomain\":\"https://api.b.example.com\",\"requiresApproval\":true";
    private static final String DEPLOY = "{\"workspace\":\"Demo\",\"name\":\"bad-input\",\"cloudVendor\":\"aliyun\","
        + "\"deployPath\":\"/bad\",\"deployDomain\":\"https://d.example.com\",\"accessPath\":\"/app\"";
    private static final String STORAGE = "{\"workspace\":\"Demo\",\"name\":\"bad-input\",\"vendor\":\"aliyun\","
        + "\"bucket\":\"b\",\"baseUrl\":\"https://files.example.com\"";
    private static final String PACKAGE = "{\"workspace\":\"Demo\",\"name\":\"bad-input\",\"version\":\"1.0.0\"";
    private static final String WORKSPACE = "{\"name\":\"BadInput\",\"businessScope\":\"5734\",\"address\":\"x\","
        + "\"representativeName\":\"x\",\"representativeEmail\":\"admin@demo.miniflow.local\"";
    private static final String APPLY = "{\"workspace\":\"Demo\",\"category\":\"PUBLISH\",\"title\":\"t\","
        + "\"objectName\":\"demo\"";
    private static final String RELEASE = "{\"workspace\":\"Demo\",\"templateId\":{template},\"appIds\":[\"{appId}\"],"
        + "\"userVersion\":\"1.0.0\",\"userDesc\":\"x\"";
    private static final String SETTINGS = "/api/wechat/mini-programs/{appId}/settings";

    /** What an answer to a refused request must never show. */
    private static final List<String> INTERNALS = List.of("Exception", "exception", "java.", "org.springframework",
        "io.miniflow", "com.fasterxml", "SQL", "SELECT ", "INSERT ", "UPDATE ", "\tat ", "trace", "JDBC", "jdbc", "H2");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    private final HttpClient http = HttpClient.newHttpClient();
    private String appId;
    private long template;
    private long approval;

    @BeforeAll
    void someDataToRefuseChangesTo() throws Exception {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        appId = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":true}").get(0)
            .get("appid").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
            "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE app_id = ? AND status = 'AUTHORIZED'", Long.class,
            appId) == 1);
        template = await().atMost(Duration.ofSeconds(20)).until(
            () -> jdbc.queryForObject("SELECT MIN(template_id) FROM sandbox_wechat_template", Long.class),
            id -> id != null && id > 0);
        HttpResponse<String> applied = send("POST", "/api/approvals", "developer",
            APPLY + ",\"objectVersion\":\"1.0.0\"}", "application/json", "application/json", null);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(202);
        approval = json.readTree(applied.body()).get("approvalId").asLong();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemDocumentAndChangesNothing(Case c) throws Exception {
        DatabaseSnapshot before = quietSnapshot();

        HttpResponse<String> response = send(c.method(), resolve(c.path()), c.user(),
            c.body() == null ? null : resolve(c.body()), c.contentType(), c.accept(), c.language());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
            .startsWith("application/problem+json");
        String body = response.body();
        for (String internal : INTERNALS) {
            assertThat(body).as("answer shows no internals").doesNotContain(internal);
        }
        JsonNode problem = json.readTree(body);
        assertThat(problem.path("status").asInt()).isEqualTo(c.status());
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("code").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank().isEqualTo(problem.path("message").asText());
        assertThat(problem.path("message_zh").asText()).isNotBlank();
        if ("zh-CN".equals(c.language())) {
            assertThat(problem.path("detail").asText()).isEqualTo(problem.path("message_zh").asText());
        } else {
            assertThat(problem.path("detail").asText()).isEqualTo(problem.path("message_en").asText());
        }
        if (c.field() != null) {
            List<String> fields = new ArrayList<>();
            problem.path("errors").forEach(e -> {
                fields.add(e.path("field").asText());
                assertThat(e.path("message").asText()).as("message of %s", e).isNotBlank();
                assertThat(e.path("message_zh").asText()).as("message_zh of %s", e).isNotBlank();
            });
            assertThat(fields).as("fields named in %s", body).contains(c.field());
        }

        assertThat(DatabaseSnapshot.take(jdbc)).as("the database after %s", c).isEqualTo(before);
    }

    /** The comparison above can fail: an accepted write changes the snapshot. */
    @org.junit.jupiter.api.Test
    void theSnapshotNoticesAnAcceptedWrite() throws Exception {
        DatabaseSnapshot before = quietSnapshot();
        HttpResponse<String> saved = send("PUT", resolve(SETTINGS), "mpadmin",
            "{\"extJson\":\"{\\\"ext\\\":{\\\"n\\\":" + System.nanoTime() + "}}\"}", "application/json",
            "application/json", null);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(DatabaseSnapshot.take(jdbc)).isNotEqualTo(before);
    }

    Stream<Arguments> badRequests() {
        List<Case> cases = new ArrayList<>();
        // --- workspaces and members
        cases.add(post("/api/workspaces", "admin", 400, WORKSPACE.replace("BadInput", "My Shop") + "}")
            .field("name").named("workspace name with a blank"));
        cases.add(post("/api/workspaces", "admin", 400, WORKSPACE.replace("\"BadInput\"", "123") + "}")
            .field("name").named("workspace name as a number is not coerced to text"));
        cases.add(post("/api/workspaces", "admin", 400,
            WORKSPACE.replace("\"address\":\"x\"", "\"address\":\"" + "x".repeat(300) + "\"") + "}")
            .field("address").named("workspace address over 255"));
        cases.add(post("/api/workspaces", "admin", 400, WORKSPACE + ",\"address\":\"y\"}")
            .named("workspace address given twice"));
        cases.add(post("/api/workspaces", "developer", 403, WORKSPACE + "}").named("workspace opened by a developer"));
        cases.add(post("/api/workspaces", "admin", 400, "{\"name\":").named("workspace body cut off"));
        cases.add(post("/api/workspaces", "admin", 400, WORKSPACE + "} {\"more\":1}")
            .named("workspace body with a second document after it"));
        cases.add(post("/api/workspaces", "admin", 415, WORKSPACE + "}").type("text/plain")
            .named("workspace body as text/plain"));
        // Without an Authorization header a write counts as one of the console's session and needs its CSRF token.
        cases.add(post("/api/workspaces", null, 403, WORKSPACE + "}").named("workspace without credentials"));
        cases.add(post("/api/workspaces/Demo/members", "admin", 400, "{\"user\":null,\"role\":\"workspace-developer\"}")
            .field("user").named("invite without a user"));
        cases.add(post("/api/workspaces/Demo/members", "admin", 400,
            "{\"user\":\"reviewer\",\"role\":\"" + "r".repeat(100) + "\"}").field("role").named("invite role over 64"));
        cases.add(post("/api/workspaces/Demo/members", "admin", 400, "{\"user\":\"nobody-at-all\",\"role\":\"workspace-developer\"}")
            .named("invite of an unknown user"));
        cases.add(post("/api/workspaces/Demo/members", "developer", 403,
            "{\"user\":\"operator\",\"role\":\"workspace-developer\"}").named("invite by a developer"));
        cases.add(post("/api/workspaces/Nowhere/members", "admin", 404,
            "{\"user\":\"operator\",\"role\":\"workspace-developer\"}").named("invite into an unknown workspace"));
        cases.add(put("/api/workspaces/Demo/members/developer/role", "admin", 400, "{\"role\":true}")
            .field("role").named("role as a boolean"));
        cases.add(put("/api/workspaces/Demo/members/developer/role", "admin", 400, "{\"role\":\"king\"}")
            .named("role that does not exist"));
        cases.add(put("/api/workspaces/Demo/members/ghost/role", "admin", 404, "{\"role\":\"workspace-reviewer\"}")
            .named("role of someone who is no member"));
        cases.add(post("/api/workspaces/Demo/members/ghost/block", "admin", 404, null).named("block a non-member"));
        cases.add(post("/api/workspaces/Demo/members/admin/block", "admin", 400, null).named("block oneself"));
        cases.add(post("/api/workspaces/Demo/members/developer/unblock", "developer", 403, null)
            .named("unblock by a developer"));
        cases.add(put("/api/workspaces/Demo/webhook", "admin", 400, "{\"url\":123}").named("webhook url as a number"));
        cases.add(put("/api/workspaces/Demo/webhook", "admin", 400, "{\"url\":[\"https://x.example.com\"]}")
            .named("webhook url as a list"));

        // --- approvals
        cases.add(post("/api/approvals", "developer", 400, APPLY.replace("\"t\"", "\"\"") + "}").field("title")
            .named("application without title"));
        cases.add(post("/api/approvals", "developer", 400, APPLY.replace("PUBLISH", "BRIBE") + "}")
            .named("application of an unknown category"));
        cases.add(post("/api/approvals", "developer", 400, APPLY.replace("\"t\"", "\"" + "t".repeat(201) + "\"") + "}")
            .field("title").named("application title over 200"));
        cases.add(post("/api/approvals", "developer", 404, APPLY.replace("Demo", "Nowhere") + "}")
            .named("application in an unknown workspace"));
        cases.add(post("/api/approvals", "developer", 400, APPLY.replace("\"PUBLISH\"", "1") + "}").field("category")
            .named("application category as a number"));
        cases.add(post("/api/approvals/{approval}/decision", "reviewer", 400, "{\"decision\":\"REJECT\",\"comment\":\"  \"}")
            .named("rejection without comment"));
        cases.add(post("/api/approvals/{approval}/decision", "reviewer", 400, "{\"decision\":\"MAYBE\"}")
            .named("decision that is neither"));
        cases.add(post("/api/approvals/{approval}/decision", "reviewer", 400,
            "{\"decision\":\"APPROVE\",\"comment\":\"" + "c".repeat(2001) + "\"}").field("comment")
            .named("decision comment over 2000"));
        cases.add(post("/api/approvals/{approval}/decision", "reviewer", 400, "{\"decision\":1}").field("decision")
            .named("decision as a number"));
        cases.add(post("/api/approvals/{approval}/decision", "developer", 403, "{\"decision\":\"APPROVE\"}")
            .named("applicant approves their own application"));
        cases.add(post("/api/approvals/987654321/decision", "reviewer", 404, "{\"decision\":\"APPROVE\"}")
            .named("decision on an unknown application"));
        cases.add(post("/api/approvals/abc/decision", "reviewer", 400, "{\"decision\":\"APPROVE\"}")
            .named("decision on an id that is no number"));
        cases.add(post("/api/approvals/{approval}/withdraw", "reviewer", 403, null).named("withdraw by a reviewer"));
        cases.add(post("/api/approvals/987654321/withdraw", "developer", 404, null).named("withdraw an unknown one"));

        // --- apps
        cases.add(post("/api/apps", "developer", 400, DEMO_APP + ",\"packages\":[null]}").field("packages[0]")
            .named("app packages holding null"));
        cases.add(post("/api/apps", "developer", 400, DEMO_APP + ",\"packages\":" + list(51, i -> "\"p" + i + "@1.0.0\"")
            + "}").field("packages").named("app with 51 packages"));
        cases.add(post("/api/apps", "developer", 400, DEMO_APP + ",\"packages\":[\"ghost@1.0.0\"]}")
            .named("app with an unknown package"));
        cases.add(post("/api/apps", "developer", 400, DEMO_APP.replace("\"x\"", "\"" + "n".repeat(101) + "\"") + "}")
            .field("name").named("app name over 100"));
        cases.add(post("/api/apps", "developer", 404, DEMO_APP.replace("Demo", "Nowhere") + "}")
            .named("app in an unknown workspace"));
        cases.add(post("/api/apps", "developer", 400, DEMO_APP.replace("\"bad-input-app\"", "123") + "}")
            .field("appCode").named("appCode as a number"));
        cases.add(post("/api/apps", "reviewer", 403, DEMO_APP + "}").named("app created by a reviewer"));
        cases.add(post("/api/apps", "developer", 409, DEMO_APP.replace("bad-input-app", "demo") + "}")
            .named("app that exists"));
        cases.add(post("/api/apps/demo/environments", "admin", 400, ENV + ",\"requiredApprovals\":2.5}")
            .field("requiredApprovals").named("requiredApprovals 2.5 is not rounded"));
        cases.add(post("/api/apps/demo/environments", "admin", 400, ENV + ",\"requiredApprovals\":\"2\"}")
            .field("requiredApprovals").named("requiredApprovals as text"));
        cases.add(post("/api/apps/demo/environments", "admin", 400, ENV.replace("true", "1") + "}")
            .field("requiresApproval").named("requiresApproval 1 is not true"));
        cases.add(post("/api/apps/demo/environments", "admin", 400, ENV + ",\"deployConfig\":\"ghost\"}")
            .named("environment with an unknown deploy config"));
        cases.add(post("/api/apps/demo/environments", "admin", 400, ENV + ",\"deployConfig\":\"" + "d".repeat(65) + "\"}")
            .field("deployConfig").named("environment deploy config name over 64"));
        cases.add(post("/api/apps/demo/environments", "admin", 400,
            ENV.replace("https://b.example.com", "https://b.example.com/../etc") + "}").field("domain")
            .named("environment domain climbing with .."));
        cases.add(post("/api/apps/ghost/environments", "admin", 404, ENV + "}").named("environment of an unknown app"));
        cases.add(post("/api/apps/demo/environments", "admin", 409, ENV.replace("bad-input", "dev") + "}")
            .named("environment that exists"));
        cases.add(delete("/api/apps/demo/environments/dev/versions/%2e%2e", "developer", 400)
            .named("delete version %2e%2e"));
        cases.add(delete("/api/apps/demo/environments/dev/versions/..%2F..%2Fx", "developer", 400)
            .named("delete version with encoded slashes"));
        cases.add(delete("/api/apps/demo//environments/dev/versions/1.0.0", "developer", 400)
            .named("delete version through a double slash"));
        cases.add(delete("/api/apps/demo/environments/dev/versions/1.0", "developer", 400).field("version")
            .named("delete version that is not x.y.z"));
        cases.add(delete("/api/apps/demo/environments/Dev/versions/1.0.0", "developer", 400).field("envCode")
            .named("delete version of an envCode in capitals"));
        cases.add(delete("/api/apps/ghost/environments/dev/versions/9.9.9", "developer", 404)
            .named("delete version of an unknown app"));
        cases.add(delete("/api/apps/demo/environments/dev/versions/9.9.9", "developer", 404)
            .named("delete a version that does not exist"));
        cases.add(delete("/api/apps/demo/environments/dev/versions/9.9.9", "reviewer", 403)
            .named("delete version by a reviewer"));
        cases.add(post("/api/apps/demo/environments/dev/publishes", "developer", 400, "{\"version\":\"latest\"}")
            .field("version").named("publish version latest"));
        cases.add(post("/api/apps/demo/environments/dev/publishes", "developer", 400,
            "{\"version\":\"1.0.0\",\"note\":\"" + "n".repeat(501) + "\"}").field("note").named("publish note over 500"));
        cases.add(post("/api/apps/demo/environments/dev/publishes", "developer", 400, "{\"version\":1}")
            .field("version").named("publish version as a number"));
        cases.add(post("/api/apps/demo/environments/dev/publishes", "developer", 400, "[1,2]")
            .named("publish body that is a list"));
        cases.add(post("/api/apps/demo/environments/ghost/publishes", "developer", 404, "{\"version\":\"1.0.0\"}")
            .named("publish to an unknown environment"));
        cases.add(post("/api/apps/ghost/environments/dev/publishes", "developer", 404, "{\"version\":\"1.0.0\"}")
            .named("publish of an unknown app"));
        cases.add(post("/api/apps/demo/environments/dev/publishes", "reviewer", 403, "{\"version\":\"1.0.0\"}")
            .named("publish by a reviewer"));
        cases.add(post("/api/apps/demo/environments", "admin", 400, ENV + ",\"storageConfig\":\"ghost\"}")
            .named("environment with an unknown storage config"));
        cases.add(post("/api/deploy-configs", "admin", 400, DEPLOY.replace("\"/app\"", "\"/../../etc/passwd\"") + "}")
            .field("accessPath").named("deploy config accessPath /../../etc/passwd"));
        cases.add(post("/api/deploy-configs", "admin", 400, DEPLOY.replace("\"/app\"", "\"/app/./x\"") + "}")
            .field("accessPath").named("deploy config accessPath with a . segment"));
        cases.add(post("/api/deploy-configs", "admin", 400,
            DEPLOY.replace("https://d.example.com", "https://d.example.com/..") + "}").field("deployDomain")
            .named("deploy config domain ending in .."));
        cases.add(post("/api/deploy-configs", "admin", 404, DEPLOY.replace("Demo", "Nowhere") + "}")
            .named("deploy config in an unknown workspace"));
        cases.add(post("/api/storage-configs", "admin", 400, STORAGE.replace("https://files", "ftp://files") + "}")
            .field("baseUrl").named("storage config with an ftp URL"));
        cases.add(post("/api/storage-configs", "admin", 400, STORAGE.replace("\"b\"", "\"" + "b".repeat(129) + "\"")
            + "}").field("bucket").named("storage config bucket over 128"));
        cases.add(post("/api/component-packages", "admin", 400, PACKAGE + ",\"components\":[null]}")
            .field("components[0]").named("package components holding null"));
        cases.add(post("/api/component-packages", "admin", 400, PACKAGE + ",\"components\":"
            + list(101, i -> "{\"name\":\"c" + i + "\"}") + "}").field("components").named("package with 101 components"));
        cases.add(post("/api/component-packages", "admin", 400, PACKAGE.replace("1.0.0", "1.0") + "}").field("version")
            .named("package version 1.0"));

        // --- mini-program settings
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"extJson\":\"{\\\"ext\\\":{\\\"a\\\":\\\"" + "x".repeat(100_000)
            + "\\\"}}\"}").field("extJson").named("ext_json of 100 KB"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"extJson\":\"[1,2]\"}").named("ext_json that is no object"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"requestDomains\":" + list(2000, i -> "\"https://d" + i
            + ".example.com\"") + "}").field("requestDomains").named("2000 request domains"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"extJson\":\"{\\\"ext\\\":{}}\",\"tags\":"
            + list(1000, i -> "\"t" + i + "\"") + "}").field("tags").named("1000 tags with an ext_json"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"tags\":[null]}").field("tags[0]").named("tags holding null"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"webviewDomains\":[\"https://" + "w".repeat(100) + ".example.com\"]}")
            .field("webviewDomains[0]").named("webview domain over 90"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"requestDomains\":[\"http://plain.example.com\"]}")
            .named("request domain without https"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"privacyContactEmail\":\"nope\"}").named("privacy e-mail that is none"));
        cases.add(put(SETTINGS, "mpadmin", 400, "{\"extJson\":123}").field("extJson").named("ext_json as a number"));
        cases.add(put("/api/wechat/mini-programs/wxghost0000/settings", "mpadmin", 404, "{}")
            .named("settings of an unknown mini program"));
        cases.add(put(SETTINGS, "developer", 403, "{}").named("settings changed by a developer"));

        // --- WeChat releases
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace("{template}", "987654") + "}")
            .named("release of a template not in the library"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace("{template}", "2.5") + "}")
            .field("templateId").named("release templateId 2.5"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace("{template}", "\"{template}\"") + "}")
            .field("templateId").named("release templateId as text"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace("[\"{appId}\"]", "[null]") + "}")
            .field("appIds[0]").named("release appIds holding null"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace("{appId}", "bad appid!") + "}")
            .field("appIds[0]").named("release appId with a blank"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace("[\"{appId}\"]",
            list(20_001, i -> "\"wx" + i + "\"")) + "}").field("appIds").named("release to 20001 mini programs"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE + ",\"grayPlan\":[5,null]}")
            .field("grayPlan[1]").named("gray plan holding null"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE + ",\"grayPlan\":" + list(11, i -> "" + (i + 1))
            + "}").field("grayPlan").named("gray plan of 11 steps"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE + ",\"concurrency\":501}").field("concurrency")
            .named("concurrency 501"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE + ",\"concurrency\":1.5}").field("concurrency")
            .named("concurrency 1.5"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE + ",\"failureThreshold\":-1}")
            .field("failureThreshold").named("failure threshold -1"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE + ",\"grayApproval\":1}").field("grayApproval")
            .named("grayApproval 1 is not true"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace("\"x\"", "\"" + "d".repeat(201) + "\"")
            + "}").field("userDesc").named("release description over 200"));
        cases.add(post("/api/wechat/releases", "mpadmin", 400, RELEASE.replace(",\"appIds\":[\"{appId}\"]",
            ",\"tag\":\"v i p\"") + "}").field("tag").named("release tag with blanks"));
        cases.add(post("/api/wechat/releases", "developer", 403, RELEASE + "}").named("release started by a developer"));
        cases.add(post("/api/wechat/releases", "mpadmin", 404, RELEASE.replace("Demo", "Nowhere") + "}")
            .named("release in an unknown workspace"));
        cases.add(post("/api/wechat/releases/987654321/pause", "mpadmin", 404, null).named("pause an unknown batch"));
        cases.add(post("/api/wechat/releases/abc/pause", "mpadmin", 400, null).named("pause a batch id that is text"));
        cases.add(post("/api/wechat/releases/987654321/resume", "mpadmin", 404, null).named("resume an unknown batch"));
        cases.add(post("/api/wechat/releases/987654321/cancel", "mpadmin", 404, null).named("cancel an unknown batch"));
        cases.add(post("/api/wechat/releases/987654321/retry-failed", "mpadmin", 404, null)
            .named("retry an unknown batch"));
        cases.add(post("/api/wechat/releases/987654321/approve-gray-step", "mpadmin", 404, null)
            .named("approve a gray step of an unknown batch"));
        cases.add(post("/api/wechat/releases/987654321/rollback", "mpadmin", 400, "{\"appIds\":[null]}")
            .field("appIds[0]").named("rollback appIds holding null"));
        cases.add(post("/api/wechat/releases/987654321/rollback", "mpadmin", 404, "{\"appIds\":[\"{appId}\"]}")
            .named("rollback in an unknown batch"));

        // --- how refusals are answered
        cases.add(post("/api/nothing-here", "admin", 404, "{}").named("write to no endpoint"));
        cases.add(post("/api/apps/demo/environments/dev/publishes", "developer", 400, "{\"version\":\"latest\"}")
            .accept("text/html,application/json;q=0.9").field("version").named("browser-like Accept gets JSON"));
        cases.add(post("/api/apps/demo/environments/dev/publishes", "developer", 400, "{\"version\":\"latest\"}")
            .language("zh-CN").field("version").named("zh-CN caller gets Chinese"));
        cases.add(post("/api/nothing-here", null, 403, "{}").accept("text/html")
            .named("anonymous browser gets JSON too"));
        return cases.stream().map(c -> Arguments.of(Named.of(c.name(), c)));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Waits until nothing else changes the database (a process of an earlier test finishing) so that a difference
     * after the request is the request's.
     */
    private DatabaseSnapshot quietSnapshot() throws InterruptedException {
        DatabaseSnapshot previous = DatabaseSnapshot.take(jdbc);
        for (int i = 0; i < 40; i++) {
            Thread.sleep(250);
            DatabaseSnapshot now = DatabaseSnapshot.take(jdbc);
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private HttpResponse<String> send(String method, String path, String user, String body, String contentType,
                                      String accept, String language) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .header("Accept", accept);
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        if (language != null) {
            request.header("Accept-Language", language);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String resolve(String text) {
        return text.replace("{appId}", appId).replace("{template}", String.valueOf(template))
            .replace("{approval}", String.valueOf(approval));
    }

    private static String list(int n, java.util.function.IntFunction<String> item) {
        return IntStream.range(0, n).mapToObj(item).collect(Collectors.joining(",", "[", "]"));
    }

    private static Case post(String path, String user, int status, String body) {
        return new Case("", "POST", path, user, body, "application/json", "application/json", null, status, null);
    }

    private static Case put(String path, String user, int status, String body) {
        return new Case("", "PUT", path, user, body, "application/json", "application/json", null, status, null);
    }

    private static Case delete(String path, String user, int status) {
        return new Case("", "DELETE", path, user, null, "application/json", "application/json", null, status, null);
    }

    /** One refused request: what is sent, the status it must get and the field its errors must name (or null). */
    record Case(String name, String method, String path, String user, String body, String contentType, String accept,
                String language, int status, String field) {

        Case named(String name) {
            return new Case(name, method, path, user, body, contentType, accept, language, status, field);
        }

        Case field(String field) {
            return new Case(name, method, path, user, body, contentType, accept, language, status, field);
        }

        Case type(String contentType) {
            return new Case(name, method, path, user, body, contentType, accept, language, status, field);
        }

        Case accept(String accept) {
            return new Case(name, method, path, user, body, contentType, accept, language, status, field);
        }

        Case language(String language) {
            return new Case(name, method, path, user, body, contentType, accept, language, status, field);
        }

        @Override
        public String toString() {
            return method + " " + path + " as " + user + " (" + name + ")";
        }
    }
}
