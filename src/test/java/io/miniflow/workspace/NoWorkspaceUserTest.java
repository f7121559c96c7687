package io.miniflow.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloudapp.BuildTicket;
import io.miniflow.cloudapp.CloudAppRequests;
import io.miniflow.cloudapp.CloudAppService;
import io.miniflow.cloudapp.DatabaseKind;
import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.identity.CurrentUser;
import io.miniflow.tenant.Tenant;
import io.miniflow.tenant.TenantAppStage;
import io.miniflow.tenant.TenantRequests.OpenTenant;
import io.miniflow.tenant.TenantService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A user who belongs to no workspace (security issue #11): their inbox and dashboard work and say why they are
 * empty, and no page or API answers them with a workspace's data. Every GET endpoint of the console and /api is
 * called with ids of Demo's real data; the same calls as Demo's admin answer 200, so a 403/404 here is the rule
 * and not a missing object. A new GET endpoint fails {@link #everyGetEndpointIsCoveredHere} until it is added.
 */
@MiniflowIntegrationTest
class NoWorkspaceUserTest {

    @Autowired
    CloudAppService cloudApps;
    @Autowired
    EnvironmentBuilds environmentBuilds;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TaskService taskService;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    IdentityService identityService;
    @Autowired
    ObjectMapper json;
    @Autowired
    TenantService tenants;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @LocalServerPort
    int port;

    String outsider;

    @BeforeEach
    void createUserInNoWorkspace() throws Exception {
        outsider = "outsider" + UUID.randomUUID().toString().substring(0, 8);
        // Through Camunda's REST API as the platform admin, as an installation adds people.
        String body = "{\"profile\":{\"id\":\"" + outsider + "\",\"firstName\":\"Out\",\"lastName\":\"Sider\","
            + "\"email\":\"" + outsider + "@test.local\"},\"credentials\":{\"password\":\"" + outsider + "\"}}";
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/engine-rest/user/create"))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                "admin:admin".getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(204);
    }

    @Test
    void theDashboardAndTheInboxOfAUserInNoWorkspaceAreEmptyAndSayWhy() throws Exception {
        MockHttpSession session = login(outsider);
        mvc.perform(get("/").session(session)).andExpect(status().isOk());
        String en = mvc.perform(get("/tasks").session(session).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(en).contains("You are not a member of any workspace yet");
        String zh = mvc.perform(get("/tasks").session(session).locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(zh).contains("您还不是任何工作空间的成员");
    }

    @Test
    void aMemberWithoutTasksSeesTheOrdinaryEmptyInbox() throws Exception {
        // mpadmin is in Demo: the no-workspace text would be wrong there.
        String page = mvc.perform(get("/tasks").session(login("mpadmin")).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).doesNotContain("You are not a member of any workspace yet");
    }

    @Test
    void noGetEndpointAnswersAUserInNoWorkspaceWithDemosData() throws Exception {
        DemoIds demo = demoData();
        MockHttpSession outsiderSession = login(outsider);
        List<String> leaks = new ArrayList<>();
        Map<String, MockHttpSession> controlSessions = new LinkedHashMap<>();
        for (Call call : calls(demo).values()) {
            String url = call.url();
            boolean api = url.startsWith("/api/");
            MockHttpSession controlSession = controlSessions.computeIfAbsent(call.controlUser(), this::loginQuietly);
            MvcResult control = mvc.perform(api ? get(url).with(httpBasic(call.controlUser(), call.controlUser()))
                : get(url).session(controlSession)).andReturn();
            assertThat(control.getResponse().getStatus()).as("%s on %s (control: the ids are real)",
                call.controlUser(), url).isEqualTo(call.controlStatus());
            String controlBody = control.getResponse().getContentAsString();
            assertThat(call.secrets()).as("control: %s shows %s what must stay hidden", url, call.controlUser())
                .allMatch(controlBody::contains);

            MvcResult asOutsider = mvc.perform(api ? get(url).with(httpBasic(outsider, outsider))
                : get(url).session(outsiderSession)).andReturn();
            int status = asOutsider.getResponse().getStatus();
            String body = asOutsider.getResponse().getContentAsString();
            if (call.listing()) {
                // Lists answer, but without anything of Demo's.
                if (status != 200 || call.secrets().stream().anyMatch(body::contains)) {
                    leaks.add(url + " -> " + status + " listing Demo's data");
                }
            } else if (status != 403 && status != 404) {
                leaks.add(url + " -> " + status);
            }
        }
        assertThat(leaks).as("GET endpoints that answer a user of no workspace").isEmpty();
    }

    @Test
    void aProcessOfAWorkspaceStaysClosedToWhoStartedItOnceTheyNoLongerBelong() throws Exception {
        repositoryService.createDeployment().addModelInstance("no-workspace-probe.bpmn",
            Bpmn.createExecutableProcess("noWorkspaceProbe").camundaHistoryTimeToLive(1)
                .startEvent().userTask("Task_Wait").endEvent().done()).deploy();
        // Started by the outsider, as if they had been a member of Demo then (the group only lets the engine
        // start it here; the console reads the user's groups from their own login).
        identityService.setAuthentication(outsider, List.of("camunda-admin"));
        String id;
        try {
            id = runtimeService.startProcessInstanceByKey("noWorkspaceProbe", Map.of("workspace", "Demo")).getId();
        } finally {
            identityService.clearAuthentication();
        }
        MockHttpSession session = login(outsider);
        mvc.perform(get("/processes/" + id).session(session)).andExpect(status().isForbidden());
        mvc.perform(get("/processes/" + id + "/diagram.bpmn").session(session)).andExpect(status().isForbidden());
        assertThat(mvc.perform(get("/processes").session(session)).andReturn().getResponse().getContentAsString())
            .doesNotContain(id);
        assertThat(mvc.perform(get("/").session(session)).andReturn().getResponse().getContentAsString())
            .doesNotContain(id);
        // Control: Demo's members see it.
        mvc.perform(get("/processes/" + id).session(login("developer"))).andExpect(status().isOk());
    }

    @Test
    void everyGetEndpointIsCoveredHere() {
        Set<String> covered = new TreeSet<>(calls(new DemoIds("a", "p", 1, 1, "t", "wx", "tn", 1)).keySet());
        Set<String> served = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            if (!methods.isEmpty() && !methods.contains(RequestMethod.GET)) {
                continue;
            }
            for (String pattern : info.getPatternValues()) {
                // The emulators, the login page, errors and the OpenAPI document hold no workspace's data; the
                // SaaS platforms' OpenAPI answers signed calls of a team key only (OpenApiSignatureHttpTest); the
                // merchant's authorization pages answer whoever holds the link, without a login, and cloud servers
                // fetch a running deploy's package with its token (PlatformEndpoints).
                if (!pattern.startsWith("/sandbox/") && !pattern.equals("/login") && !pattern.equals("/error")
                    && !pattern.startsWith("/v3/api-docs") && !pattern.startsWith("/openapi/")
                    && !pattern.startsWith("/wechat/authorize/") && !pattern.startsWith("/wechat/authorized/")
                    && !pattern.startsWith("/cloud-packages/")) {
                    served.add(pattern);
                }
            }
        }
        assertThat(covered).as("GET endpoints this test calls").containsAll(served);
    }

    /** Demo's data that a user of no workspace must not reach. */
    record DemoIds(String app, String publishProcess, long approval, long batch, String task, String miniProgram,
                   String tenant, long cloudBuild) {
    }

    /**
     * One GET: its URL with Demo's ids, for lists the strings that must not appear, and who shows the ids are real
     * (a member who gets {@code controlStatus} and, for lists, sees the strings).
     */
    record Call(String url, boolean listing, List<String> secrets, String controlUser, int controlStatus) {

        static Call of(String url) {
            return new Call(url, false, List.of(), "admin", 200);
        }

        static Call listing(String url, String... secrets) {
            return new Call(url, true, List.of(secrets), "admin", 200);
        }

        Call controlledBy(String user) {
            return new Call(url, listing, secrets, user, controlStatus);
        }

        Call controlAnswers(int status) {
            return new Call(url, listing, secrets, controlUser, status);
        }
    }

    /** Keyed by the mapping's pattern, so the coverage test can compare with what the application serves. */
    private static Map<String, Call> calls(DemoIds d) {
        Map<String, Call> calls = new LinkedHashMap<>();
        String publish = "/apps/" + d.app() + "/environments/dev/publishes/" + d.publishProcess();
        calls.put("/api/apps", Call.listing("/api/apps", d.app()));
        calls.put("/api/apps/{appCode}", Call.of("/api/apps/" + d.app()));
        calls.put("/api/apps/{appCode}/environments/{envCode}", Call.of("/api/apps/" + d.app() + "/environments/dev"));
        calls.put("/api/apps/{appCode}/environments/{envCode}/publishes/{processInstanceId}", Call.of("/api" + publish));
        // The cloud app of the sweep has the app's name (both are lowercase letters and digits).
        String cloudEnv = "/api/cloud-apps/" + d.app() + "/environments/test";
        calls.put("/api/cloud-apps", Call.listing("/api/cloud-apps", d.app()));
        calls.put("/api/cloud-apps/{name}", Call.of("/api/cloud-apps/" + d.app()));
        calls.put("/api/cloud-apps/{name}/environments/{env}", Call.of(cloudEnv));
        calls.put("/api/cloud-apps/{name}/environments/{env}/database-password",
            new Call(cloudEnv + "/database-password", false, List.of("sweep-password"), "admin", 200));
        calls.put("/api/cloud-apps/{name}/environments/{env}/builds/{buildId}",
            Call.of(cloudEnv + "/builds/" + d.cloudBuild()));
        calls.put("/api/cloud-apps/{name}/packages", Call.of("/api/cloud-apps/" + d.app() + "/packages"));
        calls.put("/api/cloud-apps/{name}/environments/{env}/deploys", Call.of(cloudEnv + "/deploys"));
        // The sweep's environment has no deploy: the app's visibility is checked before the order is looked up.
        calls.put("/api/cloud-apps/{name}/environments/{env}/deploys/{deployId}",
            Call.of(cloudEnv + "/deploys/MF0").controlAnswers(404));
        calls.put("/environments/apps/{name}/{env}/release",
            Call.of("/environments/apps/" + d.app() + "/test/release"));
        // The sweep's environment is a starter still building: no deploy order and no load balancer to show.
        String envPage = "/environments/apps/" + d.app() + "/test";
        calls.put("/environments/apps/{name}/{env}/deploys/{deployId}",
            Call.of(envPage + "/deploys/MF0").controlAnswers(404));
        calls.put("/environments/apps/{name}/{env}/deploys/{deployId}/redeploy",
            Call.of(envPage + "/deploys/MF0/redeploy").controlAnswers(404));
        calls.put("/environments/apps/{name}/{env}/load-balancer", Call.of(envPage + "/load-balancer"));
        calls.put("/environments/apps/{name}/{env}/load-balancer/servers/{instanceId}/weight",
            Call.of(envPage + "/load-balancer/servers/i-sweep/weight?weight=50").controlAnswers(404));
        calls.put("/api/cloud-apps/{name}/environments/{env}/load-balancer",
            Call.of(cloudEnv + "/load-balancer").controlAnswers(404));
        calls.put("/environments", Call.listing("/environments", "/environments/apps/" + d.app()));
        calls.put("/environments/new", Call.listing("/environments/new", "value=\"Demo\""));
        calls.put("/environments/apps/{name}", Call.of("/environments/apps/" + d.app()));
        calls.put("/environments/apps/{name}/delete", Call.of("/environments/apps/" + d.app() + "/delete"));
        calls.put("/environments/apps/{name}/{env}/order-qr.png",
            Call.of("/environments/apps/" + d.app() + "/test/order-qr.png"));
        calls.put("/environments/apps/{name}/{env}/builds/{buildId}/give-up",
            Call.of("/environments/apps/" + d.app() + "/test/builds/" + d.cloudBuild() + "/give-up"));
        // The models' names in Chinese: no workspace's data, the same for everyone logged in.
        calls.put("/processes/activity-names", Call.listing("/processes/activity-names"));
        calls.put("/api/workspaces", Call.listing("/api/workspaces", "\"Demo\""));
        calls.put("/api/workspaces/{workspace}", Call.of("/api/workspaces/Demo"));
        calls.put("/api/workspaces/{workspace}/members", Call.of("/api/workspaces/Demo/members"));
        calls.put("/api/workspaces/{workspace}/app-configs", Call.of("/api/workspaces/Demo/app-configs"));
        calls.put("/api/workspaces/{workspace}/openapi-keys", Call.of("/api/workspaces/Demo/openapi-keys"));
        calls.put("/api/apps/{appCode}/keys", Call.of("/api/apps/" + d.app() + "/keys"));
        calls.put("/apps/{appCode}/keys", Call.of("/apps/" + d.app() + "/keys"));
        calls.put("/apps/{appCode}/keys/{keyId}/rotate",
            Call.of("/apps/" + d.app() + "/keys/uk0000000000000000/rotate").controlAnswers(404));
        calls.put("/apps/{appCode}/keys/{keyId}/revoke",
            Call.of("/apps/" + d.app() + "/keys/uk0000000000000000/revoke").controlAnswers(404));
        calls.put("/api/workspaces/{workspace}/members/{username}/mini-programs",
            Call.of("/api/workspaces/Demo/members/mpadmin/mini-programs"));
        calls.put("/workspaces/{workspace}/members/{username}/mini-programs",
            Call.of("/workspaces/Demo/members/mpadmin/mini-programs"));
        calls.put("/workspaces/{workspace}/members/{username}/mini-programs/{appId}/remove",
            Call.of("/workspaces/Demo/members/mpadmin/mini-programs/wx0/remove").controlAnswers(404));
        calls.put("/api/workspaces/{workspace}/subscriptions", Call.of("/api/workspaces/Demo/subscriptions"));
        calls.put("/api/workspaces/{workspace}/notification-deliveries",
            Call.of("/api/workspaces/Demo/notification-deliveries"));
        calls.put("/api/approvals", Call.listing("/api/approvals", "\"id\":" + d.approval() + ","));
        calls.put("/api/approvals/{id}", Call.of("/api/approvals/" + d.approval()));
        calls.put("/api/wechat/releases", Call.listing("/api/wechat/releases", "\"id\":" + d.batch() + ","));
        calls.put("/api/wechat/releases/{id}", Call.of("/api/wechat/releases/" + d.batch()));
        calls.put("/api/wechat/releases/quota", Call.of("/api/wechat/releases/quota"));
        calls.put("/api/wechat/mini-programs/{appId}/service",
            Call.of("/api/wechat/mini-programs/" + d.miniProgram() + "/service"));
        calls.put("/api/wechat/mini-programs/{appId}/settings",
            Call.of("/api/wechat/mini-programs/" + d.miniProgram() + "/settings"));

        calls.put("/", Call.listing("/", "/workspaces/Demo"));
        String tenant = "/tenants/Demo/" + d.tenant();
        calls.put("/tenants", Call.listing("/tenants", tenant));
        calls.put("/tenants/new", Call.of("/tenants/new"));
        calls.put("/tenants/{workspace}/{tenantCode}", Call.of(tenant));
        calls.put("/tenants/{workspace}/{tenantCode}/close", Call.of(tenant + "/close"));
        calls.put("/tenants/{workspace}/{tenantCode}/apps/{tenantAppCode}/qr.png",
            Call.of(tenant + "/apps/" + d.tenant() + "-mp/qr.png"));
        // The review task is offered to Demo's reviewers, not to its admin.
        calls.put("/tasks", Call.listing("/tasks", d.task()).controlledBy("reviewer"));
        calls.put("/tasks/{taskId}", Call.of("/tasks/" + d.task()).controlledBy("reviewer"));
        // Searched for: the list is paged, and other tests' apps may fill its first page.
        calls.put("/apps", Call.listing("/apps?q=" + d.app(), "/apps/" + d.app()));
        calls.put("/apps/new", Call.listing("/apps/new", "value=\"Demo\""));
        calls.put("/apps/configs", Call.listing("/apps/configs", "value=\"Demo\""));
        calls.put("/apps/{appCode}", Call.of("/apps/" + d.app()));
        calls.put("/apps/{appCode}/environments/new", Call.of("/apps/" + d.app() + "/environments/new"));
        calls.put("/apps/{appCode}/environments/{envCode}", Call.of("/apps/" + d.app() + "/environments/dev"));
        calls.put("/apps/{appCode}/environments/{envCode}/publishes/{processInstanceId}", Call.of(publish));
        // Issue #20: the workspace's resources (Demo's deploy config "default", storage config "platform", package
        // demo-ui@1.0.0 and group "Basic" of the demo data) and the app's change and delete pages.
        calls.put("/api/workspaces/{workspace}/deploy-configs", Call.of("/api/workspaces/Demo/deploy-configs"));
        calls.put("/api/workspaces/{workspace}/storage-configs", Call.of("/api/workspaces/Demo/storage-configs"));
        calls.put("/api/workspaces/{workspace}/component-packages", Call.of("/api/workspaces/Demo/component-packages"));
        calls.put("/api/workspaces/{workspace}/component-groups", Call.of("/api/workspaces/Demo/component-groups"));
        calls.put("/apps/configs/{workspace}/deploy/{name}/edit", Call.of("/apps/configs/Demo/deploy/default/edit"));
        calls.put("/apps/configs/{workspace}/deploy/{name}/delete", Call.of("/apps/configs/Demo/deploy/default/delete"));
        calls.put("/apps/storage-configs", Call.listing("/apps/storage-configs", "value=\"Demo\""));
        calls.put("/apps/storage-configs/{workspace}/{name}/edit", Call.of("/apps/storage-configs/Demo/platform/edit"));
        calls.put("/apps/storage-configs/{workspace}/{name}/delete",
            Call.of("/apps/storage-configs/Demo/platform/delete"));
        calls.put("/apps/component-packages", Call.listing("/apps/component-packages", "value=\"Demo\""));
        String demoPackage = "/apps/component-packages/Demo/demo-ui/1.0.0";
        calls.put("/apps/component-packages/{workspace}/{name}/{version}", Call.of(demoPackage));
        calls.put("/apps/component-packages/{workspace}/{name}/{version}/delete", Call.of(demoPackage + "/delete"));
        calls.put("/apps/component-packages/{workspace}/{name}/{version}/components/{component}/edit",
            Call.of(demoPackage + "/components/button/edit"));
        calls.put("/apps/component-groups", Call.listing("/apps/component-groups", "value=\"Demo\""));
        calls.put("/apps/component-groups/{workspace}/{name}/edit", Call.of("/apps/component-groups/Demo/Basic/edit"));
        calls.put("/apps/component-groups/{workspace}/{name}/delete",
            Call.of("/apps/component-groups/Demo/Basic/delete"));
        calls.put("/apps/{appCode}/edit", Call.of("/apps/" + d.app() + "/edit"));
        calls.put("/apps/{appCode}/delete", Call.of("/apps/" + d.app() + "/delete"));
        calls.put("/apps/{appCode}/environments/{envCode}/edit", Call.of("/apps/" + d.app() + "/environments/dev/edit"));
        calls.put("/apps/{appCode}/environments/{envCode}/delete",
            Call.of("/apps/" + d.app() + "/environments/dev/delete"));
        calls.put("/workspaces", Call.listing("/workspaces", "/workspaces/Demo"));
        calls.put("/workspaces/new", Call.of("/workspaces/new"));
        calls.put("/workspaces/{workspace}", Call.of("/workspaces/Demo"));
        calls.put("/workspaces/{workspace}/openapi-keys", Call.of("/workspaces/Demo/openapi-keys"));
        calls.put("/workspaces/{workspace}/notifications", Call.of("/workspaces/Demo/notifications"));
        calls.put("/workspaces/{workspace}/members/{username}/{action:role|block|unblock}",
            Call.of("/workspaces/Demo/members/developer/block"));
        calls.put("/approvals", Call.listing("/approvals", "/approvals/" + d.approval() + "\""));
        calls.put("/approvals/{id}", Call.of("/approvals/" + d.approval()));
        calls.put("/approvals/{id}/withdraw", Call.of("/approvals/" + d.approval() + "/withdraw"));
        calls.put("/wechat", Call.listing("/wechat", "/wechat/releases/" + d.batch() + "\""));
        calls.put("/wechat/releases/{id}", Call.of("/wechat/releases/" + d.batch()));
        calls.put("/wechat/releases/{id}/audit-actions", Call.of("/wechat/releases/" + d.batch()
            + "/audit-actions?action=undo-audit&appIds=" + d.miniProgram()));
        calls.put("/wechat/mini-programs/{appId}/service",
            Call.of("/wechat/mini-programs/" + d.miniProgram() + "/service"));
        // dev's only published version: nothing to go back to, so the page sends Demo's admin back with the reason.
        calls.put("/apps/{appCode}/environments/{envCode}/versions/{version}/removal",
            Call.of("/apps/" + d.app() + "/environments/dev/versions/1.0.0/removal").controlAnswers(302));
        calls.put("/wechat/authorizers", Call.of("/wechat/authorizers"));
        // A made-up code: the member is sent back with WeChat's refusal; the outsider must not get that far.
        calls.put("/wechat/authorizers/bound", Call.of("/wechat/authorizers/bound?auth_code=sweep&business_id=sweep")
            .controlAnswers(302));
        calls.put("/wechat/templates", Call.of("/wechat/templates"));
        calls.put("/wechat/templates/{templateId}/delete", Call.of("/wechat/templates/1/delete"));
        calls.put("/wechat/mini-programs/{appId}/settings",
            Call.of("/wechat/mini-programs/" + d.miniProgram() + "/settings"));
        // One mini program's page and API (issue 18). Demo's mini program has no code yet: no QR code (422), no
        // version to roll back to (400), no rollback to show (404), for its admin as for anyone.
        String mp = "/wechat/mini-programs/" + d.miniProgram();
        calls.put("/wechat/mini-programs/{appId}", Call.of(mp));
        calls.put("/wechat/mini-programs/{appId}/qrcode", Call.of(mp + "/qrcode").controlAnswers(422));
        calls.put("/wechat/mini-programs/{appId}/rollback", Call.of(mp + "/rollback?appVersion=1").controlAnswers(400));
        calls.put("/wechat/mini-programs/{appId}/testers/{userstr}/unbind", Call.of(mp + "/testers/u1/unbind"));
        calls.put("/api/wechat/mini-programs/{appId}/versions", Call.of("/api" + mp + "/versions"));
        calls.put("/api/wechat/mini-programs/{appId}/rollbacks/{processInstanceId}",
            Call.of("/api" + mp + "/rollbacks/none").controlAnswers(404));
        calls.put("/api/wechat/mini-programs/{appId}/privacy-guide", Call.of("/api" + mp + "/privacy-guide"));
        calls.put("/api/wechat/mini-programs/{appId}/platform-privacy-guide",
            Call.of("/api" + mp + "/platform-privacy-guide"));
        calls.put("/api/wechat/mini-programs/{appId}/testers", Call.of("/api" + mp + "/testers"));
        calls.put("/api/wechat/mini-programs/{appId}/qrcode", Call.of("/api" + mp + "/qrcode").controlAnswers(422));
        calls.put("/api/wechat/apps/{appCode}/privacy-guide", Call.of("/api/wechat/apps/" + d.app() + "/privacy-guide"));
        calls.put("/processes", Call.listing("/processes", d.publishProcess()));
        calls.put("/processes/{id}", Call.of("/processes/" + d.publishProcess()));
        calls.put("/processes/{id}/diagram.bpmn", Call.of("/processes/" + d.publishProcess() + "/diagram.bpmn"));
        calls.put("/audit", Call.listing("/audit", d.app()));
        calls.put("/admin", Call.of("/admin"));
        return calls;
    }

    /** A fresh app with a publish, an application with its review task, a finished batch and a mini program. */
    private DemoIds demoData() throws Exception {
        String app = "nows" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        JsonNode started = io.miniflow.app.DemoApps.publishingToDev(mvc, app, "1.0.0");
        String publishProcess = started.get("processInstanceId").asText();

        JsonNode applied = json.readTree(mvc.perform(post("/api/approvals").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"category\":\"FEATURE\",\"title\":\"Sweep " + app + "\","
                    + "\"objectName\":\"" + app + "\",\"objectVersion\":\"1.0.0\"}"))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        long approval = applied.get("approvalId").asLong();
        // A task of Demo offered to its reviewers. Standalone: the page of a review task also renders its
        // Camunda Form, which this test is not about.
        Task task = taskService.newTask();
        task.setName("Sweep " + app);
        task.setTenantId("Demo");
        taskService.saveTask(task);
        taskService.addCandidateGroup(task.getId(), "Demo.workspace-reviewer");

        // A finished batch row is enough to be read; starting one would release to the sandbox's mini programs.
        jdbc.sql("INSERT INTO mf_release_batch (workspace, template_id, user_version, user_desc, concurrency,"
                + " failure_threshold, in_flight, status, created_by, created_at)"
                + " VALUES ('Demo', 1, '0.0.1', 'sweep', 1, 1, 0, 'COMPLETED', 'mpadmin', CURRENT_TIMESTAMP)")
            .update();
        long batch = jdbc.sql("SELECT MAX(id) FROM mf_release_batch WHERE user_desc = 'sweep'").query(Long.class)
            .single();

        String miniProgram = json.readTree(mvc.perform(post("/sandbox/admin/wechat/authorizers")
                .contentType(MediaType.APPLICATION_JSON).content("{\"count\":1}"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).get(0).get("appid").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE app_id = ?").param(miniProgram)
            .query(Long.class).single() == 1);
        // A tenant of the app whose link waits for the merchant (it has a QR code): once dev has its online version.
        String statusUrl = started.get("statusUrl").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> "PUBLISHED".equals(
            json.readTree(mvc.perform(get(statusUrl).with(httpBasic("developer", "developer"))).andReturn()
                .getResponse().getContentAsString()).path("status").asText()));
        String tenant = "tn" + app;
        tenants.open("Demo", "admin", new OpenTenant(tenant, "Sweep", null, app, "dev", tenant + "-mp", null, null,
            null));
        Tenant opened = tenants.find("Demo", tenant).orElseThrow();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
            tenants.appsOf(opened).get(0).stage() == TenantAppStage.WAITING_AUTHORIZATION);
        CurrentUser developer = new CurrentUser("developer", Set.of());
        cloudApps.create(developer, new CloudAppRequests.NewCloudApp("Demo", app, "SPRING_BOOT", null));
        BuildTicket cloudBuild = cloudApps.requestBuild(developer, app, "test", "STARTER", 1, null, null, null);
        environmentBuilds.database(cloudBuild.buildId(), DatabaseKind.ECS_MYSQL, "i-sweep", "10.0.0.9", 3306, app, "app",
            "sweep-password");
        environmentBuilds.codeUrl(cloudBuild.outTradeNo(), "weixin://wxpay/bizpayurl?pr=sweep");
        return new DemoIds(app, publishProcess, approval, batch, task.getId(), miniProgram, tenant,
            cloudBuild.buildId());
    }

    private MockHttpSession loginQuietly(String user) {
        try {
            return login(user);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private MockHttpSession login(String user) throws Exception {
        return (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", user).param("password", user))
            .andExpect(redirectedUrlPattern("/**"))
            .andReturn().getRequest().getSession();
    }
}
