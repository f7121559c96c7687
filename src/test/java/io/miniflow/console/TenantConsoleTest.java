package io.miniflow.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import javax.imageio.ImageIO;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.openapi.OpenApiTestWorkspaces;
import io.miniflow.tenant.Tenant;
import io.miniflow.tenant.TenantApp;
import io.miniflow.tenant.TenantAppStage;
import io.miniflow.tenant.TenantRequests.OpenTenant;
import io.miniflow.tenant.TenantService;
import io.miniflow.tenant.TenantStatus;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/**
 * The tenant pages of the console (issue #13): Demo's tenants for Demo's members only (others get 404 as for a
 * tenant that does not exist), opening and closing for workspace admins, the form's refusals next to the fields,
 * and the authorization link's QR code, which decodes back to the link.
 */
@MiniflowIntegrationTest
class TenantConsoleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    MockMvc mvc;
    @Autowired
    TenantService tenants;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    ObjectMapper json;

    @Test
    void aTenantOpenedThroughTheServiceIsListedSearchedAndFiltered() throws Exception {
        Tenant tenant = openInDemo("demo", "dev");
        String code = tenant.tenantCode();
        // The search box repeats the text searched for: a tenant is listed when its row links to it.
        String row = "href=\"/tenants/Demo/" + code + "\"";
        MockHttpSession developer = login("developer");

        assertThat(page(get("/tenants").session(developer))).contains(row, "Shop " + code);
        assertThat(page(get("/tenants").param("q", code.substring(0, 10).toUpperCase(Locale.ROOT)).session(developer)))
            .contains(row);
        assertThat(page(get("/tenants").param("q", "no-such-tenant-" + suffix()).session(developer)))
            .doesNotContain(row).contains("No tenant matches this search.");
        // Demo's app has no online version in dev: the tenant fails, and stays so.
        awaitStage(tenant, TenantAppStage.FAILED);
        assertThat(page(get("/tenants").param("status", "FAILED").param("q", code).session(developer))).contains(row);
        assertThat(page(get("/tenants").param("status", "CLOSED").param("q", code).session(developer)))
            .doesNotContain(row);
        assertThat(page(get("/tenants").param("lang", "zh-CN").session(developer))).contains("租户编码", row);
    }

    @Test
    void aMemberOfAnotherWorkspaceNeitherFindsNorListsDemosTenant() throws Exception {
        Tenant tenant = openInDemo("demo", "dev");
        MockHttpSession outsider = login(new OpenApiTestWorkspaces(mvc, identity).create().admin());
        String detail = "/tenants/Demo/" + tenant.tenantCode();

        mvc.perform(get(detail).session(outsider)).andExpect(status().isNotFound());
        mvc.perform(get(detail + "/close").session(outsider)).andExpect(status().isNotFound());
        mvc.perform(post(detail + "/close").param("confirmed", "true").session(outsider).with(csrf()))
            .andExpect(status().isNotFound());
        mvc.perform(get(detail + "/apps/" + tenant.tenantCode() + "-mp/qr.png").session(outsider))
            .andExpect(status().isNotFound());
        // The same answer as for a tenant that does not exist at all.
        mvc.perform(get("/tenants/Demo/no-such-tenant").session(outsider)).andExpect(status().isNotFound());
        assertThat(page(get("/tenants").session(outsider))).doesNotContain(detail);
        assertThat(tenants.find("Demo", tenant.tenantCode()).orElseThrow().status()).isNotEqualTo(TenantStatus.CLOSED);
        // Control: a member of Demo sees it.
        mvc.perform(get(detail).session(login("developer"))).andExpect(status().isOk());
    }

    @Test
    void aMemberWhoIsNoAdminNeitherOpensNorClosesTenants() throws Exception {
        Tenant tenant = openInDemo("demo", "dev");
        MockHttpSession developer = login("developer");
        long before = tenantCount();

        assertThat(page(get("/tenants").session(developer))).doesNotContain("href=\"/tenants/new\"");
        mvc.perform(get("/tenants/new").session(developer)).andExpect(status().isForbidden());
        mvc.perform(post("/tenants/new").session(developer).with(csrf()).param("workspace", "Demo")
                .param("tenantCode", "t" + suffix()).param("name", "Not mine").param("appCode", "demo")
                .param("envCode", "dev").param("tenantAppCode", "t" + suffix()))
            .andExpect(status().isForbidden());
        String detail = "/tenants/Demo/" + tenant.tenantCode();
        assertThat(page(get(detail).session(developer))).doesNotContain(detail + "/close");
        mvc.perform(get(detail + "/close").session(developer)).andExpect(status().isForbidden());
        mvc.perform(post(detail + "/close").param("confirmed", "true").session(developer).with(csrf()))
            .andExpect(status().isForbidden());

        assertThat(tenantCount()).isEqualTo(before);
        assertThat(tenants.find("Demo", tenant.tenantCode()).orElseThrow().status()).isNotEqualTo(TenantStatus.CLOSED);
    }

    @Test
    void badInputInTheFormIsShownNextToTheFieldsKeepsTheValuesAndCreatesNothing() throws Exception {
        MockHttpSession admin = login("admin");
        long before = tenantCount();
        String name = "Kept name " + suffix();

        String page = page(post("/tenants/new").session(admin).with(csrf()).locale(Locale.ENGLISH)
            .param("workspace", "Demo").param("tenantCode", "Bad code").param("name", name)
            .param("appCode", "demo").param("envCode", "dev").param("tenantAppCode", "")
            .param("extJson", "{\"shop\": ").param("templateId", "seven"));
        assertThat(page)
            .contains("Must start with a lowercase letter")                  // tenantCode, from the service
            .contains("Required.")                                           // tenantAppCode
            .contains("Not valid JSON (line 1, column")                      // extJson, parsed here
            .contains("Must be a positive template id.")                     // templateId
            .contains("value=\"Bad code\"", "value=\"" + name + "\"", "{&quot;shop&quot;: ");

        // Fields right, but the app is not Demo's: refused by what the service looks up, with the values kept.
        String unknownApp = page(post("/tenants/new").session(admin).with(csrf()).locale(Locale.ENGLISH)
            .param("workspace", "Demo").param("tenantCode", "t" + suffix()).param("name", name)
            .param("appCode", "nope").param("envCode", "dev").param("tenantAppCode", "t" + suffix()));
        assertThat(unknownApp).contains("No app nope in this workspace.", "value=\"nope\"");

        String zh = page(post("/tenants/new").session(admin).with(csrf()).param("lang", "zh-CN")
            .param("workspace", "Demo").param("tenantCode", "Bad code").param("name", name)
            .param("appCode", "demo").param("envCode", "dev").param("tenantAppCode", "ok-" + suffix()));
        assertThat(zh).contains("开通租户").doesNotContain("Must start with a lowercase letter");

        assertThat(tenantCount()).isEqualTo(before);
    }

    @Test
    void theFormOpensATenantAsTheLoggedInUser() throws Exception {
        String code = "t" + suffix();
        mvc.perform(post("/tenants/new").session(login("admin")).with(csrf())
                .param("workspace", "Demo").param("tenantCode", code).param("name", "Shop " + code)
                .param("appCode", "demo").param("envCode", "dev").param("tenantAppCode", code + "-mp")
                .param("extJson", "{\"shopName\": \"Shop\"}")
                // Not a field of the form: who opened it is who is logged in.
                .param("openedBy", "someone-else").param("actor", "someone-else"))
            .andExpect(redirectedUrl("/tenants/Demo/" + code));
        Tenant tenant = tenants.find("Demo", code).orElseThrow();
        assertThat(tenant.openedBy()).isEqualTo("admin");
        assertThat(tenants.appsOf(tenant)).singleElement().extracting(TenantApp::extJson)
            .isEqualTo("{\"shopName\":\"Shop\"}");
    }

    @Test
    void closingNeedsTheConfirmationTicked() throws Exception {
        Tenant tenant = openInDemo("demo", "dev");
        MockHttpSession admin = login("admin");
        String detail = "/tenants/Demo/" + tenant.tenantCode();

        assertThat(page(get(detail).session(admin))).contains(detail + "/close");
        assertThat(page(get(detail + "/close").session(admin))).contains("name=\"confirmed\"");
        assertThat(page(post(detail + "/close").session(admin).with(csrf()).locale(Locale.ENGLISH)))
            .contains("Tick the box to confirm");
        assertThat(tenants.find("Demo", tenant.tenantCode()).orElseThrow().status()).isNotEqualTo(TenantStatus.CLOSED);

        mvc.perform(post(detail + "/close").param("confirmed", "true").session(admin).with(csrf()))
            .andExpect(redirectedUrl(detail));
        assertThat(tenants.find("Demo", tenant.tenantCode()).orElseThrow().status()).isEqualTo(TenantStatus.CLOSED);
        assertThat(page(get(detail).session(admin))).doesNotContain(detail + "/close\"");
    }

    @Test
    void aFailedAppShowsItsReasonInTheReadersLanguage() throws Exception {
        Tenant tenant = openInDemo("demo", "dev");
        awaitStage(tenant, TenantAppStage.FAILED);
        String detail = "/tenants/Demo/" + tenant.tenantCode();
        MockHttpSession developer = login("developer");
        assertThat(page(get(detail).session(developer).param("lang", "en")))
            .contains("Environment dev of app demo has no online version yet", "class=\"diagram\"",
                "/processes/" + tenants.appsOf(tenant).get(0).processInstanceId());
        assertThat(page(get(detail).session(developer).param("lang", "zh-CN"))).contains("失败");
        mvc.perform(get(detail + "/apps/" + tenant.tenantCode() + "-mp/qr.png").session(developer))
            .andExpect(status().isNotFound());
    }

    @Test
    void anExpiredLinkOffersItsRenewalToAdminsOnly() throws Exception {
        Tenant tenant = openInDemo("demo", "dev");
        TenantApp app = awaitStage(tenant, TenantAppStage.FAILED);
        // The page reads the stored reason; reaching it for real takes the link's expiry timer.
        jdbc.sql("UPDATE mf_tenant_app SET error_code = 'AUTHORIZATION_EXPIRED', error_args = NULL WHERE id = ?")
            .param(app.id()).update();
        String renew = "/tenants/Demo/" + tenant.tenantCode() + "/apps/" + app.tenantAppCode() + "/renew-link";

        assertThat(page(get("/tenants/Demo/" + tenant.tenantCode()).session(login("admin")).param("lang", "en")))
            .contains("The merchant did not authorize in time", "action=\"" + renew + "\"");
        MockHttpSession developer = login("developer");
        assertThat(page(get("/tenants/Demo/" + tenant.tenantCode()).session(developer))).doesNotContain(renew);
        mvc.perform(post(renew).session(developer).with(csrf())).andExpect(status().isForbidden());
    }

    @Test
    void theWebhooksSentAreListedWithTheirLastAnswer() throws Exception {
        Tenant tenant = openInDemo("demo", "dev");
        TenantApp app = awaitStage(tenant, TenantAppStage.FAILED);
        String delivery = "d-" + suffix();
        jdbc.sql("INSERT INTO mf_tenant_webhook (tenant_app_id, delivery_id, event, url, status, attempts, last_status,"
                + " last_error, created_at, updated_at) VALUES (?, ?, 'tenant.app.failed', 'https://saas.example/hook',"
                + " 'FAILED', 5, 502, 'Bad gateway', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
            .params(app.id(), delivery).update();

        assertThat(page(get("/tenants/Demo/" + tenant.tenantCode()).session(login("developer")).param("lang", "en")))
            .contains(delivery, "tenant.app.failed", "HTTP 502", "Bad gateway", "webhook-FAILED");
    }

    @Test
    void theQrCodeOfAWaitingAppDecodesToItsAuthorizationLink() throws Exception {
        Tenant tenant = openInDemo(appWithOnlineVersion(), "dev");
        TenantApp app = awaitStage(tenant, TenantAppStage.WAITING_AUTHORIZATION);
        String link = tenants.authorizationUrl(app);
        assertThat(link).isNotBlank();
        String detail = "/tenants/Demo/" + tenant.tenantCode();
        MockHttpSession developer = login("developer");

        assertThat(page(get(detail).session(developer))).contains("value=\"" + link + "\"", "data-copy=",
            detail + "/apps/" + app.tenantAppCode() + "/qr.png");
        MvcResult png = mvc.perform(get(detail + "/apps/" + app.tenantAppCode() + "/qr.png").session(developer))
            .andExpect(status().isOk()).andExpect(content().contentType(MediaType.IMAGE_PNG)).andReturn();
        var image = ImageIO.read(new ByteArrayInputStream(png.getResponse().getContentAsByteArray()));
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
            new BufferedImageLuminanceSource(image)))).getText();
        assertThat(decoded).isEqualTo(link);
    }

    // --- helpers

    private Tenant openInDemo(String appCode, String envCode) {
        String code = "t" + suffix();
        tenants.open("Demo", "admin", new OpenTenant(code, "Shop " + code, null, appCode, envCode, code + "-mp",
            null, null, null));
        return tenants.find("Demo", code).orElseThrow();
    }

    private TenantApp awaitStage(Tenant tenant, TenantAppStage stage) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
            .until(() -> tenants.appsOf(tenant).get(0).stage() == stage);
        return tenants.appsOf(tenant).get(0);
    }

    /** A new app of Demo whose dev environment has version 1.0.0 online, published as a developer does. */
    private String appWithOnlineVersion() throws Exception {
        String app = "tc" + suffix().substring(0, 8);
        JsonNode started = io.miniflow.app.DemoApps.publishingToDev(mvc, app, "1.0.0");
        String statusUrl = started.get("statusUrl").asText();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> "PUBLISHED".equals(
            json.readTree(mvc.perform(get(statusUrl).with(httpBasic("developer", "developer"))).andReturn()
                .getResponse().getContentAsString()).path("status").asText()));
        return app;
    }

    private String page(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
        return mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private long tenantCount() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_tenant").query(Long.class).single();
    }

    private MockHttpSession login(String user) throws Exception {
        return (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", user).param("password", user))
            .andExpect(redirectedUrlPattern("/**"))
            .andReturn().getRequest().getSession();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
