package io.miniflow.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;

/**
 * The engine REST queries that Miniflow's Cockpit history plugin (docs/cockpit.md) sends, with the parameters it
 * sends, over HTTP: as the operator with HTTP Basic on /engine-rest, and through the webapp's own API with a console
 * login, the way the plugin calls it. Lists are read a page at a time; users without history permissions see nothing. A
 * release batch started through the API finds its mini programs' releases by their releaseBatchId, and they find it.
 */
@MiniflowIntegrationTest
class CockpitHistoryQueriesTest {

    private static final String HISTORY = "/engine-rest/history/process-instance";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final DateTimeFormatter ENGINE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    @LocalServerPort
    int port;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    ObjectMapper json;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    /** This test's instances carry it in their business keys: other tests' instances never match. */
    private String run;
    private String key;

    @BeforeEach
    void deployProbe() {
        run = UUID.randomUUID().toString().substring(0, 8);
        key = "cockpitHistoryProbe" + run;
        repositoryService.createDeployment().addModelInstance(key + ".bpmn",
            Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Started")
                .exclusiveGateway("Gateway_Wait")
                  .condition("wait", "${wait}").userTask("Task_Wait").endEvent("EndEvent_Waited")
                .moveToLastGateway()
                  .condition("done", "${!wait}").endEvent("EndEvent_Done")
                .done()).deploy();
    }

    @Test
    void finishedInstancesAreReadAPageAtATimeWithTheirCount() throws Exception {
        for (int i = 0; i < 30; i++) {
            start(String.format("app-%s/prod/%02d", run, i), false);
        }
        start("app-" + run + "/prod/running", true);

        Map<String, String> finished = Map.of("processInstanceBusinessKeyLike", "%" + run + "%", "finished", "true");
        assertThat(count(finished)).isEqualTo(30);
        List<String> keys = new ArrayList<>();
        for (int first = 0; first < 30; first += 10) {
            JsonNode page = operatorGet(HISTORY, with(finished, "sortBy", "businessKey", "sortOrder", "asc",
                "firstResult", String.valueOf(first), "maxResults", "10"));
            assertThat(page).hasSize(10);
            page.forEach(instance -> {
                assertThat(instance.path("state").asText()).isEqualTo("COMPLETED");
                keys.add(instance.path("businessKey").asText());
            });
        }
        assertThat(keys).doesNotHaveDuplicates().isSorted().hasSize(30)
            .first().isEqualTo("app-" + run + "/prod/00");
        assertThat(operatorGet(HISTORY, with(finished, "firstResult", "30", "maxResults", "10"))).isEmpty();

        // The plugin's default listing: newest first, finished and running together.
        JsonNode newest = operatorGet(HISTORY, Map.of("processDefinitionKey", key, "sortBy", "startTime",
            "sortOrder", "desc", "firstResult", "0", "maxResults", "20"));
        assertThat(newest).hasSize(20);
        assertThat(count(Map.of("processDefinitionKey", key))).isEqualTo(31);
    }

    @Test
    void statesAndTimesFilterTheList() throws Exception {
        start("app-" + run + "/a", false);
        String running = start("app-" + run + "/b", true);
        String cancelled = start("app-" + run + "/c", true);
        String failing = start("app-" + run + "/d", true);
        cancelAs("admin", cancelled);
        Incident incident = runtimeService.createIncident("probe", execution(failing), "probe",
            "Deploy failed: simulated");

        Map<String, String> mine = Map.of("processInstanceBusinessKeyLike", "%" + run + "%");
        assertThat(keys(with(mine, "completed", "true"))).containsExactly("app-" + run + "/a");
        assertThat(keys(with(mine, "unfinished", "true"))).containsExactlyInAnyOrder("app-" + run + "/b",
            "app-" + run + "/d");
        assertThat(keys(with(mine, "externallyTerminated", "true"))).containsExactly("app-" + run + "/c");
        assertThat(keys(with(mine, "withIncidents", "true"))).containsExactly("app-" + run + "/d");
        // The plugin marks a page's instances with incidents in one query over the page's ids.
        assertThat(keys(Map.of("processInstanceIds", running + "," + failing, "withIncidents", "true")))
            .containsExactly("app-" + run + "/d");

        String tomorrow = ZonedDateTime.now().plusDays(1).format(ENGINE_DATE);
        String yesterday = ZonedDateTime.now().minusDays(1).format(ENGINE_DATE);
        assertThat(count(with(mine, "startedAfter", tomorrow))).isZero();
        assertThat(count(with(mine, "startedAfter", yesterday, "startedBefore", tomorrow))).isEqualTo(4);
        assertThat(count(with(mine, "finishedAfter", yesterday, "finishedBefore", tomorrow))).isEqualTo(2);

        // Incidents, open then resolved.
        JsonNode open = operatorGet("/engine-rest/history/incident", Map.of("processInstanceId", failing));
        assertThat(open.get(0).path("open").asBoolean()).isTrue();
        assertThat(open.get(0).path("incidentMessage").asText()).isEqualTo("Deploy failed: simulated");
        runtimeService.resolveIncident(incident.getId());
        assertThat(operatorGet("/engine-rest/history/incident", Map.of("processInstanceId", failing))
            .get(0).path("resolved").asBoolean()).isTrue();

        // User operations: who cancelled, when.
        JsonNode operations = operatorGet("/engine-rest/history/user-operation", Map.of("processInstanceId", cancelled,
            "sortBy", "timestamp", "sortOrder", "desc", "firstResult", "0", "maxResults", "50"));
        assertThat(operations.findValuesAsText("operationType")).contains("Delete");
        assertThat(operations.findValuesAsText("userId")).contains("admin");
    }

