package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.identity.Roles;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The template library page shows how full the library is, and a full library's refusal (85065) in words. */
@MiniflowIntegrationTest
class TemplateLibraryLimitTest {

    static final RequestPostProcessor ADMIN = user("admin").authorities(() -> Roles.CAMUNDA_ADMIN);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;

    @AfterEach
    void restoreTheLimit() {
        new WechatSandboxHttp(port).post("/sandbox/admin/wechat/settings", "{\"template_limit\":200}");
    }

    @Test
    void thePageShowsTheCountAgainstThePlatformsLimit() throws Exception {
        int count = templates(new WechatSandboxHttp(port)).size();
        mvc.perform(get("/wechat/templates").with(user("developer")).locale(Locale.ENGLISH))
            .andExpect(content().string(containsString(count + " of at most 200 templates")));
        mvc.perform(get("/wechat/templates").with(user("developer")).locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(content().string(containsString("平台模板库中有 " + count + " 个模板，上限 200 个")));
    }

    @Test
    void aFullLibrarysRefusalIsTranslated() throws Exception {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        long type0 = 0;
        for (JsonNode t : templates(sandbox)) {
            type0 += t.get("template_type").asInt() == 0 ? 1 : 0;
        }
        sandbox.post("/sandbox/admin/wechat/settings", "{\"template_limit\":" + type0 + "}");
        long draft = sandbox.post("/sandbox/admin/wechat/drafts", "{\"user_version\":\"8.8.8\",\"user_desc\":\"full\"}")
            .get("draft_id").asLong();
        mvc.perform(post("/wechat/templates").with(ADMIN).with(csrf()).param("draftId", Long.toString(draft))
                .locale(Locale.ENGLISH))
            .andExpect(flash().attribute("error", containsString("template library is full")));
        mvc.perform(post("/wechat/templates").with(ADMIN).with(csrf()).param("draftId", Long.toString(draft))
                .locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(flash().attribute("error", containsString("模板库已满")));
        assertThat(templates(sandbox).toString()).doesNotContain("8.8.8");
    }

    private static JsonNode templates(WechatSandboxHttp sandbox) {
        return sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + sandbox.componentToken())
            .get("template_list");
    }
}
