package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.identity.Roles;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The console's authorizer and template pages: the tenant binding of seed 002, the library, who may change what. */
@MiniflowIntegrationTest
class WechatConsoleTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    WechatStore store;
    @LocalServerPort
    int port;

    @Autowired
    WechatClient client;

    static final RequestPostProcessor ADMIN = user("admin").authorities(() -> Roles.CAMUNDA_ADMIN);

    @org.junit.jupiter.api.BeforeEach
    void platformReady() {
        // the first ticket push may still be on its way when this is the first test of the suite
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).ignoreExceptions()
            .until(() -> !client.templates(null).isEmpty());
    }

    @Test
    void shouldShowPlatformStateToEveryoneButLetOnlyAdminsChangeIt() throws Exception {
        mvc.perform(get("/wechat/authorizers").with(user("developer")).locale(Locale.ENGLISH))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("Authorized mini programs")))
            .andExpect(content().string(containsString("wx0000000000sandbox")))
            .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Create authorization link"))));
        mvc.perform(post("/wechat/authorizers/link").with(user("developer")).with(csrf()).param("businessId", "t"))
            .andExpect(status().isForbidden());
        mvc.perform(get("/wechat/authorizers").with(ADMIN).locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(content().string(containsString("生成授权链接")));
    }

    @Test
    void shouldBindTheAuthorizedMiniProgramToTheTenantOfTheLink() throws Exception {
        String businessId = "tenant-" + System.nanoTime();
        String link = (String) mvc.perform(post("/wechat/authorizers/link").with(ADMIN).with(csrf())
                .param("businessId", businessId))
            .andExpect(status().is3xxRedirection()).andReturn().getFlashMap().get("authorizationUrl");
        assertThat(link).contains("/sandbox/wechat/authorize?component_appid=wx0000000000sandbox");

        // the merchant's browser: the sandbox authorization page, "create a new mini program", confirm
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String page = browser.send(HttpRequest.newBuilder(URI.create(link)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Matcher code = Pattern.compile("name=\"pre_auth_code\" value=\"([^\"]+)\"").matcher(page);
        Matcher redirect = Pattern.compile("name=\"redirect_uri\" value=\"([^\"]+)\"").matcher(page);
        assertThat(code.find() && redirect.find()).isTrue();
        String form = "pre_auth_code=" + URLEncoder.encode(code.group(1), StandardCharsets.UTF_8) + "&redirect_uri="
            + URLEncoder.encode(redirect.group(1).replace("&amp;", "&"), StandardCharsets.UTF_8)
            + "&appid=&nick_name=Tenant+Shop";
        String location = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/sandbox/wechat/authorize")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString())
            .headers().firstValue("Location").orElseThrow();
        URI back = URI.create(location);
        assertThat(back.getPath()).isEqualTo("/wechat/authorizers/bound");

        var bound = mvc.perform(get(URI.create(back.getPath() + "?" + back.getRawQuery())).with(user("mpadmin")))
            .andExpect(status().is3xxRedirection()).andReturn();
        assertThat(bound.getFlashMap().get("error")).as("binding error").isNull();
        assertThat(store.authorizers(businessId, 0, 10)).singleElement().satisfies(a -> {
            assertThat(a.businessId()).isEqualTo(businessId);
            assertThat(a.nickName()).isEqualTo("Tenant Shop");
            assertThat(a.refreshToken()).as("lists leave it out").isNull();
            assertThat(store.authorizer(a.appId()).orElseThrow().refreshToken()).isNotBlank();
        });
        mvc.perform(get("/wechat/authorizers").with(user("developer")).param("q", businessId))
            .andExpect(content().string(containsString("Tenant Shop")));
    }

    @Test
    void shouldAddADraftToTheLibraryAndDeleteATemplateAfterConfirmation() throws Exception {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        long draft = sandbox.post("/sandbox/admin/wechat/drafts", "{\"user_version\":\"7.7.7\",\"user_desc\":\"console\"}")
            .get("draft_id").asLong();
        mvc.perform(get("/wechat/templates").with(ADMIN).locale(Locale.ENGLISH))
            .andExpect(content().string(containsString("7.7.7")))
            .andExpect(content().string(containsString("Add to templates")));
        mvc.perform(post("/wechat/templates").with(ADMIN).with(csrf()).param("draftId", Long.toString(draft)))
            .andExpect(status().is3xxRedirection());
        long templateId = sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + sandbox.componentToken())
            .get("template_list").findParents("user_version").stream()
            .filter(n -> n.get("user_version").asText().equals("7.7.7")).findFirst().orElseThrow()
            .get("template_id").asLong();
        mvc.perform(get("/wechat/templates/" + templateId + "/delete").with(ADMIN).locale(Locale.ENGLISH))
            .andExpect(content().string(containsString("Delete template " + templateId)));
        mvc.perform(post("/wechat/templates/" + templateId + "/delete").with(user("developer")).with(csrf()))
            .andExpect(status().isForbidden());
        mvc.perform(post("/wechat/templates/" + templateId + "/delete").with(ADMIN).with(csrf()))
            .andExpect(status().is3xxRedirection());
        assertThat(sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + sandbox.componentToken())
            .toString()).doesNotContain("\"template_id\":" + templateId + ",");
    }

    @Test
    void shouldLearnAuthorizersWhosePushWasMissedBySyncing() throws Exception {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        var created = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false,"
            + "\"nick_name\":\"Silent Shop\"}").get(0);
        String appId = created.get("appid").asText();
        assertThat(store.authorizer(appId)).isEmpty();
        mvc.perform(post("/wechat/authorizers/sync").with(ADMIN).with(csrf())).andExpect(status().is3xxRedirection());
        assertThat(store.authorizer(appId)).hasValueSatisfying(a -> {
            assertThat(a.refreshToken()).isEqualTo(created.get("refresh_token").asText());
            assertThat(a.nickName()).isEqualTo("Silent Shop");
        });
    }
}
