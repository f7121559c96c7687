package io.miniflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import io.miniflow.MiniflowIntegrationTest;

/**
 * The admin of another workspace tries every write of Demo's data through the API and the console: each is refused
 * with 403 or 404 (never 400, which would only mean the request was malformed) and nothing changes in Miniflow's
 * tables or the engine.
 */
@MiniflowIntegrationTest
class CrossWorkspaceTest {

    private static final String OUTSIDER = "outsideadmin";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identityService;
    @Autowired
    TaskService taskService;

    @BeforeEach
    void anAdminOfAnotherWorkspace() throws Exception {
        if (identityService.createUserQuery().userId(OUTSIDER).count() > 0) {
            return;
        }
        User user = identityService.newUser(OUTSIDER);
        user.setPassword(OUTSIDER);
        user.setEmail(OUTSIDER + "@example.com");
        identityService.saveUser(user);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"Outside\",\"businessScope\":\"5734\",\"address\":\"1 Road\","
                    + "\"representativeName\":\"Rep\",\"representativeEmail\":\"" + OUTSIDER + "@example.com\"}"))
            .andDo(r -> assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(201));
    }

    static Stream<Arguments> writesToDemo() {
        return Stream.of(
            Arguments.of("POST", "/api/apps", "{\"workspace\":\"Demo\",\"appCode\":\"intruder\",\"name\":\"x\","
                + "\"engineVersion\":\"1.0.0\"}"),
            Arguments.of("POST", "/api/apps/demo/environments", "{\"envCode\":\"evil\",\"name\":\"evil\","
                + "\"domain\":\"https://e.example.com\",\"apiDomain\":\"https://api.e.example.com\","
                + "\"deployConfig\":\"default\",\"requiresApproval\":false}"),
            Arguments.of("POST", "/api/apps/demo/environments/dev/publishes", "{\"version\":\"9.9.9\",\"note\":\"x\"}"),
            Arguments.of("DELETE", "/api/apps/demo/environments/dev/versions/1.0.0", null),
            Arguments.of("POST", "/api/deploy-configs", "{\"workspace\":\"Demo\",\"name\":\"evil\",\"cloudVendor\":\"x\","
                + "\"deployPath\":\"/srv/evil\",\"deployDomain\":\"https://evil.example.com\",\"accessPath\":\"/\"}"),
            Arguments.of("POST", "/api/storage-configs", "{\"workspace\":\"Demo\",\"name\":\"evil\",\"vendor\":\"x\","
                + "\"bucket\":\"b\",\"baseUrl\":\"https://evil.example.com\"}"),
            Arguments.of("POST", "/api/component-packages", "{\"workspace\":\"Demo\",\"name\":\"evil\","
                + "\"version\":\"1.0.0\"}"),
            Arguments.of("PUT", "/api/workspaces/Demo/webhook", "{\"url\":\"https://evil.example.com/hook\"}"),
            Arguments.of("POST", "/api/workspaces/Demo/members", "{\"user\":\"" + OUTSIDER + "\","
                + "\"role\":\"workspace-admin\"}"),
            Arguments.of("PUT", "/api/workspaces/Demo/members/developer/role", "{\"role\":\"workspace-admin\"}"),
            Arguments.of("POST", "/api/workspaces/Demo/members/reviewer/block", null),
            Arguments.of("POST", "/api/approvals", "{\"workspace\":\"Demo\",\"category\":\"FEATURE\",\"title\":\"x\","
                + "\"objectName\":\"x\"}"),
            Arguments.of("POST", "/api/wechat/releases", "{\"workspace\":\"Demo\",\"templateId\":1,"
                + "\"userVersion\":\"1.0.0\",\"userDesc\":\"x\"}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("writesToDemo")
    void theAdminOfAnotherWorkspaceCannotWriteDemosData(String method, String path, String body) throws Exception {
        Map<String, Object> before = snapshot();
        assertThat(before).as("tables seen").hasSizeGreaterThan(15);
        var call = request(HttpMethod.valueOf(method), path).with(httpBasic(OUTSIDER, OUTSIDER));
        if (body != null) {
            call.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        MockHttpServletResponse answer = mvc.perform(call).andReturn().getResponse();

        assertThat(answer.getStatus()).as(method + " " + path + ": " + answer.getContentAsString()).isIn(403, 404);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theAdminOfAnotherWorkspaceCannotDecideOrWithdrawDemosApplications() throws Exception {
        String answer = mvc.perform(post("/api/approvals").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"workspace\":\"Demo\",\"category\":\"FEATURE\","
                    + "\"title\":\"Cross " + UUID.randomUUID() + "\",\"objectName\":\"x\"}"))
            .andReturn().getResponse().getContentAsString();
        long id = Long.parseLong(answer.replaceAll(".*\"approvalId\":(\\d+).*", "$1"));
        Map<String, Object> before = snapshot();

        for (String action : new String[] {"decision", "withdraw"}) {
            int status = mvc.perform(post("/api/approvals/{id}/" + action, id).with(httpBasic(OUTSIDER, OUTSIDER))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"decision\":\"APPROVE\"}"))
                .andReturn().getResponse().getStatus();
            assertThat(status).as(action).isIn(403, 404);
        }
        String pid = jdbc.sql("SELECT process_instance_id FROM mf_approval WHERE id = ?").param(id)
            .query(String.class).single();
        String taskId = taskService.createTaskQuery().processInstanceId(pid).singleResult().getId();
        int console = mvc.perform(post("/tasks/{t}/complete", taskId).with(httpBasic(OUTSIDER, OUTSIDER)).with(csrf())
                .param("decision", "APPROVE"))
            .andReturn().getResponse().getStatus();
        assertThat(console).as("console completion").isIn(302, 403, 404);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT status FROM mf_approval WHERE id = ?").param(id).query(String.class).single())
            .isEqualTo("PENDING");
    }

    @Test
    void aBlockedApplicantNoLongerReadsTheirApplication() throws Exception {
        String user = "blocked" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        User blocked = identityService.newUser(user);
        blocked.setPassword(user);
        identityService.saveUser(blocked);
        mvc.perform(post("/api/workspaces/Demo/members").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"user\":\"" + user + "\",\"role\":\"workspace-developer\"}"))
            .andDo(r -> assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(201));
        String answer = mvc.perform(post("/api/approvals").with(httpBasic(user, user))
                .contentType(MediaType.APPLICATION_JSON).content("{\"workspace\":\"Demo\",\"category\":\"FEATURE\","
                    + "\"title\":\"Before the block\",\"objectName\":\"x\"}"))
            .andReturn().getResponse().getContentAsString();
        long id = Long.parseLong(answer.replaceAll(".*\"approvalId\":(\\d+).*", "$1"));
        assertThat(mvc.perform(request(HttpMethod.GET, "/api/approvals/" + id).with(httpBasic(user, user)))
            .andReturn().getResponse().getStatus()).isEqualTo(200);

        mvc.perform(post("/api/workspaces/Demo/members/{u}/block", user).with(httpBasic("admin", "admin")))
            .andDo(r -> assertThat(r.getResponse().getStatus()).isEqualTo(200));

        assertThat(mvc.perform(request(HttpMethod.GET, "/api/approvals/" + id).with(httpBasic(user, user)))
            .andReturn().getResponse().getStatus()).isEqualTo(403);
    }

    /** Row counts of Miniflow's tables and of the engine's running state, and Demo's own rows. */
    private Map<String, Object> snapshot() {
        Map<String, Object> counts = new TreeMap<>();
        for (String table : jdbc.sql("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) LIKE 'mf\\_%' "
                + "AND TABLE_SCHEMA = SCHEMA()").query(String.class).list()) {
            counts.put(table, jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single());
        }
        for (String table : new String[] {"ACT_RU_EXECUTION", "ACT_RU_VARIABLE", "ACT_RU_TASK"}) {
            counts.put(table, jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single());
        }
        // Rows that change in place: Demo itself (its webhook) and its members' roles and states.
        counts.put("Demo", jdbc.sql("SELECT * FROM mf_workspace WHERE name = 'Demo'").query().listOfRows());
        counts.put("members of Demo", jdbc.sql("SELECT m.username, m.role, m.status FROM mf_workspace_member m "
            + "JOIN mf_workspace w ON w.id = m.workspace_id WHERE w.name = 'Demo' ORDER BY m.username")
            .query().listOfRows());
        return counts;
    }
}
