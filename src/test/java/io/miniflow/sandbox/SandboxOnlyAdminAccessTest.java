package io.miniflow.sandbox;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The emulators alone (sandbox-only) have no users: their control API answers this machine only, while the
 * emulated platform endpoints stay open (security issue #11).
 */
@SpringBootTest(classes = SandboxApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles({"sandbox-only", "test"})
class SandboxOnlyAdminAccessTest {

    @Autowired
    MockMvc mvc;

    @Test
    void theControlApiAnswersThisMachineOnly() throws Exception {
        mvc.perform(get("/sandbox/admin/wechatpay/merchant")).andExpect(status().isOk())
            .andExpect(jsonPath("$.platformPublicKeyId").isNotEmpty())
            .andExpect(header().string("Referrer-Policy", "strict-origin-when-cross-origin"));
        mvc.perform(get("/sandbox/admin/wechatpay/merchant").with(from("10.1.2.3"))).andExpect(status().isForbidden());
        mvc.perform(get("/sandbox/admin/wechat/platform").with(from("172.20.0.5"))).andExpect(status().isForbidden());
        // There is no one to log in as here: credentials change nothing.
        mvc.perform(get("/sandbox/admin/aliyun").with(from("10.1.2.3")).with(httpBasic("admin", "admin")))
            .andExpect(status().isForbidden());
    }

    @Test
    void theEmulatedPlatformsStayOpenToOtherMachines() throws Exception {
        // The WeChat emulator answers its own error (bad token), not a refusal of the caller's address.
        mvc.perform(get("/sandbox/wechat/cgi-bin/component/api_component_token").with(from("10.1.2.3")))
            .andExpect(status().is(org.hamcrest.Matchers.not(403)));
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
