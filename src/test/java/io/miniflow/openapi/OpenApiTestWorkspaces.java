package io.miniflow.openapi;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A fresh workspace per test, with a new user as its admin: the two-active-keys rule counts per workspace, so tests
 * sharing Demo would depend on each other's keys.
 */
public final class OpenApiTestWorkspaces {

    public record TestWorkspace(String name, String admin) {
    }

    private final MockMvc mvc;
    private final IdentityService identity;
    private final ObjectMapper json = new ObjectMapper();

    public OpenApiTestWorkspaces(MockMvc mvc, IdentityService identity) {
        this.mvc = mvc;
        this.identity = identity;
    }

    public TestWorkspace create() throws Exception {
        String admin = newUser();
        String name = "Keys" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("""
                    {"name":"%s","businessScope":"5734","address":"1 Road","representativeName":"Rep",
                     "representativeEmail":"%s@test.local"}""".formatted(name, admin)))
            .andExpect(status().isCreated());
        return new TestWorkspace(name, admin);
    }

    /** A new user who is an active member of the workspace with this role. */
    public String member(TestWorkspace workspace, String role) throws Exception {
        String user = newUser();
        mvc.perform(post("/api/workspaces/" + workspace.name() + "/members")
                .with(httpBasic(workspace.admin(), workspace.admin())).contentType(MediaType.APPLICATION_JSON)
                .content("{\"user\":\"" + user + "\",\"role\":\"" + role + "\"}"))
            .andExpect(status().isCreated());
        return user;
    }

    /** Creates a key through the API as the workspace's admin: {appId, appSecret}. */
    public JsonNode newKey(TestWorkspace workspace) throws Exception {
        String body = mvc.perform(post("/api/workspaces/" + workspace.name() + "/openapi-keys")
                .with(httpBasic(workspace.admin(), workspace.admin())))
            .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return json.readTree(body);
    }

    private String newUser() {
        String id = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        User user = identity.newUser(id);
        user.setEmail(id + "@test.local");
        user.setPassword(id);
        identity.saveUser(user);
        return id;
    }
}
