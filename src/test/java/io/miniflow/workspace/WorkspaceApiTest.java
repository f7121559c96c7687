package io.miniflow.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.identity.Roles;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Workspaces and members through the API and the console: naming rule, roles, blocking, audit trail. */
@MiniflowIntegrationTest
class WorkspaceApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identityService;
    @Autowired
    TaskService taskService;

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a", "My Shop", "shop-1", "shop_1", "shop.com", "店铺", "Shop!", "ab/cd",
        "ThisNameIsWayTooLongForAWorkspace42", "tab\tname", "ünicode"})
    void badWorkspaceNamesAreRejectedAndNothingIsStored(String name) throws Exception {
        long before = workspaceCount();
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content(body(name, "admin@demo.miniflow.local")))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'name')].message").isNotEmpty())
            .andExpect(jsonPath("$.errors[?(@.field == 'name')].message_zh").isNotEmpty());
        assertThat(workspaceCount()).isEqualTo(before);
    }

    @Test
    void badNameInTheConsoleFormShowsTheRuleAndStoresNothing() throws Exception {
        long before = workspaceCount();
        mvc.perform(post("/workspaces").with(user("admin").authorities(() -> Roles.CAMUNDA_ADMIN)).with(csrf())
                .param("name", "My Shop").param("businessScope", "5734").param("address", "x")
                .param("representativeName", "x").param("representativeEmail", "admin@demo.miniflow.local"))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.containsString("A-Z, a-z and digits")));
        assertThat(workspaceCount()).isEqualTo(before);
    }

    @Test
    void duplicateNamesAreRefusedWhateverTheirCase() throws Exception {
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content(body("demo", "admin@demo.miniflow.local")))
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("workspace.name.taken"));
    }

    @Test
    void onlyCamundaAdminsOpenWorkspacesAndTheRepresentativeBecomesAdmin() throws Exception {
        String rep = newUser();
        String name = "Shop" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        mvc.perform(post("/api/workspaces").with(httpBasic("reviewer", "reviewer"))
                .contentType(MediaType.APPLICATION_JSON).content(body(name, rep + "@test.local")))
            .andExpect(status().isForbidden());
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content(body(name, rep + "@test.local")))
            .andExpect(status().isCreated()).andExpect(jsonPath("$.name").value(name));
        mvc.perform(get("/api/workspaces/" + name + "/members").with(httpBasic(rep, rep)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$[0].username").value(rep))
            .andExpect(jsonPath("$[0].role").value(Roles.WORKSPACE_ADMIN));
        assertThat(identityService.createTenantQuery().tenantId(name).count()).isEqualTo(1);
        assertThat(identityService.createGroupQuery().groupMember(rep).list()).extracting("id")
            .contains(Roles.WORKSPACE_ADMIN, Roles.workspaceGroup(name, Roles.WORKSPACE_ADMIN));
    }

    @Test
    void theMembersPageIsSearchedAndPaged() throws Exception {
        List<String> invited = new java.util.ArrayList<>();
        for (int i = 0; i < 21; i++) {
            invited.add(newUser());
            invite(invited.get(i), Roles.WORKSPACE_REVIEWER);
        }
        String first = mvc.perform(get("/workspaces/Demo").with(user("admin"))).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();
        assertThat(first).contains("Page 1 of").contains("page=2");
        assertThat(java.util.regex.Pattern.compile("<tr[ >]").matcher(first).results().count())
            .as("a header row and a page of 20 members").isEqualTo(21);

        String one = invited.get(7);
        mvc.perform(get("/workspaces/Demo").param("q", one.toUpperCase(java.util.Locale.ROOT)).with(user("admin")))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.containsString(">" + one + "<")))
            .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(
                ">" + invited.get(8) + "<"))))
            .andExpect(content().string(org.hamcrest.Matchers.containsString("Page 1 of 1 (1 in all)")));
        mvc.perform(get("/workspaces/Demo").param("q", "nobody-" + one).with(user("admin")))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.containsString("No member matches this search.")));
    }

    @Test
    void blockedMemberGets403OnTheWorkspaceUntilUnblocked() throws Exception {
        String member = newUser();
        invite(member, Roles.WORKSPACE_REVIEWER);
        mvc.perform(get("/api/workspaces/Demo").with(httpBasic(member, member))).andExpect(status().isOk());

        mvc.perform(post("/api/workspaces/Demo/members/" + member + "/block").with(httpBasic("admin", "admin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("BLOCKED"));

        mvc.perform(get("/api/workspaces/Demo").with(httpBasic(member, member)))
            .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("workspace.blocked"));
        mvc.perform(get("/workspaces/Demo").with(user(member))).andExpect(status().isForbidden());
        mvc.perform(get("/api/workspaces").with(httpBasic(member, member)))
            .andExpect(status().isOk()).andExpect(jsonPath("$.length()").value(0));
        assertThat(identityService.createGroupQuery().groupMember(member).list()).extracting("id")
            .doesNotContain(Roles.workspaceGroup("Demo", Roles.WORKSPACE_REVIEWER));
        assertThat(identityService.createTenantQuery().userMember(member).count()).isZero();

        mvc.perform(post("/api/workspaces/Demo/members/" + member + "/unblock").with(httpBasic("admin", "admin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("ACTIVE"));
        mvc.perform(get("/api/workspaces/Demo").with(httpBasic(member, member))).andExpect(status().isOk());

        List<String> actions = jdbc.sql("SELECT action FROM mf_audit_log WHERE object_id = ? ORDER BY id")
            .param(member).query(String.class).list();
        assertThat(actions).containsExactly("MEMBER_INVITED", "MEMBER_BLOCKED", "MEMBER_UNBLOCKED");
    }

    @Test
    void roleChangeMovesTheMemberBetweenCamundaGroups() throws Exception {
        String member = newUser();
        invite(member, Roles.WORKSPACE_DEVELOPER);
        mvc.perform(put("/api/workspaces/Demo/members/" + member + "/role").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"workspace-reviewer\"}"))
            .andExpect(status().isOk()).andExpect(jsonPath("$.role").value(Roles.WORKSPACE_REVIEWER));
        assertThat(identityService.createGroupQuery().groupMember(member).list()).extracting("id")
            .contains(Roles.WORKSPACE_REVIEWER, Roles.workspaceGroup("Demo", Roles.WORKSPACE_REVIEWER))
            .doesNotContain(Roles.WORKSPACE_DEVELOPER, Roles.workspaceGroup("Demo", Roles.WORKSPACE_DEVELOPER));
    }

    @Test
    void invalidMemberRequestsAreRefusedWithAReason() throws Exception {
        String member = newUser();
        mvc.perform(post("/api/workspaces/Demo/members").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"user\":\"" + member + "\",\"role\":\"king\"}"))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("member.roleInvalid"));
        mvc.perform(post("/api/workspaces/Demo/members").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"user\":\"ghost-user\",\"role\":\"workspace-developer\"}"))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("member.userUnknown"));
        mvc.perform(post("/api/workspaces/Demo/members").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"workspace-developer\"}"))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("user"));
        mvc.perform(post("/api/workspaces/Demo/members/admin/block").with(httpBasic("admin", "admin")))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("member.blockSelf"));
        mvc.perform(post("/api/workspaces/Demo/members").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"user\":\"reviewer\",\"role\":\"workspace-developer\"}"))
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("member.exists"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_workspace_member WHERE username = ?").param(member)
            .query(Long.class).single()).isZero();
    }

    @Test
    void blockingAsksForConfirmationFirst() throws Exception {
        String member = newUser();
        invite(member, Roles.WORKSPACE_DEVELOPER);
        mvc.perform(get("/workspaces/Demo/members/" + member + "/block").with(user("admin")))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.containsString("Are you sure")));
        assertThat(memberStatus(member)).isEqualTo("ACTIVE");
        mvc.perform(post("/workspaces/Demo/members/" + member + "/block").with(user("admin")).with(csrf()))
            .andExpect(status().is3xxRedirection());
        assertThat(memberStatus(member)).isEqualTo("BLOCKED");
    }

    private String memberStatus(String member) {
        return jdbc.sql("SELECT status FROM mf_workspace_member WHERE username = ?").param(member)
            .query(String.class).single();
    }

    private void invite(String member, String role) throws Exception {
        mvc.perform(post("/api/workspaces/Demo/members").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"user\":\"" + member + "\",\"role\":\"" + role + "\"}"))
            .andExpect(status().isCreated());
    }

    private String newUser() {
        String id = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        User user = identityService.newUser(id);
        user.setEmail(id + "@test.local");
        user.setPassword(id);
        identityService.saveUser(user);
        return id;
    }

    private long workspaceCount() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_workspace").query(Long.class).single();
    }

    private static String body(String name, String email) {
        return """
            {"name":"%s","businessScope":"5734","address":"1 Road","representativeName":"Rep","representativeEmail":"%s"}
            """.formatted(name.replace("\t", "\\t"), email);
    }
}
