package io.miniflow.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.identity.Roles;
import io.miniflow.openapi.OpenApiTestWorkspaces.TestWorkspace;
import io.miniflow.shared.crypto.SecretBox;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;

/** Team keys through the API and the Team keys page: who may do what, the two-key rule, the secret shown once. */
@MiniflowIntegrationTest
class OpenApiKeysTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretBox secretBox;
    @Autowired
    IdentityService identityService;

    OpenApiTestWorkspaces workspaces;
    TestWorkspace ws;

    @BeforeEach
    void newWorkspace() throws Exception {
        workspaces = new OpenApiTestWorkspaces(mvc, identityService);
        ws = workspaces.create();
    }

    @Test
    void anAdminGetsTheSecretOnceAndMembersSeeTheKeyWithoutIt() throws Exception {
        JsonNode key = workspaces.newKey(ws);
        String appId = key.get("appId").asText();
        String secret = key.get("appSecret").asText();
        assertThat(appId).matches("mf[0-9a-f]{16}");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");

        String developer = workspaces.member(ws, Roles.WORKSPACE_DEVELOPER);
        for (String who : new String[] {ws.admin(), developer}) {
            mvc.perform(get("/api/workspaces/" + ws.name() + "/openapi-keys").with(httpBasic(who, who)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].appId").value(appId))
                .andExpect(jsonPath("$[0].createdBy").value(ws.admin()))
                .andExpect(jsonPath("$[0].createdAt").isNotEmpty())
                .andExpect(jsonPath("$[0].appSecret").doesNotExist())
                .andExpect(content().string(not(containsString(secret))));
        }
        assertThat(auditActions(appId)).containsExactly("openapi.key.created");
    }

    @Test
    void theSecretIsStoredEncrypted() throws Exception {
        JsonNode key = workspaces.newKey(ws);
        String stored = jdbc.sql("SELECT secret FROM mf_openapi_key WHERE app_id = ?")
            .param(key.get("appId").asText()).query(String.class).single();
        assertThat(stored).startsWith(SecretBox.PREFIX).doesNotContain(key.get("appSecret").asText());
        assertThat(secretBox.decrypt(stored)).isEqualTo(key.get("appSecret").asText());
    }

    @Test
    void aThirdActiveKeyIsRefusedUntilOneIsRevoked() throws Exception {
        String first = workspaces.newKey(ws).get("appId").asText();
        workspaces.newKey(ws);
        mvc.perform(post("/api/workspaces/" + ws.name() + "/openapi-keys").with(httpBasic(ws.admin(), ws.admin()))
                .header("Accept-Language", "zh-CN"))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("openapi.key.tooMany"))
            .andExpect(jsonPath("$.message_en").value(containsString("already has 2 active team keys")))
            .andExpect(jsonPath("$.detail").value(containsString("有效团队密钥")));
        assertThat(keyCount()).isEqualTo(2);

        mvc.perform(delete("/api/workspaces/" + ws.name() + "/openapi-keys/" + first)
                .with(httpBasic(ws.admin(), ws.admin())))
            .andExpect(status().isNoContent());
        workspaces.newKey(ws);
        assertThat(keyCount()).isEqualTo(3);
        mvc.perform(get("/api/workspaces/" + ws.name() + "/openapi-keys").with(httpBasic(ws.admin(), ws.admin())))
            .andExpect(jsonPath("$[?(@.appId == '" + first + "')].revokedBy").value(ws.admin()));
        assertThat(auditActions(first)).containsExactly("openapi.key.created", "openapi.key.revoked");
    }

    @Test
    void onlyTheWorkspacesAdminsCreateAndRevoke() throws Exception {
        String appId = workspaces.newKey(ws).get("appId").asText();
        String developer = workspaces.member(ws, Roles.WORKSPACE_DEVELOPER);
        mvc.perform(post("/api/workspaces/" + ws.name() + "/openapi-keys").with(httpBasic(developer, developer)))
            .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("workspace.adminOnly"));
        mvc.perform(delete("/api/workspaces/" + ws.name() + "/openapi-keys/" + appId)
                .with(httpBasic(developer, developer)))
            .andExpect(status().isForbidden());
        // Demo's developer is no member here; Demo's admin is no admin here (and no platform admin).
        mvc.perform(get("/api/workspaces/" + ws.name() + "/openapi-keys").with(httpBasic("developer", "developer")))
            .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("workspace.notMember"));
        mvc.perform(post("/api/workspaces/NoSuchWorkspace/openapi-keys").with(httpBasic(ws.admin(), ws.admin())))
            .andExpect(status().isNotFound());
        assertThat(keyCount()).isEqualTo(1);
        assertThat(activeKeys()).isEqualTo(1);
    }

    @Test
    void aKeyCannotBeRevokedThroughAnotherWorkspace() throws Exception {
        String appId = workspaces.newKey(ws).get("appId").asText();
        TestWorkspace other = workspaces.create();
        mvc.perform(delete("/api/workspaces/" + other.name() + "/openapi-keys/" + appId)
                .with(httpBasic(other.admin(), other.admin())))
            .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("openapi.key.notFound"));
        mvc.perform(delete("/api/workspaces/" + ws.name() + "/openapi-keys/" + appId)
                .with(httpBasic(other.admin(), other.admin())))
            .andExpect(status().isForbidden());
        assertThat(activeKeys()).isEqualTo(1);
    }

    @Test
    void theTeamKeysPageShowsTheNewSecretOnceAndRevokesAfterAConfirmation() throws Exception {
        mvc.perform(get("/workspaces/" + ws.name())).andExpect(status().is3xxRedirection());
        mvc.perform(get("/workspaces/" + ws.name()).with(user(ws.admin())))
            .andExpect(content().string(containsString("/workspaces/" + ws.name() + "/openapi-keys")));

        var created = mvc.perform(post("/workspaces/" + ws.name() + "/openapi-keys").with(user(ws.admin())).with(csrf()))
            .andExpect(redirectedUrl("/workspaces/" + ws.name() + "/openapi-keys"))
            .andExpect(flash().attributeExists("newKey"))
            .andReturn();
        NewOpenApiKey key = (NewOpenApiKey) created.getFlashMap().get("newKey");
        mvc.perform(get("/workspaces/" + ws.name() + "/openapi-keys").with(user(ws.admin()))
                .flashAttr("newKey", key))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString(key.appSecret())));
        mvc.perform(get("/workspaces/" + ws.name() + "/openapi-keys").with(user(ws.admin())))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString(key.appId())))
            .andExpect(content().string(not(containsString(key.appSecret()))))
            .andExpect(content().string(containsString("data-confirm=\"Revoke key " + key.appId())));

        mvc.perform(post("/workspaces/" + ws.name() + "/openapi-keys/" + key.appId() + "/revoke")
                .with(user(ws.admin())).with(csrf()))
            .andExpect(redirectedUrl("/workspaces/" + ws.name() + "/openapi-keys"))
            .andExpect(flash().attribute("message", containsString(key.appId())));
        assertThat(activeKeys()).isZero();
    }

    @Test
    void membersSeeThePageButNoCreateButtonAndCannotPost() throws Exception {
        String developer = workspaces.member(ws, Roles.WORKSPACE_DEVELOPER);
        mvc.perform(get("/workspaces/" + ws.name() + "/openapi-keys").with(user(developer)))
            .andExpect(status().isOk())
            .andExpect(content().string(not(containsString("action=\"/workspaces/" + ws.name() + "/openapi-keys\""))));
        mvc.perform(post("/workspaces/" + ws.name() + "/openapi-keys").with(user(developer)).with(csrf()))
            .andExpect(status().isForbidden());
        assertThat(keyCount()).isZero();
    }

    @Test
    void aThirdKeyOnThePageComesBackAsAnError() throws Exception {
        workspaces.newKey(ws);
        workspaces.newKey(ws);
        mvc.perform(post("/workspaces/" + ws.name() + "/openapi-keys").with(user(ws.admin())).with(csrf()))
            .andExpect(redirectedUrl("/workspaces/" + ws.name() + "/openapi-keys"))
            .andExpect(flash().attribute("error", containsString("already has 2 active team keys")))
            .andExpect(flash().attributeCount(1));
        assertThat(keyCount()).isEqualTo(2);
    }

    private long keyCount() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_openapi_key WHERE workspace = ?").param(ws.name())
            .query(Long.class).single();
    }

    private long activeKeys() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_openapi_key WHERE workspace = ? AND revoked_at IS NULL")
            .param(ws.name()).query(Long.class).single();
    }

    private java.util.List<String> auditActions(String appId) {
        return jdbc.sql("SELECT action FROM mf_audit_log WHERE object_type = 'openapi-key' AND object_id = ?"
                + " AND action <> 'openapi.call' ORDER BY id").param(appId).query(String.class).list();
    }
}
