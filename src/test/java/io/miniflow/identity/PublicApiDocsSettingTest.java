package io.miniflow.identity;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.shared.ProblemDocuments;

/**
 * miniflow.security.public-api-docs=true publishes the OpenAPI document and nothing else: the API stays behind
 * its login. A web slice with the real security configuration (the default, closed, is in HeadersAndCookiesTest).
 */
@WebMvcTest(controllers = PublicApiDocsSettingTest.Endpoints.class,
    properties = "miniflow.security.public-api-docs=true")
@Import({SecurityConfig.class, ProblemDocuments.class, PublicApiDocsSettingTest.Endpoints.class})
@ActiveProfiles("test")
class PublicApiDocsSettingTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    IdentityService identityService;

    @Test
    void theDocumentIsPublicAndTheApiIsNot() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk());
        mvc.perform(get("/v3/api-docs/swagger-config")).andExpect(status().isOk());
        mvc.perform(get("/api/workspaces")).andExpect(status().isUnauthorized());
    }

    /** Stand-ins for springdoc's endpoint and one API endpoint. */
    @RestController
    static class Endpoints {

        @GetMapping({"/v3/api-docs", "/v3/api-docs/swagger-config", "/api/workspaces"})
        String answer() {
            return "{}";
        }
    }
}
