package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The full privacy guide: defined per app as its tenants' default and per mini program as an override, checked in
 * full before it is stored, set by a release on the emulator and read back there.
 */
@MiniflowIntegrationTest
class PrivacyGuideTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String GUIDE = """
        {"contactEmail":"privacy@shop.example","contactPhone":"+86 10 1234 5678","noticeMethod":"弹窗通知",
         "storageDays":30,
         "items":[{"privacyKey":"UserInfo","purpose":"显示会员昵称"},{"privacyKey":"Location","purpose":"查找最近的门店"}],
         "sdks":[{"name":"MapKit","company":"Map Co.","items":[{"privacyKey":"Location","purpose":"画地图"}]}]}""";

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MiniProgramRelease release;

    final ObjectMapper json = new ObjectMapper();
    WechatSandboxHttp sandbox;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":300,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
    }

    @Test
    void aMiniProgramsOwnGuideOverridesItsAppsDefault() throws Exception {
        String appId = authorizedApp();
        bindToTenantOfDemoApp(appId);
        guide(appId).andExpect(jsonPath("$.source").value("NONE"));

        mvc.perform(put("/api/wechat/apps/demo/privacy-guide").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(GUIDE))
            .andExpect(status().isOk()).andExpect(jsonPath("$.guide.storageDays").value(30));
        guide(appId).andExpect(jsonPath("$.source").value("APP"))
            .andExpect(jsonPath("$.appCode").value("demo"))
            .andExpect(jsonPath("$.guide.items[1].privacyKey").value("Location"))
            .andExpect(jsonPath("$.guide.sdks[0].company").value("Map Co."));

        mvc.perform(put("/api/wechat/mini-programs/{a}/privacy-guide", appId).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"contactWeixin\":\"shop_owner\",\"noticeMethod\":\"公告\",\"items\":[]}"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.source").value("MINI_PROGRAM"))
            .andExpect(jsonPath("$.guide.contactWeixin").value("shop_owner"))
            .andExpect(jsonPath("$.appGuide.contactEmail").value("privacy@shop.example"));

        mvc.perform(delete("/api/wechat/mini-programs/{a}/privacy-guide", appId).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.source").value("APP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"noticeMethod\":\"弹窗\",\"items\":[]}",
        "{\"contactEmail\":\"nobody\",\"noticeMethod\":\"弹窗\"}",
        "{\"contactEmail\":\"p@shop.example\"}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"storageDays\":0}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"storageDays\":40000}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"storageDays\":\"a year\"}",
        "{\"contactQq\":\"12\",\"noticeMethod\":\"弹窗\"}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"items\":[{\"privacyKey\":\"1x\",\"purpose\":\"p\"}]}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"items\":[{\"privacyKey\":\"Location\"}]}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"items\":[{\"privacyKey\":\"Location\",\"purpose\":\"a\"},"
            + "{\"privacyKey\":\"Location\",\"purpose\":\"b\"}]}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"sdks\":[{\"name\":\"X\",\"company\":\"Y\",\"items\":[]}]}",
        "{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"弹窗\",\"sdks\":[{\"name\":\"X\",\"items\":"
            + "[{\"privacyKey\":\"Location\",\"purpose\":\"a\"}]}]}",
        "[1,2]"})
    void badGuidesAreRefusedAndNothingIsStored(String body) throws Exception {
        String appId = authorizedApp();
        mvc.perform(put("/api/wechat/mini-programs/{a}/privacy-guide", appId).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.message_zh").isNotEmpty());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_privacy_guide WHERE scope_key = ?").param(appId)
            .query(Long.class).single()).isZero();
    }

    @Test
    void aGuideTooLongForTheReleaseIsRefused() throws Exception {
        String appId = authorizedApp();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            items.append(i == 0 ? "" : ",").append("{\"privacyKey\":\"Key").append(i).append("\",\"purpose\":\"")
                .append("x".repeat(150)).append("\"}");
        }
        mvc.perform(put("/api/wechat/mini-programs/{a}/privacy-guide", appId).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"contactEmail\":\"p@shop.example\",\"noticeMethod\":\"n\",\"items\":[" + items + "]}"))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("privacy.tooLong"));
    }

    @Test
    void appGuidesNeedAnExistingAppAndTheReleaseRole() throws Exception {
        mvc.perform(put("/api/wechat/apps/{c}/privacy-guide", "no-such-app").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(GUIDE))
            .andExpect(status().isNotFound());
        mvc.perform(put("/api/wechat/apps/{c}/privacy-guide", "bad code!").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(GUIDE))
            .andExpect(status().isBadRequest());
        mvc.perform(put("/api/wechat/apps/demo/privacy-guide").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content(GUIDE))
            .andExpect(status().isForbidden());
        mvc.perform(put("/api/wechat/mini-programs/{a}/privacy-guide", authorizedApp())
                .with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON).content(GUIDE))
            .andExpect(status().isForbidden());
    }

    @Test
    void theGuideIsSetOnThePlatformAndReadBack() throws Exception {
        String appId = authorizedApp();
        PrivacyGuide guide = json.readValue(GUIDE, PrivacyGuide.class);
        release.applyPrivacyGuide(appId, guide);
        JsonNode platform = json.readTree(mvc.perform(get("/api/wechat/mini-programs/{a}/platform-privacy-guide", appId)
                .with(httpBasic("developer", "developer")))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(platform.at("/owner_setting/store_expire_timestamp").asText()).isEqualTo("30天");
        assertThat(platform.at("/owner_setting/notice_method").asText()).isEqualTo("弹窗通知");
        assertThat(platform.at("/setting_list/1/privacy_text").asText()).isEqualTo("查找最近的门店");
        assertThat(platform.at("/sdk_privacy_info_list/0/sdk_biz_name").asText()).isEqualTo("Map Co.");
    }

    @Test
    void aGuideThatReadsBackDifferentlyIsAnErrorNamingTheDifference() {
        PrivacyGuide set = new PrivacyGuide("p@shop.example", null, null, null, "弹窗", 30,
            List.of(new PrivacyGuide.DataItem("Location", "门店")), List.of());
        PrivacyGuide platform = new PrivacyGuide("p@shop.example", null, null, null, "弹窗", null,
            List.of(new PrivacyGuide.DataItem("Location", "门店")), List.of());
        assertThat(set.differencesFrom(platform)).containsExactly("storageDays: set 30, platform has null");
        MiniProgramCodePort dropsStorage = new FakeMiniProgramPlatform() {
            @Override
            public PrivacyGuide privacyGuide(String appId) {
                return platform;
            }
        };
        assertThatThrownBy(() -> new MiniProgramRelease(dropsStorage).applyPrivacyGuide("wxa", set))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("reads back differently")
            .hasMessageContaining("storageDays");
    }

    @Test
    void aReleaseOfTheBatchSetsTheFullGuide() throws Exception {
        String appId = authorizedApp();
        mvc.perform(put("/api/wechat/mini-programs/{a}/privacy-guide", appId).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(GUIDE))
            .andExpect(status().isOk());
        long template = sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + sandbox.componentToken())
            .get("template_list").get(0).get("template_id").asLong();
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", template,
                    "appIds", List.of(appId), "userVersion", "9.0." + System.nanoTime() % 1000,
                    "userDesc", "privacy guide", "concurrency", 1))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long releaseId = json.readTree(body).get("releaseId").asLong();
        await().atMost(WAIT).until(() -> "COMPLETED".equals(jdbc.sql("SELECT status FROM mf_release_batch WHERE id = ?")
            .param(releaseId).query(String.class).single()));
        assertThat(jdbc.sql("SELECT stage FROM mf_release_item WHERE batch_id = ?").param(releaseId)
            .query(String.class).single()).isEqualTo("RELEASED");
        JsonNode platform = json.readTree(mvc.perform(get("/api/wechat/mini-programs/{a}/platform-privacy-guide", appId)
                .with(httpBasic("mpadmin", "mpadmin"))).andReturn().getResponse().getContentAsString());
        assertThat(platform.at("/owner_setting/contact_phone").asText()).isEqualTo("+86 10 1234 5678");
        assertThat(platform.at("/sdk_privacy_info_list/0/sdk_list/0/privacy_key").asText()).isEqualTo("Location");
    }

    private org.springframework.test.web.servlet.ResultActions guide(String appId) throws Exception {
        return mvc.perform(get("/api/wechat/mini-programs/{a}/privacy-guide", appId)
            .with(httpBasic("developer", "developer"))).andExpect(status().isOk());
    }

    private String authorizedApp() {
        String appId = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":true}").get(0)
            .get("appid").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE app_id = ? AND status = 'AUTHORIZED'").param(appId)
            .query(Long.class).single() == 1);
        return appId;
    }

    /** A tenant of Demo whose tenant app of the demo app this mini program serves (as tenant-provisioning binds). */
    private void bindToTenantOfDemoApp(String appId) {
        Timestamp now = Timestamp.from(Instant.now());
        String code = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        jdbc.sql("INSERT INTO mf_tenant (workspace, tenant_code, name, status, request_hash, opened_by, created_at,"
            + " updated_at) VALUES ('Demo', ?, 'Tenant', 'ACTIVE', 'h', 'admin', ?, ?)").params(code, now, now).update();
        long tenant = jdbc.sql("SELECT id FROM mf_tenant WHERE workspace = 'Demo' AND tenant_code = ?").param(code)
            .query(Long.class).single();
        jdbc.sql("INSERT INTO mf_tenant_app (tenant_id, workspace, tenant_app_code, app_code, env_code, stage,"
                + " mini_program_app_id, request_hash, created_at, updated_at) VALUES (?, 'Demo', ?, 'demo', 'prod',"
                + " 'LIVE', ?, 'h', ?, ?)")
            .params(tenant, code + "-mp", appId, now, now).update();
        long tenantApp = jdbc.sql("SELECT id FROM mf_tenant_app WHERE workspace = 'Demo' AND tenant_app_code = ?")
            .param(code + "-mp").query(Long.class).single();
        jdbc.sql("INSERT INTO mf_tenant_binding (mini_program_app_id, tenant_app_id, bound_at) VALUES (?, ?, ?)")
            .params(appId, tenantApp, now).update();
    }
}
