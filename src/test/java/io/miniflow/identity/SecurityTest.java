package io.miniflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.miniflow.MiniflowIntegrationTest;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** Who may reach what: anonymous users, wrong roles, CSRF, and one login for Miniflow and Camunda's REST API. */
@MiniflowIntegrationTest
class SecurityTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    IdentityService identityService;

    @Test
    void anonymousConsoleVisitorIsSentToLogin() throws Exception {
        mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrlPattern("**/login"));
        mvc.perform(get("/workspaces/Demo")).andExpect(redirectedUrlPattern("**/login"));
        mvc.perform(get("/camunda/app/cockpit/default/")).andExpect(redirectedUrlPattern("**/login"));
    }

    @Test
    void anonymousApiCallsGet401WithBasicChallenge() throws Exception {
        mvc.perform(get("/api/workspaces")).andExpect(status().isUnauthorized());
    }

    @Test
    void wrongPasswordIsRefusedEverywhere() throws Exception {
        // A user of its own: Camunda delays further logins of a user after a failed attempt (brute-force guard).
        User user = identityService.newUser("wrongpw");
        user.setPassword("right-password");
        identityService.saveUser(user);
        mvc.perform(get("/api/workspaces").with(httpBasic("wrongpw", "wrong"))).andExpect(status().isUnauthorized());
        mvc.perform(post("/login").with(csrf()).param("username", "wrongpw").param("password", "wrong"))
            .andExpect(redirectedUrlPattern("/login?error*"));
    }

    @Test
    void demoUsersAuthenticateOnTheApiAndTheEngineRestApi() throws Exception {
        mvc.perform(get("/api/workspaces").with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk()).andExpect(jsonPath("$[0].name").value("Demo"));
    }

    @Test
    void developerCannotManageMembers() throws Exception {
        mvc.perform(get("/api/workspaces/Demo/members").with(httpBasic("developer", "developer")))
            .andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("workspace.adminOnly"))
            .andExpect(jsonPath("$.message_zh").exists());
        mvc.perform(post("/api/workspaces/Demo/members").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"user\":\"reviewer2\",\"role\":\"workspace-admin\"}"))
            .andExpect(status().isForbidden());
        mvc.perform(post("/api/workspaces/Demo/members/reviewer/block").with(httpBasic("developer", "developer")))
            .andExpect(status().isForbidden());
    }

    @Test
    void consoleFormsNeedTheCsrfToken() throws Exception {
        MockHttpSession session = login("admin");
        mvc.perform(post("/workspaces/Demo/members").session(session).param("user", "nobody").param("role",
            Roles.WORKSPACE_DEVELOPER)).andExpect(status().isForbidden());
        mvc.perform(post("/workspaces/Demo/members").session(session).with(csrf()).param("user", "nobody")
                .param("role", Roles.WORKSPACE_DEVELOPER))
            .andExpect(status().is3xxRedirection());
    }

    @Test
    void loginIsWrittenToTheAuditLog() throws Exception {
        login("reviewer2");
        mvc.perform(get("/api/workspaces").with(httpBasic("admin", "admin"))).andExpect(status().isOk());
        String page = mvc.perform(get("/audit").session(login("admin")).param("actor", "reviewer2")
                .param("action", "LOGIN"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("reviewer2").contains("LOGIN");
    }

    private MockHttpSession login(String user) throws Exception {
        return (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", user).param("password", user))
            .andExpect(redirectedUrlPattern("/**"))
            .andReturn().getRequest().getSession();
    }
}