    @Test
    void anInstancesHistoryHasItsPathVariablesAndCalledInstances() throws Exception {
        String parentKey = key + "Parent";
        repositoryService.createDeployment().addModelInstance(parentKey + ".bpmn",
            Bpmn.createExecutableProcess(parentKey).camundaHistoryTimeToLive(1)
                .startEvent().callActivity("CallActivity_Probe").calledElement(key)
                  .camundaIn("wait", "wait").camundaIn("workspace", "workspace")
                .endEvent().done()).deploy();
        String parent = runtimeService.startProcessInstanceByKey(parentKey, "parent-" + run,
            Map.of("wait", true, "workspace", "Demo")).getId();
        String child = runtimeService.createProcessInstanceQuery().superProcessInstanceId(parent).singleResult().getId();
        runtimeService.setVariable(child, "note", "first");
        runtimeService.setVariable(child, "note", "second");

        JsonNode children = operatorGet(HISTORY, Map.of("superProcessInstanceId", parent, "sortBy", "startTime",
            "sortOrder", "asc", "firstResult", "0", "maxResults", "20"));
        assertThat(children.findValuesAsText("id")).containsExactly(child);
        JsonNode instance = operatorGet(HISTORY + "/" + child, Map.of());
        assertThat(instance.path("superProcessInstanceId").asText()).isEqualTo(parent);
        String definition = instance.path("processDefinitionId").asText();

        // The diagram: the definition's XML, and per activity how often it ran in this instance.
        assertThat(operatorGet("/engine-rest/process-definition/" + definition + "/xml", Map.of())
            .path("bpmn20Xml").asText()).contains("Task_Wait");
        JsonNode statistics = operatorGet("/engine-rest/history/process-definition/" + definition + "/statistics",
            Map.of("processInstanceIdIn", child, "finished", "true", "canceled", "true", "incidents", "true"));
        assertThat(statistics.findValuesAsText("id")).contains("StartEvent_Started", "Gateway_Wait", "Task_Wait")
            .doesNotContain("EndEvent_Done");
        // The timeline: in the order they ran, also within one millisecond.
        JsonNode activities = operatorPost("/engine-rest/history/activity-instance?firstResult=0&maxResults=50",
            "{\"processInstanceId\":\"" + child + "\",\"sorting\":[{\"sortBy\":\"startTime\",\"sortOrder\":\"asc\"},"
                + "{\"sortBy\":\"occurrence\",\"sortOrder\":\"asc\"}]}");
        assertThat(activities.findValuesAsText("activityId")).containsExactly("StartEvent_Started", "Gateway_Wait",
            "Task_Wait");
        assertThat(operatorGet("/engine-rest/history/activity-instance/count", Map.of("processInstanceId", child))
            .path("count").asLong()).isEqualTo(3);

        // Variables and their changes.
        JsonNode variables = operatorGet("/engine-rest/history/variable-instance", Map.of("processInstanceId", child,
            "deserializeValues", "false", "sortBy", "variableName", "sortOrder", "asc",
            "firstResult", "0", "maxResults", "50"));
        JsonNode note = null;
        for (JsonNode v : variables) {
            if (v.path("name").asText().equals("note")) {
                note = v;
            }
        }
        assertThat(note).isNotNull();
        assertThat(note.path("value").asText()).isEqualTo("second");
        JsonNode changes = operatorGet("/engine-rest/history/detail", Map.of("variableInstanceId",
            note.path("id").asText(), "deserializeValues", "false", "sortBy", "time", "sortOrder", "asc",
            "maxResults", "100"));
        assertThat(changes.findValuesAsText("value")).containsExactly("first", "second");
    }

