package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.RuntimeService;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * One mini program's page and API against the WeChat emulator over HTTP: its versions and the rollback to a chosen
 * one (through wechat-mp-rollback), the experience version's QR code, testers with WeChat's refusals translated, and
 * bad input refused with nothing changed.
 */
@MiniflowIntegrationTest
class MiniProgramPageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;
    @Autowired
    IdentityService identityService;

    final ObjectMapper json = new ObjectMapper();
    WechatSandboxHttp sandbox;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":200,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        await().atMost(WAIT).until(() -> !sandbox.get("/sandbox/admin/wechat/platform")
            .path("component_verify_ticket").isNull());
    }

    @AfterEach
    void tearDown() {
        sandbox.post("/sandbox/admin/wechat/settings", "{\"tester_limit\":15,\"tester_apps_limit\":50}");
    }

    // ------------------------------------------------------------------ versions and rollback

    @Test
    void shouldRollBackToAChosenVersionThroughTheEngine() throws Exception {
        App app = authorizedApp();
        release(app, "1.0.0");
        release(app, "1.1.0");
        release(app, "1.2.0");
        JsonNode versions = versions(app.id);
        assertThat(versions).hasSize(3);
        assertThat(versions.get(0).get("userVersion").asText()).isEqualTo("1.2.0");
        assertThat(versions.get(0).get("online").asBoolean()).isTrue();
        int first = versions.get(2).get("appVersion").asInt();
        sandbox.delete("/sandbox/admin/wechat/stats");

        String answer = mvc.perform(post("/api/wechat/mini-programs/{a}/rollback", app.id)
                .with(httpBasic("mpadmin", "mpadmin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"appVersion\":" + first + "}"))
            .andExpect(status().isAccepted())
            .andReturn().getResponse().getContentAsString();
        String pid = json.readTree(answer).get("processInstanceId").asText();
        String statusUrl = json.readTree(answer).get("statusUrl").asText();
        await().atMost(WAIT).until(() -> runtimeService.createProcessInstanceQuery().processInstanceId(pid).count() == 0);

        assertThat(releaseVersion(app)).isEqualTo("1.0.0");
        mvc.perform(get(statusUrl).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.state").value("COMPLETED"))
            .andExpect(jsonPath("$.requestedBy").value("mpadmin"))
            .andExpect(jsonPath("$.appVersion").value(first))
            .andExpect(jsonPath("$.result").value("REVERTED_TO_CHOSEN"));
        assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(pid).singleResult()
            .getProcessDefinitionKey()).isEqualTo("wechat-mp-rollback");
        // The history now marks 1.0.0 as online (a second revert would have been refused, 87012, and left an incident).
        JsonNode after = versions(app.id);
        assertThat(after.get(2).get("online").asBoolean()).isTrue();
        assertThat(after.get(0).get("online").asBoolean()).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_log WHERE action = 'MINI_PROGRAM_ROLLBACK_REQUESTED'"
            + " AND object_id = ? AND actor = 'mpadmin'").param(app.id).query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    void theConsoleAsksBeforeRollingBackAndStartsTheSameProcess() throws Exception {
        App app = authorizedApp();
        release(app, "2.0.0");
        release(app, "2.1.0");
        int older = versions(app.id).get(1).get("appVersion").asInt();
        MockHttpSession session = login("mpadmin");
        String page = mvc.perform(get("/wechat/mini-programs/{a}", app.id).session(session).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("2.1.0", "2.0.0", "Roll back to this version",
            "/wechat/mini-programs/" + app.id + "/rollback?appVersion=" + older, "/wechat/mini-programs/" + app.id
                + "/qrcode");
        String confirm = mvc.perform(get("/wechat/mini-programs/{a}/rollback", app.id).param("appVersion",
                String.valueOf(older)).session(session).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(confirm).contains("Roll " + app.id + " back to version 2.0.0");
        assertThat(releaseVersion(app)).as("asking changes nothing").isEqualTo("2.1.0");

        mvc.perform(post("/wechat/mini-programs/{a}/rollback", app.id).param("appVersion", String.valueOf(older))
                .session(session).with(csrf()).locale(Locale.ENGLISH))
            .andExpect(status().is3xxRedirection())
            .andExpect(flash().attribute("message", Matchers.containsString("rollback of " + app.id + " started")));
        await().atMost(WAIT).until(() -> "2.0.0".equals(releaseVersion(app)));
        await().atMost(WAIT).until(() -> runtimeService.createProcessInstanceQuery()
            .processDefinitionKey("wechat-mp-rollback").variableValueEquals("appId", app.id).count() == 0);
        assertThat(mvc.perform(get("/wechat/mini-programs/{a}", app.id).session(session).locale(Locale.ENGLISH))
            .andReturn().getResponse().getContentAsString()).contains("COMPLETED").contains("mpadmin");
    }

    @Test
    void badRollbacksAreRefusedAndNothingStarts() throws Exception {
        App app = authorizedApp();
        release(app, "3.0.0");
        release(app, "3.1.0");
        JsonNode versions = versions(app.id);
        int online = versions.get(0).get("appVersion").asInt();
        long before = rollbacks();

        rollback(app.id, "{\"appVersion\":999}", "mpadmin").andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("miniProgram.appVersion.unknown"))
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
        rollback(app.id, "{\"appVersion\":" + online + "}", "mpadmin").andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("miniProgram.appVersion.online"));
        rollback(app.id, "{}", "mpadmin").andExpect(status().isBadRequest());
        rollback(app.id, "{\"appVersion\":0}", "mpadmin").andExpect(status().isBadRequest());
        rollback(app.id, "{\"appVersion\":\"latest\"}", "mpadmin").andExpect(status().isBadRequest());
        rollback("not an appid!", "{\"appVersion\":1}", "mpadmin").andExpect(status().isBadRequest());
        rollback("wxnotauthorized00", "{\"appVersion\":1}", "mpadmin").andExpect(status().isNotFound());
        rollback(app.id, "{\"appVersion\":" + versions.get(1).get("appVersion").asInt() + "}", "developer")
            .andExpect(status().isForbidden());

        assertThat(rollbacks()).isEqualTo(before);
        assertThat(releaseVersion(app)).isEqualTo("3.1.0");
    }

    @Test
    void anotherWorkspacesMiniProgramStaysClosed() throws Exception {
        App app = authorizedApp();
        String workspace = "Mp" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        User representative = identityService.newUser(workspace.toLowerCase(Locale.ROOT));
        representative.setPassword(representative.getId());
        representative.setEmail(representative.getId() + "@example.com");
        identityService.saveUser(representative);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + workspace + "\",\"businessScope\":\"5734\",\"address\":\"1 Road\","
                    + "\"representativeName\":\"Rep\",\"representativeEmail\":\"" + representative.getEmail() + "\"}"))
            .andExpect(status().isCreated());
        bindToTenant(app.id, workspace);

        for (String path : List.of("/versions", "/testers", "/privacy-guide", "/qrcode")) {
            mvc.perform(get("/api/wechat/mini-programs/" + app.id + path).with(httpBasic("mpadmin", "mpadmin")))
                .andExpect(status().isForbidden());
        }
        rollback(app.id, "{\"appVersion\":1}", "mpadmin").andExpect(status().isForbidden());
        mvc.perform(post("/api/wechat/mini-programs/{a}/testers", app.id).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"wechatId\":\"tester_outsider\"}"))
            .andExpect(status().isForbidden());
        mvc.perform(get("/wechat/mini-programs/{a}", app.id).session(login("mpadmin")))
            .andExpect(status().isForbidden());
        assertThat(calls(app.id, "wxa/bind_tester")).isZero();
        // Control: the platform admin, who sees every workspace, is let in.
        mvc.perform(get("/api/wechat/mini-programs/{a}/versions", app.id).with(httpBasic("admin", "admin")))
            .andExpect(status().isOk());
    }

    // ------------------------------------------------------------------ experience version: QR code and testers

    @Test
    void theQrCodeIsTheExperienceVersionsImage() throws Exception {
        App app = authorizedApp();
        mvc.perform(get("/api/wechat/mini-programs/{a}/qrcode", app.id).with(httpBasic("mpadmin", "mpadmin"))
                .locale(Locale.ENGLISH))
            .andExpect(status().isUnprocessableEntity())
            .andExpect(jsonPath("$.message").value(Matchers.containsString("No code has been committed")))
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
        commit(app, "4.0.0");
        byte[] image = mvc.perform(get("/api/wechat/mini-programs/{a}/qrcode", app.id)
                .param("path", "pages/index?from=miniflow").with(httpBasic("developer", "developer")))
            .andExpect(status().isOk())
            .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                .contentType(MediaType.IMAGE_JPEG))
            .andReturn().getResponse().getContentAsByteArray();
        assertThat(ImageIO.read(new ByteArrayInputStream(image))).isNotNull();
        mvc.perform(get("/api/wechat/mini-programs/{a}/qrcode", app.id).param("path", "<script>")
                .with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isBadRequest());
        mvc.perform(get("/wechat/mini-programs/{a}/qrcode", app.id).session(login("mpadmin")))
            .andExpect(status().isOk());
    }

    @Test
    void testersAreBoundListedAndUnboundWithWechatsRefusalsTranslated() throws Exception {
        App app = authorizedApp();
        String userstr = json.readTree(bind(app.id, "tester_alice", "mpadmin").andExpect(status().isCreated())
            .andExpect(jsonPath("$.wechatId").value("tester_alice"))
            .andReturn().getResponse().getContentAsString()).get("userstr").asText();
        mvc.perform(get("/api/wechat/mini-programs/{a}/testers", app.id).with(httpBasic("developer", "developer")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.testers[0].userstr").value(userstr))
            .andExpect(jsonPath("$.testers[0].wechatId").value("tester_alice"))
            .andExpect(jsonPath("$.testers[0].boundBy").value("mpadmin"));

        // 85004: already a tester; 85001: a WeChat ID nobody can find. Both in the reader's language.
        bind(app.id, "tester_alice", "mpadmin").andExpect(status().isUnprocessableEntity())
            .andExpect(jsonPath("$.message").value(Matchers.containsString("already a tester")))
            .andExpect(jsonPath("$.message_zh").value(Matchers.containsString("已经是这个小程序的体验者")));
        bind(app.id, "hidden_bob1", "mpadmin").andExpect(status().isUnprocessableEntity())
            .andExpect(jsonPath("$.message").value(Matchers.containsString("does not exist")))
            .andExpect(jsonPath("$.message_zh").value(Matchers.containsString("微信号不存在")));

        // 85002: the mini program's tester limit.
        sandbox.post("/sandbox/admin/wechat/settings", "{\"tester_limit\":2}");
        bind(app.id, "tester_carol", "mpadmin").andExpect(status().isCreated());
        bind(app.id, "tester_dave1", "mpadmin").andExpect(status().isUnprocessableEntity())
            .andExpect(jsonPath("$.message").value(Matchers.containsString("as many testers as it may have")));

        // 85003: a WeChat ID that tests as many mini programs as allowed.
        sandbox.post("/sandbox/admin/wechat/settings", "{\"tester_limit\":15,\"tester_apps_limit\":1}");
        App other = authorizedApp();
        bind(other.id, "tester_alice", "mpadmin").andExpect(status().isUnprocessableEntity())
            .andExpect(jsonPath("$.message_zh").value(Matchers.containsString("绑定的小程序数量已达上限")));

        mvc.perform(delete("/api/wechat/mini-programs/{a}/testers/{u}", app.id, userstr)
                .with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isNoContent());
        assertThat(sandbox.post("/sandbox/wechat/wxa/memberauth?access_token=" + app.token,
            "{\"action\":\"get_experiencer\"}").get("members")).hasSize(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_mp_tester WHERE app_id = ? AND userstr = ?")
            .params(app.id, userstr).query(Long.class).single()).isZero();
    }

    @Test
    void badTesterRequestsAreRefusedBeforeWechatIsAsked() throws Exception {
        App app = authorizedApp();
        sandbox.delete("/sandbox/admin/wechat/stats");
        bind(app.id, "1startswithdigit", "mpadmin").andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
        bind(app.id, "short", "mpadmin").andExpect(status().isBadRequest());
        bind(app.id, "x".repeat(65), "mpadmin").andExpect(status().isBadRequest());
        mvc.perform(post("/api/wechat/mini-programs/{a}/testers", app.id).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content("{}"))
            .andExpect(status().isBadRequest());
        bind(app.id, "tester_erin", "developer").andExpect(status().isForbidden());
        assertThat(calls(app.id, "wxa/bind_tester")).isZero();
        mvc.perform(delete("/api/wechat/mini-programs/{a}/testers/{u}", app.id, "nosuchtester")
                .with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isNotFound());
        assertThat(calls(app.id, "wxa/unbind_tester")).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_mp_tester WHERE app_id = ?").param(app.id).query(Long.class)
            .single()).isZero();
    }

    @Test
    void theConsoleBindsAndUnbindsAfterAsking() throws Exception {
        App app = authorizedApp();
        MockHttpSession session = login("mpadmin");
        mvc.perform(post("/wechat/mini-programs/{a}/testers", app.id).param("wechatId", "hidden_zed1")
                .session(session).with(csrf()).locale(Locale.ENGLISH))
            .andExpect(flash().attribute("error", Matchers.containsString("does not exist")));
        mvc.perform(post("/wechat/mini-programs/{a}/testers", app.id).param("wechatId", "tester_frank")
                .session(session).with(csrf()).locale(Locale.ENGLISH))
            .andExpect(flash().attribute("message", Matchers.containsString("tester_frank")));
        String userstr = jdbc.sql("SELECT userstr FROM mf_mp_tester WHERE app_id = ?").param(app.id)
            .query(String.class).single();
        assertThat(mvc.perform(get("/wechat/mini-programs/{a}", app.id).session(session))
            .andReturn().getResponse().getContentAsString()).contains("tester_frank", userstr);
        mvc.perform(get("/wechat/mini-programs/{a}/testers/{u}/unbind", app.id, userstr).session(session))
            .andExpect(status().isOk());
        assertThat(sandbox.post("/sandbox/wechat/wxa/memberauth?access_token=" + app.token,
            "{\"action\":\"get_experiencer\"}").get("members")).as("asking changes nothing").hasSize(1);
        mvc.perform(post("/wechat/mini-programs/{a}/testers/{u}/unbind", app.id, userstr).session(session)
                .with(csrf()))
            .andExpect(status().is3xxRedirection());
        assertThat(sandbox.post("/sandbox/wechat/wxa/memberauth?access_token=" + app.token,
            "{\"action\":\"get_experiencer\"}").get("members")).isEmpty();
    }

    @Test
    void theConsoleKeepsAPrivacyGuideWrittenInLines() throws Exception {
        App app = authorizedApp();
        MockHttpSession session = login("mpadmin");
        mvc.perform(post("/wechat/mini-programs/{a}/privacy-guide", app.id).session(session).with(csrf())
                .param("contactEmail", "privacy@shop.example").param("noticeMethod", "弹窗通知")
                .param("storageDays", "90").param("items", "Location = 查找最近的门店\nUserInfo = 显示昵称")
                .param("sdks", "MapKit | Map Co. | Location = 画地图").locale(Locale.ENGLISH))
            .andExpect(flash().attribute("message", Matchers.containsString("privacy guide of " + app.id)));
        String page = mvc.perform(get("/wechat/mini-programs/{a}", app.id).session(session).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("This mini program has a guide of its own", "查找最近的门店", "MapKit (Map Co.)",
            "Location: 画地图", "privacy@shop.example");

        // A line that is no item changes nothing.
        mvc.perform(post("/wechat/mini-programs/{a}/privacy-guide", app.id).session(session).with(csrf())
                .param("contactEmail", "other@shop.example").param("noticeMethod", "n").param("items", "just words")
                .locale(Locale.ENGLISH))
            .andExpect(flash().attribute("error", Matchers.containsString("just words")));
        mvc.perform(get("/api/wechat/mini-programs/{a}/privacy-guide", app.id).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(jsonPath("$.guide.contactEmail").value("privacy@shop.example"))
            .andExpect(jsonPath("$.guide.storageDays").value(90));
        mvc.perform(post("/wechat/mini-programs/{a}/privacy-guide", app.id).session(login("developer")).with(csrf())
                .param("contactEmail", "dev@shop.example").param("noticeMethod", "n"))
            .andExpect(flash().attribute("error", Matchers.notNullValue()));
    }

    // ------------------------------------------------------------------ helpers

    record App(String id, String token) {
    }

    private App authorizedApp() {
        JsonNode created = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":true}").get(0);
        String appId = created.get("appid").asText();
        await().atMost(WAIT).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE app_id = ? AND status = 'AUTHORIZED'").param(appId)
            .query(Long.class).single() == 1);
        JsonNode platform = sandbox.get("/sandbox/admin/wechat/platform");
        String token = sandbox.post("/sandbox/wechat/cgi-bin/component/api_authorizer_token?component_access_token="
                + sandbox.componentToken(), "{\"component_appid\":\"" + platform.get("component_appid").asText()
                + "\",\"authorizer_appid\":\"" + appId + "\",\"authorizer_refresh_token\":\""
                + created.get("refresh_token").asText() + "\"}")
            .get("authorizer_access_token").asText();
        return new App(appId, token);
    }

    /** What the merchant's developers do outside Miniflow: commit, audit and release a version. */
    private void release(App app, String version) {
        commit(app, version);
        long auditId = sandbox.post("/sandbox/wechat/wxa/submit_audit?access_token=" + app.token, "{}")
            .get("auditid").asLong();
        await().atMost(WAIT).until(() -> sandbox.post("/sandbox/wechat/wxa/get_auditstatus?access_token=" + app.token,
            "{\"auditid\":" + auditId + "}").get("status").asInt() == 0);
        assertThat(sandbox.post("/sandbox/wechat/wxa/release?access_token=" + app.token, "{}").get("errcode").asInt())
            .isZero();
    }

    private void commit(App app, String version) {
        long template = sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + sandbox.componentToken())
            .get("template_list").get(0).get("template_id").asLong();
        assertThat(sandbox.post("/sandbox/wechat/wxa/commit?access_token=" + app.token, "{\"template_id\":" + template
            + ",\"ext_json\":\"{}\",\"user_version\":\"" + version + "\",\"user_desc\":\"v" + version + "\"}")
            .get("errcode").asInt()).isZero();
    }

    private String releaseVersion(App app) {
        return sandbox.post("/sandbox/wechat/wxa/getversioninfo?access_token=" + app.token, "{}")
            .at("/release_info/release_version").asText(null);
    }

    private JsonNode versions(String appId) throws Exception {
        return json.readTree(mvc.perform(get("/api/wechat/mini-programs/{a}/versions", appId)
                .with(httpBasic("developer", "developer")))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).get("versions");
    }

    private ResultActions rollback(String appId, String body, String user) throws Exception {
        return mvc.perform(post("/api/wechat/mini-programs/{a}/rollback", appId).with(httpBasic(user, user))
            .contentType(MediaType.APPLICATION_JSON).content(body).locale(Locale.ENGLISH));
    }

    private ResultActions bind(String appId, String wechatId, String user) throws Exception {
        return mvc.perform(post("/api/wechat/mini-programs/{a}/testers", appId).with(httpBasic(user, user))
            .contentType(MediaType.APPLICATION_JSON).content("{\"wechatId\":\"" + wechatId + "\"}")
            .locale(Locale.ENGLISH));
    }

    private long rollbacks() {
        return historyService.createHistoricProcessInstanceQuery().processDefinitionKey("wechat-mp-rollback").count();
    }

    private long calls(String appId, String api) {
        for (JsonNode row : sandbox.get("/sandbox/admin/wechat/stats").get("rows")) {
            if (row.get("appid").asText().equals(appId) && row.get("api").asText().equals(api)) {
                return row.get("calls").asLong();
            }
        }
        return 0;
    }

    /** A tenant of {@code workspace} whose tenant app this mini program serves (as tenant-provisioning binds one). */
    private void bindToTenant(String appId, String workspace) {
        java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
        String code = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        long tenant = jdbc.sql("INSERT INTO mf_tenant (workspace, tenant_code, name, status, request_hash, opened_by,"
                + " created_at, updated_at) VALUES (?, ?, 'Tenant', 'ACTIVE', 'h', 'admin', ?, ?)")
            .params(workspace, code, now, now).update() > 0
            ? jdbc.sql("SELECT id FROM mf_tenant WHERE workspace = ? AND tenant_code = ?").params(workspace, code)
                .query(Long.class).single() : -1;
        jdbc.sql("INSERT INTO mf_tenant_app (tenant_id, workspace, tenant_app_code, app_code, env_code, stage,"
                + " mini_program_app_id, request_hash, created_at, updated_at) VALUES (?, ?, ?, 'shop', 'prod', 'LIVE',"
                + " ?, 'h', ?, ?)")
            .params(tenant, workspace, code + "-mp", appId, now, now).update();
        long tenantApp = jdbc.sql("SELECT id FROM mf_tenant_app WHERE workspace = ? AND tenant_app_code = ?")
            .params(workspace, code + "-mp").query(Long.class).single();
        jdbc.sql("INSERT INTO mf_tenant_binding (mini_program_app_id, tenant_app_id, bound_at) VALUES (?, ?, ?)")
            .params(appId, tenantApp, now).update();
    }

    private MockHttpSession login(String user) throws Exception {
        return (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", user).param("password", user))
            .andReturn().getRequest().getSession();
    }
}
