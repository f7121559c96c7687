package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

/** A tenant's release settings: stored, rendered into the ext_json a release commits, bad input refused unchanged. */
@MiniflowIntegrationTest
class MiniProgramSettingsTest {

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MiniProgramSettings settings;

    @Test
    void settingsAreStoredAndRenderedIntoTheExtJson() throws Exception {
        String appId = authorizedApp();
        mvc.perform(put("/api/wechat/mini-programs/{a}/settings", appId).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"extJson\":\"{\\\"ext\\\":{\\\"shopId\\\":\\\"42\\\"}}\","
                    + "\"requestDomains\":[\"https://api.shop.example.com\"],\"privacyContactEmail\":\"p@shop.example.com\"}"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.requestDomains[0]").value("https://api.shop.example.com"));
        assertThat(settings.extJson(appId)).contains("\"shopId\":\"42\"").contains("\"extAppid\":\"" + appId + "\"")
            .contains("\"extEnable\":true");
        assertThat(settings.privacyContactEmail(appId)).isEqualTo("p@shop.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"extJson\":\"not json\"}",
        "{\"extJson\":\"[1,2]\"}",
        "{\"requestDomains\":[\"http://plain.example.com\"]}",
        "{\"webviewDomains\":[\"shop.example.com\"]}",
        "{\"privacyContactEmail\":\"nobody\"}"})
    void badSettingsAreRefusedAndNothingChanges(String body) throws Exception {
        String appId = authorizedApp();
        mvc.perform(put("/api/wechat/mini-programs/{a}/settings", appId).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.message_zh").isNotEmpty());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_mp_settings WHERE app_id = ?").param(appId).query(Long.class)
            .single()).isZero();
    }

    @Test
    void onlyReleasersChangeSettingsAndUnknownAppsAre404() throws Exception {
        String appId = authorizedApp();
        mvc.perform(put("/api/wechat/mini-programs/{a}/settings", appId).with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content("{}"))
            .andExpect(status().isForbidden());
        mvc.perform(get("/api/wechat/mini-programs/{a}/settings", "wxnotauthorized00").with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isNotFound());
    }

    private String authorizedApp() {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        String appId = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":true}").get(0)
            .get("appid").asText();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE app_id = ? AND status = 'AUTHORIZED'").param(appId)
            .query(Long.class).single() == 1);
        return appId;
    }
}