    @Test
    void aReleaseBatchAndItsMiniProgramReleasesFindEachOtherByTheBatchId() throws Exception {
        CockpitReleaseBatches batches = new CockpitReleaseBatches(port, mvc, json, jdbc);
        CockpitReleaseBatches.Batch batch = null;
        try {
            batch = batches.start(2, 1);
            String held = batch.releases().get(batch.held().get(0));
            // The queries of the batch's "Mini program releases": POSTed, the batch id a JSON number.
            String ofBatch = "\"variables\":[{\"name\":\"releaseBatchId\",\"operator\":\"eq\",\"value\":"
                + batch.id() + "}]";
            String releases = "{\"processDefinitionKey\":\"wechat-mp-release\"," + ofBatch;
            String inOrder = ",\"sorting\":[{\"sortBy\":\"startTime\",\"sortOrder\":\"asc\"},"
                + "{\"sortBy\":\"instanceId\",\"sortOrder\":\"asc\"}]}";
            assertThat(operatorPost(HISTORY + "/count", releases + "}").path("count").asLong()).isEqualTo(3);
            Map<String, String> read = new java.util.LinkedHashMap<>();
            for (int first = 0; first < 4; first += 2) {
                JsonNode page = operatorPost(HISTORY + "?firstResult=" + first + "&maxResults=2", releases + inOrder);
                assertThat(page).hasSize(first == 0 ? 2 : 1);
                page.forEach(r -> {
                    assertThat(r.path("processDefinitionKey").asText()).isEqualTo("wechat-mp-release");
                    assertThat(read.put(r.path("businessKey").asText(), r.path("id").asText())).isNull();
                });
            }
            assertThat(read).isEqualTo(batch.releases());
            // Its state filter and its search by appid.
            assertThat(ids(operatorPost(HISTORY + "?firstResult=0&maxResults=20",
                releases + ",\"unfinished\":true" + inOrder))).containsExactly(held);
            assertThat(ids(operatorPost(HISTORY + "?firstResult=0&maxResults=20",
                releases + ",\"completed\":true" + inOrder))).containsExactlyInAnyOrderElementsOf(
                batch.released().stream().map(batch.releases()::get).toList());
            String appId = batch.released().get(1);
            assertThat(ids(operatorPost(HISTORY + "?firstResult=0&maxResults=20", releases
                + ",\"processInstanceBusinessKeyLike\":\"%" + appId.substring(2) + "%\"" + inOrder)))
                .containsExactly(batch.releases().get(appId));

            // From a release to its batch: the release's batch id, a Long, then the batch with that id.
            JsonNode variable = operatorGet("/engine-rest/history/variable-instance", Map.of(
                "processInstanceIdIn", held, "variableName", "releaseBatchId", "deserializeValues", "false",
                "maxResults", "1"));
            assertThat(variable.get(0).path("type").asText()).isEqualTo("Long");
            assertThat(variable.get(0).path("value").isIntegralNumber()).isTrue();
            assertThat(variable.get(0).path("value").asLong()).isEqualTo(batch.id());
            JsonNode found = operatorPost(HISTORY + "?firstResult=0&maxResults=1",
                "{\"processDefinitionKey\":\"wechat-template-release\"," + ofBatch + "}");
            assertThat(ids(found)).containsExactly(batch.processInstanceId());
            assertThat(found.get(0).path("businessKey").asText()).isEqualTo("release-" + batch.id());

            // In a GET, variables=releaseBatchId_eq_<id> compares a string with the Long: it finds nothing, which is
            // why the plugin POSTs.
            assertThat(count(Map.of("processDefinitionKey", "wechat-mp-release",
                "variables", "releaseBatchId_eq_" + batch.id()))).isZero();
        } finally {
            batches.cancel(batch);
        }
    }

