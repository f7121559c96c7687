package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.identity.Roles;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Mini Program Admins assigned to mini programs (seed 004), through the API with the WeChat emulator over HTTP:
 * an assigned admin releases and files removal for their mini programs only (403, nothing started, otherwise);
 * several members are invited at once, all or none; bad assignments change nothing.
 */
@MiniflowIntegrationTest
class MiniProgramAssignmentTest {

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    WechatClient client;
    @Autowired
    IdentityService identity;

    WechatSandboxHttp sandbox;
    long templateId;
    List<String> appIds;
    String mpAdmin;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        templateId = ReleaseTestTemplates.own(client, sandbox, "assignment");
        appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 2);
        mpAdmin = newUser();
        invite(List.of(mpAdmin), Roles.MINIPROGRAM_ADMIN).andExpect(status().isCreated());
    }

    @AfterEach
    void tearDown() throws Exception {
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
    }

    @Test
    void anAssignedAdminReleasesAndFilesRemovalForTheirMiniProgramsOnly() throws Exception {
        String mine = appIds.get(0);
        String other = appIds.get(1);
        assign(mpAdmin, "{\"appIds\":[\"" + mine + "\"]}").andExpect(status().isOk())
            .andExpect(jsonPath("$.appIds[0]").value(mine));
        long batches = count("mf_release_batch");
        long approvals = count("mf_approval");

        expect(release(mpAdmin, List.of(mine, other)), 403, "release.notAssigned")
            .andExpect(jsonPath("$.detail", containsString(other)));
        // Neither listed (all authorized mini programs) is more than the assignment either.
        expect(mvc.perform(post("/api/wechat/releases").with(httpBasic(mpAdmin, mpAdmin))
            .contentType(MediaType.APPLICATION_JSON).content("{\"workspace\":\"Demo\",\"templateId\":" + templateId
                + ",\"userVersion\":\"1.0.0\",\"userDesc\":\"all\"}")), 403, "release.notAssigned");
        expect(mvc.perform(post("/api/wechat/mini-programs/{a}/suspend", other).with(httpBasic(mpAdmin, mpAdmin))
            .contentType(MediaType.APPLICATION_JSON).content("{\"workspace\":\"Demo\"}")), 403, "service.notAssigned");
        assertThat(count("mf_release_batch")).as("nothing started").isEqualTo(batches);
        assertThat(count("mf_approval")).as("nothing filed").isEqualTo(approvals);

        release(mpAdmin, List.of(mine)).andExpect(status().isAccepted());
        assertThat(count("mf_release_batch")).isEqualTo(batches + 1);
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
        // Workspace admins and unassigned Mini Program Admins act on every mini program, as before.
        release("mpadmin", List.of(mine, other)).andExpect(status().isAccepted());
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
        Number adminBatch = com.jayway.jsonpath.JsonPath.read(release("admin", List.of(mine, other))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString(), "$.releaseId");
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
        // Rolling back is acting on them too: refused for the one not assigned, before anything is looked at.
        expect(mvc.perform(post("/api/wechat/releases/{id}/rollback", adminBatch.longValue())
            .with(httpBasic(mpAdmin, mpAdmin)).contentType(MediaType.APPLICATION_JSON)
            .content("{\"appIds\":[\"" + other + "\"]}")), 403, "release.notAssigned");

        // Unassigned again: the whole workspace once more.
        assign(mpAdmin, "{\"appIds\":[]}").andExpect(status().isOk()).andExpect(jsonPath("$.appIds.length()").value(0));
        release(mpAdmin, List.of(mine, other)).andExpect(status().isAccepted());
        assertThat(jdbc.sql("SELECT action FROM mf_audit_log WHERE object_type = 'member' AND object_id = ?"
            + " ORDER BY id").param(mpAdmin).query(String.class).list())
            .containsExactly("MEMBER_INVITED", "MEMBER_MINI_PROGRAMS_ASSIGNED", "MEMBER_MINI_PROGRAMS_ASSIGNED");
    }

    @Test
    void assignmentsAreListedSearchedPagedAndRemoved() throws Exception {
        assign(mpAdmin, "{\"appIds\":[\"" + appIds.get(0) + "\",\" " + appIds.get(1) + " \",\"" + appIds.get(0)
            + "\"]}").andExpect(status().isOk()).andExpect(jsonPath("$.appIds.length()").value(2));
        assignments().andExpect(jsonPath("$.total").value(2)).andExpect(jsonPath("$.unassigned").value(false));
        mvc.perform(get(path(mpAdmin)).param("q", appIds.get(1)).with(httpBasic("admin", "admin")))
            .andExpect(jsonPath("$.total").value(1)).andExpect(jsonPath("$.items[0].appId").value(appIds.get(1)));
        mvc.perform(get(path(mpAdmin)).param("size", "1").param("page", "2").with(httpBasic("admin", "admin")))
            .andExpect(jsonPath("$.items.length()").value(1)).andExpect(jsonPath("$.total").value(2));
        mvc.perform(delete(path(mpAdmin) + "/{a}", appIds.get(0)).with(httpBasic("admin", "admin")))
            .andExpect(status().isNoContent());
        expect(mvc.perform(delete(path(mpAdmin) + "/{a}", appIds.get(0)).with(httpBasic("admin", "admin"))), 404,
            "assignment.notFound");
        assignments().andExpect(jsonPath("$.total").value(1));

        MockHttpSession admin = (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", "admin")
            .param("password", "admin")).andReturn().getRequest().getSession();
        mvc.perform(get("/workspaces/Demo").session(admin).param("lang", "en"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/workspaces/Demo/members/" + mpAdmin + "/mini-programs")))
            .andExpect(content().string(containsString("Assigned: 1")));
        mvc.perform(get(path(mpAdmin).substring(4)).session(admin).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andExpect(content().string(containsString(appIds.get(1))));
        mvc.perform(get(path(mpAdmin).substring(4) + "/{a}/remove", appIds.get(1)).session(admin))
            .andExpect(status().isOk());
        mvc.perform(post(path(mpAdmin).substring(4) + "/{a}/remove", appIds.get(1)).session(admin).with(csrf()))
            .andExpect(status().is3xxRedirection());
        assignments().andExpect(jsonPath("$.total").value(0)).andExpect(jsonPath("$.unassigned").value(true));
    }

    @Test
    void badAssignmentsAreRefusedAndChangeNothing() throws Exception {
        assign(mpAdmin, "{\"appIds\":[\"" + appIds.get(0) + "\"]}").andExpect(status().isOk());
        String developer = newUser();
        invite(List.of(developer), Roles.WORKSPACE_DEVELOPER).andExpect(status().isCreated());
        long rows = count("mf_member_mini_program");

        expect(assign(mpAdmin, "{\"appIds\":[\"wx-not-authorized-" + System.nanoTime() % 1000 + "\"]}"), 400,
            "assignment.appIds.unknown");
        expect(assign(mpAdmin, "{\"appIds\":[\"bad appid!\"]}"), 400, "release.appIdMalformed");
        expect(assign(mpAdmin, "{\"appIds\":[\"" + appIds.get(1) + "\",null]}"), 400, "release.appIdMalformed");
        expect(assign(mpAdmin, "{}"), 400, "assignment.appIds.required");
        expect(assign(developer, "{\"appIds\":[\"" + appIds.get(1) + "\"]}"), 409, "assignment.notMiniProgramAdmin");
        expect(assign("nobody-" + System.nanoTime(), "{\"appIds\":[]}"), 404, "member.notFound");
        expect(mvc.perform(put(path(mpAdmin)).with(httpBasic("mpadmin", "mpadmin"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"appIds\":[]}")), 403, "workspace.adminOnly");
        expect(mvc.perform(get(path(mpAdmin)).with(httpBasic("developer", "developer"))), 403, "workspace.adminOnly");
        expect(mvc.perform(post(path(mpAdmin)).with(httpBasic("admin", "admin"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"appIds\":[]}")), 400, "assignment.appIds.required");

        assertThat(count("mf_member_mini_program")).isEqualTo(rows);
        assignments().andExpect(jsonPath("$.items[0].appId").value(appIds.get(0))).andExpect(jsonPath("$.total").value(1));
    }

    @Test
    void severalMembersAreInvitedAtOnceAllOrNone() throws Exception {
        String a = newUser();
        String b = newUser();
        long members = count("mf_workspace_member");

        expect(invite(List.of(a, "nobody-" + UUID.randomUUID()), Roles.WORKSPACE_DEVELOPER), 400,
            "member.invite.unknownUsers");
        expect(invite(List.of(a, mpAdmin), Roles.WORKSPACE_DEVELOPER), 409, "member.invite.existing");
        expect(invite(List.of(a, b), "owner"), 400, "member.roleInvalid");
        invite(List.of(), Roles.WORKSPACE_DEVELOPER).andExpect(status().isBadRequest());
        invite(java.util.Collections.nCopies(51, a), Roles.WORKSPACE_DEVELOPER).andExpect(status().isBadRequest());
        expect(mvc.perform(post("/api/workspaces/Demo/members/batch").with(httpBasic("mpadmin", "mpadmin"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"users\":[\"" + a + "\"],\"role\":\"workspace-developer\"}")),
            403, "workspace.adminOnly");
        assertThat(count("mf_workspace_member")).as("nobody invited").isEqualTo(members);

        // By user name and by e-mail, once each.
        invite(List.of(a, b + "@test.local", a), Roles.WORKSPACE_REVIEWER).andExpect(status().isCreated())
            .andExpect(jsonPath("$.length()").value(2))
            .andExpect(jsonPath("$[0].username").value(a)).andExpect(jsonPath("$[1].username").value(b))
            .andExpect(jsonPath("$[1].role").value(Roles.WORKSPACE_REVIEWER));
        assertThat(count("mf_workspace_member")).isEqualTo(members + 2);

        // The console's invite field takes several names separated by commas.
        String c = newUser();
        String d = newUser();
        MockHttpSession admin = (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", "admin")
            .param("password", "admin")).andReturn().getRequest().getSession();
        mvc.perform(post("/workspaces/Demo/members").session(admin).with(csrf()).param("user", c + ", " + d)
                .param("role", Roles.WORKSPACE_DEVELOPER))
            .andExpect(status().is3xxRedirection());
        assertThat(count("mf_workspace_member")).isEqualTo(members + 4);
    }

    // --- helpers

    private ResultActions invite(List<String> users, String role) throws Exception {
        String list = String.join(",", users.stream().map(u -> "\"" + u + "\"").toList());
        return mvc.perform(post("/api/workspaces/Demo/members/batch").with(httpBasic("admin", "admin"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"users\":[" + list + "],\"role\":\"" + role + "\"}"));
    }

    private ResultActions assign(String user, String body) throws Exception {
        return mvc.perform(put(path(user)).with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
            .content(body));
    }

    private ResultActions assignments() throws Exception {
        return mvc.perform(get(path(mpAdmin)).with(httpBasic("admin", "admin"))).andExpect(status().isOk());
    }

    private static String path(String user) {
        return "/api/workspaces/Demo/members/" + user + "/mini-programs";
    }

    private ResultActions release(String user, List<String> targets) throws Exception {
        String list = String.join(",", targets.stream().map(a -> "\"" + a + "\"").toList());
        return mvc.perform(post("/api/wechat/releases").with(httpBasic(user, user)).contentType(MediaType.APPLICATION_JSON)
            .content("{\"workspace\":\"Demo\",\"templateId\":" + templateId + ",\"appIds\":[" + list
                + "],\"userVersion\":\"1.0.0\",\"userDesc\":\"assigned\"}"));
    }

    private static ResultActions expect(ResultActions result, int status, String code) throws Exception {
        return result.andExpect(status().is(status)).andExpect(jsonPath("$.code").value(code))
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private String newUser() {
        String id = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        User user = identity.newUser(id);
        user.setEmail(id + "@test.local");
        user.setPassword(id);
        identity.saveUser(user);
        return id;
    }
}
