package io.miniflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Response headers and the session cookie (security issue #11): a Content-Security-Policy without inline script
 * on console pages (and none of ours on Camunda's webapps, which send their own), a Referrer-Policy everywhere,
 * SameSite=Lax on the session cookie (Secure under prod), and the OpenAPI document behind a login.
 */
@MiniflowIntegrationTest
class HeadersAndCookiesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    /** A script element without a src attribute: its code is inline. */
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\b(th:)?src=)[^>]*>",
        Pattern.CASE_INSENSITIVE);
    /** Event-handler attributes (onclick=, onsubmit=, ...), also when Thymeleaf writes them through th:attr. */
    private static final Pattern EVENT_HANDLER = Pattern.compile("[\\s\"'=,|(:]on[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);

    @Autowired
    MockMvc mvc;
    @LocalServerPort
    int port;

    @Test
    void consolePagesCarryAPolicyWithoutInlineScript() throws Exception {
        for (String page : List.of("/", "/tasks", "/apps", "/workspaces/Demo")) {
            mvc.perform(get(page).with(user("admin").authorities(() -> Roles.CAMUNDA_ADMIN)))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", SecurityConfig.CONSOLE_CONTENT_SECURITY_POLICY))
                .andExpect(header().string("Referrer-Policy", "strict-origin-when-cross-origin"));
        }
        mvc.perform(get("/login")).andExpect(header().string("Content-Security-Policy",
            SecurityConfig.CONSOLE_CONTENT_SECURITY_POLICY));
        String policy = SecurityConfig.CONSOLE_CONTENT_SECURITY_POLICY;
        assertThat(directive(policy, "script-src")).isEqualTo("script-src 'self'");
        assertThat(directive(policy, "default-src")).isEqualTo("default-src 'self'");
        assertThat(directive(policy, "style-src")).isEqualTo("style-src 'self'");
        assertThat(directive(policy, "object-src")).isEqualTo("object-src 'none'");
        assertThat(directive(policy, "frame-ancestors")).isEqualTo("frame-ancestors 'none'");
    }

    @Test
    void apisAndPlatformEndpointsCarryAReferrerPolicy() throws Exception {
        mvc.perform(get("/api/workspaces").with(httpBasic("admin", "admin")))
            .andExpect(status().isOk())
            .andExpect(header().string("Referrer-Policy", "strict-origin-when-cross-origin"));
        mvc.perform(get("/sandbox/admin/aliyun"))
            .andExpect(header().string("Referrer-Policy", "strict-origin-when-cross-origin"));
    }

    @Test
    void noTemplateHasInlineScriptOrEventHandlers() throws IOException {
        Resource[] templates = new PathMatchingResourcePatternResolver().getResources("classpath*:templates/**/*.html");
        assertThat(templates).as("templates found").hasSizeGreaterThan(10);
        List<String> offenders = new ArrayList<>();
        for (Resource template : templates) {
            String html = template.getContentAsString(StandardCharsets.UTF_8);
            if (INLINE_SCRIPT.matcher(html).find() || EVENT_HANDLER.matcher(html).find()
                || html.contains("th:inline=\"javascript\"") || html.contains("javascript:")) {
                offenders.add(template.getFilename());
            }
        }
        assertThat(offenders).as("templates with inline script (move it to static/js)").isEmpty();
    }

    @Test
    void theTemplateScanRecognisesInlineScript() {
        assertThat(INLINE_SCRIPT.matcher("<script th:inline=\"javascript\">const a = 1;</script>").find()).isTrue();
        assertThat(INLINE_SCRIPT.matcher("<SCRIPT>alert(1)</SCRIPT>").find()).isTrue();
        assertThat(INLINE_SCRIPT.matcher("<script th:src=\"@{/js/publish.js}\"></script>").find()).isFalse();
        assertThat(INLINE_SCRIPT.matcher("<script src=\"/js/a.js\" defer></script>").find()).isFalse();
        assertThat(EVENT_HANDLER.matcher("<form onsubmit=\"return confirm('x')\">").find()).isTrue();
        assertThat(EVENT_HANDLER.matcher("th:attr=\"onsubmit=|return confirm('x')|\"").find()).isTrue();
        assertThat(EVENT_HANDLER.matcher("<button onclick='x()'>").find()).isTrue();
        assertThat(EVENT_HANDLER.matcher("<p th:text=\"#{common.one}\" data-confirm=\"sure?\">").find()).isFalse();
    }

    @Test
    void thePublishPageHandsItsLabelsToItsScriptThroughDataAttributes() throws Exception {
        String script = new ClassPathResource("static/js/publish.js").getContentAsString(StandardCharsets.UTF_8);
        assertThat(script).contains("dataset[key]").doesNotContain("typeof labels");
        String template = new ClassPathResource("templates/apps/publish.html").getContentAsString(StandardCharsets.UTF_8);
        assertThat(template).contains("data-label-pending-publish=#{apps.status.PENDING_PUBLISH}")
            .contains("data-label-failed=#{apps.status.FAILED}");
    }

    @Test
    void theOpenApiDocumentNeedsALogin() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v3/api-docs").with(httpBasic("developer", "developer")))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.containsString("/api/workspaces")));
    }

    @Test
    void theSessionCookieIsSameSiteLaxAndHttpOnly() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(uri("/login")).build(),
            HttpResponse.BodyHandlers.ofString());
        List<String> cookies = new ArrayList<>(loginPage.headers().allValues("Set-Cookie"));
        Matcher csrf = CSRF.matcher(loginPage.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<Void> login = browser.send(HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=reviewer&password=reviewer&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(login.statusCode()).isEqualTo(302);
        // Logging in issues a new session id (session fixation protection): that cookie counts most.
        cookies.addAll(login.headers().allValues("Set-Cookie"));
        List<String> sessionCookies = cookies.stream().filter(c -> c.startsWith("JSESSIONID=")).toList();
        assertThat(sessionCookies).isNotEmpty().allSatisfy(cookie -> {
            assertThat(cookie).containsIgnoringCase("SameSite=Lax").containsIgnoringCase("HttpOnly");
            // Plain http in tests; Secure comes with the prod profile (checked below).
            assertThat(cookie).doesNotContainIgnoringCase("Secure");
        });
    }

    @Test
    void theProdProfileMarksTheSessionCookieSecure() throws IOException {
        // Bound into Spring Boot's own ServerProperties, so a misspelt property name fails here, not in production.
        List<PropertySource<?>> prod = new YamlPropertySourceLoader().load("prod",
            new ClassPathResource("application-prod.yml"));
        List<PropertySource<?>> base = new YamlPropertySourceLoader().load("base",
            new ClassPathResource("application.yml"));
        List<PropertySource<?>> all = new ArrayList<>(prod);
        all.addAll(base);
        ServerProperties server = new Binder(ConfigurationPropertySources.from(all))
            .bind("server", ServerProperties.class).get();
        assertThat(server.getServlet().getSession().getCookie().getSecure()).isTrue();
        assertThat(server.getServlet().getSession().getCookie().getSameSite())
            .isEqualTo(org.springframework.boot.web.server.Cookie.SameSite.LAX);

        ServerProperties withoutProd = new Binder(ConfigurationPropertySources.from(base))
            .bind("server", ServerProperties.class).get();
        assertThat(withoutProd.getServlet().getSession().getCookie().getSecure()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void cockpitStillServesWithItsOwnPolicyOnly() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String page = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString())
            .body();
        Matcher csrf = CSRF.matcher(page);
        assertThat(csrf.find()).isTrue();
        browser.send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=operator&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> cockpit = browser.send(HttpRequest.newBuilder(uri("/camunda/app/cockpit/default/")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(cockpit.statusCode()).isEqualTo(200);
        assertThat(cockpit.body()).containsIgnoringCase("cockpit");
        // Two policies would both be enforced; Camunda's carries the nonce its inline bootstrap script needs.
        List<String> policies = cockpit.headers().allValues("Content-Security-Policy");
        assertThat(policies).hasSize(1);
        assertThat(policies.get(0)).contains("nonce-").isNotEqualTo(SecurityConfig.CONSOLE_CONTENT_SECURITY_POLICY);
        assertThat(cockpit.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
    }

    private static String directive(String policy, String name) {
        for (String part : policy.split(";")) {
            if (part.trim().startsWith(name + " ")) {
                return part.trim();
            }
        }
        return null;
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
