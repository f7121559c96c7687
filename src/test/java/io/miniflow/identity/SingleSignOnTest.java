package io.miniflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real HTTP, as a browser would: one login in the console and the Camunda webapps know the user, their
 * groups and which apps they may open.
 */
@MiniflowIntegrationTest
class SingleSignOnTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Test
    void consoleLoginIsKnownToCockpitAndTasklist() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        login(browser, "operator");

        // Opening a webapp page is what hands the Spring login to Camunda (ContainerBasedAuthenticationFilter).
        HttpResponse<String> cockpit = browser.send(get("/camunda/app/cockpit/default/"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(cockpit.statusCode()).isEqualTo(200);

        HttpResponse<String> who = browser.send(get("/camunda/api/admin/auth/user/default"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(who.statusCode()).isEqualTo(200);
        assertThat(who.body()).contains("\"userId\":\"operator\"").contains("cockpit").doesNotContain("\"admin\"");
    }

    @Test
    void onlyCamundaAdminsReachCamundaAdmin() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        login(browser, "reviewer");
        assertThat(browser.send(get("/camunda/app/tasklist/default/"), HttpResponse.BodyHandlers.discarding())
            .statusCode()).isEqualTo(200);
        HttpResponse<String> reviewer = browser.send(get("/camunda/api/admin/auth/user/default"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(reviewer.body()).contains("tasklist").doesNotContain("cockpit").doesNotContain("\"admin\"");
        assertThat(browser.send(get("/camunda/app/admin/default/"), HttpResponse.BodyHandlers.discarding())
            .statusCode()).isEqualTo(403);

        HttpClient adminBrowser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        login(adminBrowser, "admin");
        assertThat(adminBrowser.send(get("/camunda/app/admin/default/"), HttpResponse.BodyHandlers.discarding())
            .statusCode()).isEqualTo(200);
        HttpResponse<String> who = adminBrowser.send(get("/camunda/api/admin/auth/user/default"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(who.body()).contains("\"admin\"");
    }

    @Test
    void engineRestNeedsBasicAuthAndAppliesCamundaAuthorizations() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        assertThat(client.send(get("/engine-rest/engine"), HttpResponse.BodyHandlers.discarding()).statusCode())
            .isEqualTo(401);
        HttpResponse<String> asOperator = client.send(basic("/engine-rest/group?id=camunda-admin", "operator"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(asOperator.statusCode()).isEqualTo(200);
        assertThat(asOperator.body()).as("operators may not read Camunda's identity data").isEqualTo("[]");
        HttpResponse<String> asAdmin = client.send(basic("/engine-rest/group?id=camunda-admin", "admin"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(asAdmin.body()).contains("camunda-admin");
        assertThat(client.send(HttpRequest.newBuilder(uri("/engine-rest/engine"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    "nobody-at-all:nope".getBytes(StandardCharsets.UTF_8))).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    }

    private HttpRequest basic(String path, String user) {
        String token = java.util.Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + token).GET().build();
    }

    private void login(HttpClient browser, String user) throws Exception {
        String page = browser.send(get("/login"), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF.matcher(page);
        assertThat(csrf.find()).as("login form carries a CSRF token").isTrue();
        String form = "username=" + user + "&password=" + user + "&_csrf="
            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<Void> response = browser.send(HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET().build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
