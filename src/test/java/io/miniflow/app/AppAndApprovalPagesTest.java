package io.miniflow.app;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import io.miniflow.MiniflowIntegrationTest;

/** The console pages of apps and approvals render for their users and their forms act like the API. */
@MiniflowIntegrationTest
class AppAndApprovalPagesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    /** Console sessions carry the user's Camunda groups as authorities, as after a real login. */
    static org.springframework.test.web.servlet.request.RequestPostProcessor developer() {
        return user("developer").authorities(() -> "workspace-developer", () -> "Demo.workspace-developer");
    }

    static org.springframework.test.web.servlet.request.RequestPostProcessor reviewer() {
        return user("reviewer").authorities(() -> "workspace-reviewer", () -> "Demo.workspace-reviewer");
    }

    @Test
    void theDemoAppAndItsEnvironmentsAreListed() throws Exception {
        mvc.perform(get("/apps").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("/apps/demo")));
        mvc.perform(get("/apps/demo").with(developer()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/apps/demo/environments/prod")))
            .andExpect(content().string(containsString("1 approval(s) before publishing")));
        mvc.perform(get("/apps/demo/environments/dev").with(developer()).param("lang", "zh-CN"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("立即发布")));
        mvc.perform(get("/apps/configs").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("/minapp")));
    }

    @Test
    void aPublishFromTheConsoleShowsItsProgressPage() throws Exception {
        String location = mvc.perform(post("/apps/demo/environments/test/publishes").with(developer()).with(csrf())
                .param("version", "0.0." + System.nanoTime() % 100000).param("note", "from the console"))
            .andExpect(status().is3xxRedirection())
            .andExpect(redirectedUrlPattern("/apps/demo/environments/test/publishes/*"))
            .andReturn().getResponse().getRedirectedUrl();
        mvc.perform(get(location).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("id=\"steps\"")));
    }

    @Test
    void aBadVersionInTheConsoleFormExplainsTheRuleAndStartsNothing() throws Exception {
        long before = jdbc.sql("SELECT COUNT(*) FROM mf_app_version").query(Long.class).single();
        mvc.perform(post("/apps/demo/environments/dev/publishes").with(developer()).with(csrf())
                .param("version", "1.0"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("1.2.3")));
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() ->
            jdbc.sql("SELECT COUNT(*) FROM mf_app_version").query(Long.class).single() == before);
    }

    @Test
    void aReviewerDecidesFromTheApprovalPage() throws Exception {
        String body = mvc.perform(post("/api/approvals").with(httpBasic("developer", "developer"))
                .contentType("application/json").content("{\"workspace\":\"Demo\",\"category\":\"FEATURE\","
                    + "\"title\":\"Turn on live chat\",\"objectName\":\"shop-mp\"}"))
            .andReturn().getResponse().getContentAsString();
        long id = Long.parseLong(body.replaceAll(".*\"approvalId\":(\\d+).*", "$1"));
        mvc.perform(get("/approvals").with(reviewer()).param("status", "PENDING"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("Turn on live chat")));
        mvc.perform(get("/approvals/{id}", id).with(reviewer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("name=\"decision\"")));
        mvc.perform(get("/approvals/{id}", id).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("/withdraw")))
            .andExpect(content().string(org.hamcrest.Matchers.not(containsString("name=\"decision\""))));
        mvc.perform(post("/approvals/{id}/decision", id).with(reviewer()).with(csrf())
                .param("decision", "REJECT").param("comment", ""))
            .andExpect(status().is3xxRedirection());
        mvc.perform(post("/approvals/{id}/decision", id).with(reviewer()).with(csrf())
                .param("decision", "APPROVE"))
            .andExpect(status().is3xxRedirection());
        mvc.perform(get("/approvals/{id}", id).with(reviewer()))
            .andExpect(content().string(containsString("status-APPROVED")));
    }
}