    @Test
    void usersWithoutHistoryPermissionsSeeNothing() throws Exception {
        start("app-" + run + "/hidden", false);
        Map<String, String> mine = Map.of("processInstanceBusinessKeyLike", "%" + run + "%");
        assertThat(count(mine)).isEqualTo(1);
        // Developers may start some processes but not read history: the plugin would show them an empty list.
        JsonNode asDeveloper = get("developer", HISTORY + "/count", mine);
        assertThat(asDeveloper.path("count").asLong()).isZero();
        assertThat(http.send(HttpRequest.newBuilder(uri(HISTORY + "/count")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    }

    @Test
    void theWebappServesThePluginAndItsApiToALoggedInOperator() throws Exception {
        start("app-" + run + "/webapp", false);
        String[] plugin = {"/camunda/app/cockpit/scripts/config.js", "/camunda/app/cockpit/scripts/miniflow-history.js",
            "/camunda/app/cockpit/scripts/miniflow-history.css"};
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String path : plugin) {
            HttpResponse<Void> response = anonymous.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElse("")).endsWith("/login");
        }

        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        login(browser, "operator");
        assertThat(browser.send(HttpRequest.newBuilder(uri("/camunda/app/cockpit/default/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        HttpResponse<String> config = browser.send(HttpRequest.newBuilder(uri(plugin[0])).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("customScripts").contains("'scripts/miniflow-history'");
        HttpResponse<String> script = browser.send(HttpRequest.newBuilder(uri(plugin[1])).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        // Cockpit import()s custom scripts as modules: browsers refuse a module without a JavaScript type.
        assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(script.body()).contains("cockpit.route").contains("/history/process-instance");

        HttpResponse<String> count = browser.send(HttpRequest.newBuilder(uri(
                "/camunda/api/engine/engine/default/history/process-instance/count?processInstanceBusinessKeyLike="
                    + URLEncoder.encode("%" + run + "%", StandardCharsets.UTF_8))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(json.readTree(count.body()).path("count").asLong()).isEqualTo(1);
    }

    // --- helpers

    private String start(String businessKey, boolean wait) {
        ProcessInstance instance = runtimeService.startProcessInstanceByKey(key, businessKey,
            Map.of("wait", wait, "workspace", "Demo"));
        return instance.getId();
    }

    /** What Cockpit's "cancel" does: DELETE on the engine REST API, as a user allowed to. */
    private void cancelAs(String user, String processInstanceId) throws Exception {
        String token = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        assertThat(http.send(HttpRequest.newBuilder(uri("/engine-rest/process-instance/" + processInstanceId))
            .header("Authorization", "Basic " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding())
            .statusCode()).isEqualTo(204);
    }

    private String execution(String processInstanceId) {
        return runtimeService.createExecutionQuery().processInstanceId(processInstanceId).activityId("Task_Wait")
            .singleResult().getId();
    }

    private long count(Map<String, String> params) throws Exception {
        return operatorGet(HISTORY + "/count", params).path("count").asLong();
    }

    private static List<String> ids(JsonNode instances) {
        List<String> ids = new ArrayList<>();
        instances.forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }

    private Set<String> keys(Map<String, String> params) throws Exception {
        Set<String> keys = new HashSet<>();
        operatorGet(HISTORY, params).forEach(i -> keys.add(i.path("businessKey").asText()));
        return keys;
    }

    private JsonNode operatorGet(String path, Map<String, String> params) throws Exception {
        return get("operator", path, params);
    }

    private JsonNode get(String user, String path, Map<String, String> params) throws Exception {
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&").append(name).append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        String token = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path + query))
            .header("Authorization", "Basic " + token).header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + query + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode operatorPost(String pathAndQuery, String body) throws Exception {
        String token = Base64.getEncoder().encodeToString("operator:operator".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(pathAndQuery))
            .header("Authorization", "Basic " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static Map<String, String> with(Map<String, String> params, String... more) {
        Map<String, String> all = new java.util.LinkedHashMap<>(params);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }

    private void login(HttpClient browser, String user) throws Exception {
        String page = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString())
            .body();
        Matcher csrf = CSRF.matcher(page);
        assertThat(csrf.find()).isTrue();
        String form = "username=" + user + "&password=" + user + "&_csrf="
            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<Void> response = browser.send(HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
