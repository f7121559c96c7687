package io.miniflow.app;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Apps of the Demo workspace for tests of other features, made through the API as a developer makes them. */
public final class DemoApps {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoApps() {
    }

    /**
     * Creates the app with a dev environment (no approval) and starts publishing {@code version} there; the answer
     * of the publish ({@code processInstanceId}, {@code statusUrl}).
     */
    public static JsonNode publishingToDev(MockMvc mvc, String appCode, String version) throws Exception {
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"appCode\":\"" + appCode + "\",\"name\":\"" + appCode + "\","
                    + "\"engineVersion\":\"1.0.0\"}"))
            .andExpect(status().isCreated());
        mvc.perform(post("/api/apps/{a}/environments", appCode).with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"envCode\":\"dev\",\"name\":\"dev\",\"domain\":\"https://dev.example.com\","
                    + "\"apiDomain\":\"https://api-dev.example.com\",\"deployConfig\":\"default\","
                    + "\"requiresApproval\":false}"))
            .andExpect(status().isCreated());
        return JSON.readTree(mvc.perform(post("/api/apps/{a}/environments/dev/publishes", appCode)
                .with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":\"" + version + "\",\"note\":\"test\"}"))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
    }
}
