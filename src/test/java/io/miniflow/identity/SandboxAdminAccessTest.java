package io.miniflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The emulators' control API hands out the sandbox platforms' secrets and pays orders (security issue #11): from
 * another machine only platform admins may use it; scripts on this machine may without a login.
 */
@MiniflowIntegrationTest
class SandboxAdminAccessTest {

    /** What hands out secrets and keys, and what changes state. */
    private static final String[] SECRETS = {"/sandbox/admin/wechatpay/merchant", "/sandbox/admin/wechat/platform",
        "/sandbox/admin/aliyun", "/sandbox/admin/deploy"};

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"/sandbox/admin/wechatpay/merchant", "/sandbox/admin/wechat/platform",
        "/sandbox/admin/aliyun", "/sandbox/admin/deploy"})
    void fromAnotherMachineAnonymousCallersAreAskedToLogIn(String path) throws Exception {
        mvc.perform(get(path).with(from("10.1.2.3"))).andExpect(status().isUnauthorized());
    }

    @ParameterizedTest
    @ValueSource(strings = {"developer", "operator", "mpadmin"})
    void fromAnotherMachineOnlyPlatformAdminsGetTheSecrets(String user) throws Exception {
        for (String path : SECRETS) {
            mvc.perform(get(path).with(from("10.1.2.3")).with(httpBasic(user, user))).andExpect(status().isForbidden());
        }
        mvc.perform(get("/sandbox/admin/wechatpay/merchant").with(from("10.1.2.3")).with(httpBasic("admin", "admin")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.platformPublicKeyId").isNotEmpty());
    }

    @Test
    void aPlatformAdminsConsoleSessionWorksFromAnotherMachine() throws Exception {
        MockHttpSession admin = (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", "admin")
                .param("password", "admin"))
            .andExpect(redirectedUrlPattern("/**")).andReturn().getRequest().getSession();
        mvc.perform(get("/sandbox/admin/wechat/platform").with(from("10.1.2.3")).session(admin))
            .andExpect(status().isOk());
        // The session is a browser's: its writes need the CSRF token like every console form.
        mvc.perform(expireNoToken().with(from("10.1.2.3")).session(admin))
            .andExpect(status().isForbidden());
        mvc.perform(expireNoToken().with(from("10.1.2.3")).session(admin).with(csrf()))
            .andExpect(status().is2xxSuccessful());
    }

    @Test
    void fromAnotherMachineNothingIsChanged() throws Exception {
        long before = authorizers();
        mvc.perform(post("/sandbox/admin/wechat/authorizers").with(from("10.1.2.3"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"count\":1}"))
            .andExpect(status().is4xxClientError());
        mvc.perform(post("/sandbox/admin/wechat/authorizers").with(from("192.168.1.20")).with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"count\":1}"))
            .andExpect(status().isForbidden());
        assertThat(authorizers()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.1.1", "0:0:0:0:0:0:0:1", "::1"})
    void thisMachineNeedsNoLogin(String loopback) throws Exception {
        mvc.perform(get("/sandbox/admin/wechatpay/merchant").with(from(loopback))).andExpect(status().isOk());
        mvc.perform(expireNoToken().with(from(loopback))).andExpect(status().is2xxSuccessful());
    }

    @Test
    void overRealHttpFromThisMachineTheReadmesCurlWorks() throws Exception {
        HttpResponse<String> merchant = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + port + "/sandbox/admin/wechatpay/merchant")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(merchant.statusCode()).isEqualTo(200);
        assertThat(merchant.body()).contains("platformPublicKeyId");
    }

    @Test
    void theEmulatorsThemselvesStayOpenToOtherMachines() throws Exception {
        // Platform endpoints check their own signatures, as the real platforms do; only the control API is closed.
        int status = mvc.perform(get("/sandbox/deploy/nothing/here/").with(from("10.1.2.3"))).andReturn().getResponse()
            .getStatus();
        assertThat(status).isEqualTo(404);
    }

    /** A harmless write: expires the tokens of a mini program that does not exist (other tests share the sandbox). */
    private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder expireNoToken() {
        return post("/sandbox/admin/wechat/tokens/expire").contentType(MediaType.APPLICATION_JSON)
            .content("{\"appid\":\"wx-no-such-mini-program\"}");
    }

    private long authorizers() {
        return jdbc.sql("SELECT COUNT(*) FROM sandbox_wechat_authorizer").query(Long.class).single();
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
