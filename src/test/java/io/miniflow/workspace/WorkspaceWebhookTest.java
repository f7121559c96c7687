package io.miniflow.workspace;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * PUT /api/workspaces/{name}/webhook refuses internal addresses with a message in both languages (SSRF, security
 * issue #11). The sandbox allows 127.0.0.1 and localhost for its demo receiver; the rest of 127/8 stays refused.
 */
@MiniflowIntegrationTest
class WorkspaceWebhookTest {

    @Autowired
    MockMvc mvc;

    @AfterEach
    void removeWebhook() throws Exception {
        setWebhook("").andExpect(status().isOk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/hook", "http://172.16.5.4/hook", "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:8080/actuator", "http://127.0.0.2:8080/hook",
        "http://[::1]:8080/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://239.1.2.3/hook"})
    void internalAddressesAreRefusedWithAMessageInBothLanguages(String url) throws Exception {
        setWebhook(url)
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("webhook.addressRefused"))
            .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("internal address")))
            .andExpect(jsonPath("$.message_zh").value(org.hamcrest.Matchers.containsString("内部地址")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.216.34/hook", "https://93.184.216.34/hooks/miniflow"})
    void aPublicAddressIsAccepted(String url) throws Exception {
        setWebhook(url).andExpect(status().isOk()).andExpect(jsonPath("$.url").value(url));
    }

    private org.springframework.test.web.servlet.ResultActions setWebhook(String url) throws Exception {
        return mvc.perform(put("/api/workspaces/Demo/webhook").with(httpBasic("admin", "admin"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"url\":\"" + url + "\"}"));
    }
}
