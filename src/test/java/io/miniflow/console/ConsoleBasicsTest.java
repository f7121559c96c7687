package io.miniflow.console;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Locale;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.identity.Roles;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** Boot on H2, the language of the console, the navigation, and the public documents. */
@MiniflowIntegrationTest
class ConsoleBasicsTest {

    @Autowired
    MockMvc mvc;

    @Test
    void bootsOnH2AndReportsHealthy() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        // The OpenAPI document needs a login (security issue #11; HeadersAndCookiesTest).
        mvc.perform(get("/v3/api-docs").with(httpBasic("developer", "developer"))).andExpect(status().isOk())
            .andExpect(jsonPath("$.paths['/api/workspaces']").exists());
    }

    @Test
    void languageFollowsTheBrowserAndTheSwitch() throws Exception {
        mvc.perform(get("/login").locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(content().string(containsString("登录 Miniflow")));
        mvc.perform(get("/login").locale(Locale.ENGLISH))
            .andExpect(content().string(containsString("Log in to Miniflow")));
        mvc.perform(get("/login").locale(Locale.ENGLISH).param("lang", "zh-CN"))
            .andExpect(content().string(containsString("登录 Miniflow")));
    }

    @Test
    void navigationShowsAdminOnlyToPlatformAdmins() throws Exception {
        mvc.perform(get("/").with(user("admin").authorities(() -> Roles.CAMUNDA_ADMIN)))
            .andExpect(content().string(containsString("href=\"/admin\"")));
        mvc.perform(get("/").with(user("developer")))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("href=\"/tasks\"")))
            .andExpect(content().string(org.hamcrest.Matchers.not(containsString("href=\"/admin\""))));
        mvc.perform(get("/admin").with(user("developer"))).andExpect(status().isForbidden());
    }

    @Test
    void emptyStatesSayWhatToDoNext() throws Exception {
        // nobody-here is in no workspace: the inbox says who can change that.
        mvc.perform(get("/tasks").with(user("nobody-here")))
            .andExpect(content().string(containsString("Ask a workspace admin to invite you")));
        mvc.perform(get("/tasks").with(user("mpadmin")))
            .andExpect(content().string(containsString("Tasks appear here when a process needs your decision")));
        mvc.perform(get("/audit").with(user("nobody-here")).param("actor", "no-such-actor"))
            .andExpect(content().string(containsString("Nothing recorded for these filters")));
    }
}
