package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloudapp.CloudAppRequests.BuildRequest;
import io.miniflow.cloudapp.CloudAppViews.BuildStarted;
import io.miniflow.cloudapp.TestCertificates.Pem;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.MiniflowException;

/**
 * The cloud apps API over MockMvc with the whole application: creation, visibility, deletion, the environment view,
 * and every refused build request (400/403/404/409 with zh-CN and en messages, nothing written). Without a BuildStarter a build
 * answers 503 (checked through the service's seam); a valid request starts environment-build (ProcessBuildStarter).
 */
@MiniflowIntegrationTest
class CloudAppApiTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.camunda.bpm.engine.RuntimeService runtimeService;

    private static final String DOMAIN = "shop.example.com";

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    CloudAppService service;
    @Autowired
    EnvironmentBuilds builds;
    @Autowired
    IdentityService identityService;

    @Test
    void aDeveloperCreatesAnAppWithTwoEnvironmentsNotBuilt() throws Exception {
        String name = newName();
        create("developer", "Demo", name, "NODEJS").andExpect(status().isCreated())
            .andExpect(jsonPath("$.name").value(name))
            .andExpect(jsonPath("$.packageKind").value("tgz"))
            .andExpect(jsonPath("$.port").value(7001))
            .andExpect(jsonPath("$.environments[0].env").value("test"))
            .andExpect(jsonPath("$.environments[0].status").value("NOT_BUILT"))
            .andExpect(jsonPath("$.environments[1].env").value("prod"));

        mvc.perform(get("/api/cloud-apps").param("q", name).with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(1))
            .andExpect(jsonPath("$.items[0].environments[1].status").value("NOT_BUILT"));
        mvc.perform(get("/api/cloud-apps/" + name + "/environments/prod").with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("NOT_BUILT"))
            .andExpect(jsonPath("$.plan").doesNotExist())
            .andExpect(jsonPath("$.resources.instances").isEmpty())
            .andExpect(jsonPath("$.order").doesNotExist());
    }

    @Test
    void aReviewerMayNotCreate() throws Exception {
        long before = apps();
        create("reviewer", "Demo", newName(), "PHP").andExpect(status().isForbidden())
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
        assertThat(apps()).isEqualTo(before);
    }

    @Test
    void badAppsAreRefusedWithTheFieldInBothLanguagesAndNothingIsStored() throws Exception {
        String taken = newName();
        create("developer", "Demo", taken, "SPRING_BOOT").andExpect(status().isCreated());
        long before = apps();
        for (String bad : List.of("Shop", "1shop", "shop-app", "shop_app", "a".repeat(51), "")) {
            create("developer", "Demo", bad, "SPRING_BOOT").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'name')].message_en").isNotEmpty())
                .andExpect(jsonPath("$.errors[?(@.field == 'name')].message_zh").isNotEmpty());
        }
        create("developer", "Demo", newName(), "PYTHON").andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'runtime')].message_zh").isNotEmpty());
        create("developer", "Demo", "Bad", "PYTHON").andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors.length()").value(2));
        create("developer", "Demo", taken, "PHP").andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("cloudapp.exists"));
        create("developer", "NoSuchWorkspace", newName(), "PHP").andExpect(status().isNotFound());
        create("developer", otherWorkspace(), newName(), "PHP").andExpect(status().isForbidden());
        assertThat(apps()).isEqualTo(before);
    }

    @Test
    void anotherWorkspacesAppIsNotFound() throws Exception {
        String name = newName();
        create("admin", otherWorkspace(), name, "PHP").andExpect(status().isCreated());
        mvc.perform(get("/api/cloud-apps/" + name).with(httpBasic("developer", "developer")))
            .andExpect(status().isNotFound()).andExpect(jsonPath("$.message_zh").isNotEmpty());
        mvc.perform(get("/api/cloud-apps/" + name + "/environments/test").with(httpBasic("developer", "developer")))
            .andExpect(status().isNotFound());
        mvc.perform(delete("/api/cloud-apps/" + name).with(httpBasic("developer", "developer")))
            .andExpect(status().isNotFound());
        build("developer", name, "test", "STARTER", 1, null, null, null).andExpect(status().isNotFound());
        mvc.perform(get("/api/cloud-apps").param("q", name).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.total").value(0));
    }

    @Test
    void onlyTestAndProdAreEnvironments() throws Exception {
        String name = app();
        mvc.perform(get("/api/cloud-apps/" + name + "/environments/staging").with(httpBasic("developer", "developer")))
            .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("cloudapp.environment.notFound"));
    }

    @Test
    void badBuildRequestsAreRefusedOnTheirFieldsAndNothingIsWritten() throws Exception {
        String name = app();
        Pem pem = TestCertificates.valid(DOMAIN);
        Pem other = TestCertificates.valid(DOMAIN);
        Pem expired = TestCertificates.certificate(TestCertificates.rsa(), DOMAIN,
            Instant.now().minus(Duration.ofDays(100)), Duration.ofDays(30), DOMAIN);
        Pem wrongDomain = TestCertificates.valid("other.example.com");
        long before = builds();
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("plan", new Object[]{"prod", "PREMIUM", 1, DOMAIN, pem.certificate(), pem.privateKey()});
        cases.put("plan ", new Object[]{"prod", null, 1, DOMAIN, pem.certificate(), pem.privateKey()});
        cases.put("months", new Object[]{"prod", "STARTER", 2, DOMAIN, pem.certificate(), pem.privateKey()});
        cases.put("months ", new Object[]{"prod", "STANDARD", null, DOMAIN, pem.certificate(), pem.privateKey()});
        cases.put("domain", new Object[]{"prod", "STARTER", 1, null, pem.certificate(), pem.privateKey()});
        cases.put("domain ", new Object[]{"prod", "STARTER", 1, "not a domain", pem.certificate(), pem.privateKey()});
        cases.put("domain  ", new Object[]{"test", "STARTER", 1, "test.example.com", null, null});
        cases.put("certificatePem", new Object[]{"test", "STARTER", 1, null, pem.certificate(), pem.privateKey()});
        cases.put("privateKeyPem", new Object[]{"prod", "STARTER", 1, DOMAIN, pem.certificate(), other.privateKey()});
        cases.put("certificatePem ", new Object[]{"prod", "STARTER", 1, DOMAIN, expired.certificate(), expired.privateKey()});
        cases.put("domain   ", new Object[]{"prod", "STARTER", 1, DOMAIN, wrongDomain.certificate(), wrongDomain.privateKey()});
        cases.put("certificatePem  ", new Object[]{"prod", "STARTER", 1, DOMAIN, "garbage", pem.privateKey()});
        cases.put("privateKeyPem ", new Object[]{"prod", "STARTER", 1, DOMAIN, pem.certificate(), "garbage"});
        cases.put("certificatePem   ", new Object[]{"prod", "STARTER", 1, DOMAIN, null, null});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Object[] a = c.getValue();
            String field = c.getKey().trim();
            build("developer", name, (String) a[0], (String) a[1], (Integer) a[2], (String) a[3], (String) a[4],
                (String) a[5])
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == '" + field + "')].message_en").isNotEmpty())
                .andExpect(jsonPath("$.errors[?(@.field == '" + field + "')].message_zh").isNotEmpty());
        }
        build("reviewer", name, "test", "STARTER", 1, null, null, null).andExpect(status().isForbidden());
        assertThat(builds()).isEqualTo(before);
        assertThat(envStatus(name, "prod")).isEqualTo("NOT_BUILT");
    }

    @Test
    void withoutABuildStarterAValidRequestIsUnavailableAndWritesNothing() throws Exception {
        String name = app();
        long before = builds();
        assertThatThrownBy(() -> service.startBuild(developer(), name, "test",
                new BuildRequest("STARTER", 1, null, null, null), null))
            .isInstanceOfSatisfying(MiniflowException.class, e -> {
                assertThat(e.status().value()).isEqualTo(503);
                assertThat(e.messageKey()).isEqualTo("cloudapp.build.unavailable");
            });
        assertThat(builds()).isEqualTo(before);
        assertThat(envStatus(name, "test")).isEqualTo("NOT_BUILT");
    }

    @Test
    void aValidRequestIsAcceptedWithTheProcessAndTheOrderToPay() throws Exception {
        String name = app();
        String answer = build("developer", name, "test", "STARTER", 1, null, null, null)
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.processInstanceId").isNotEmpty())
            .andExpect(jsonPath("$.outTradeNo").value(org.hamcrest.Matchers.startsWith("MFCB")))
            .andExpect(jsonPath("$.amountFen").value(9900))
            .andReturn().getResponse().getContentAsString();
        String statusUrl = json.readTree(answer).get("statusUrl").asText();
        mvc.perform(get(statusUrl).with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.build.processInstanceId").value(json.readTree(answer).get("processInstanceId").asText()))
            .andExpect(jsonPath("$.build.startedBy").value("developer"));
        assertThat(envStatus(name, "test")).isNotEqualTo("NOT_BUILT");
        // Nobody pays: the build would poll its order until the deadline, a background writer for later tests.
        TestBuilds.end(runtimeService, json.readTree(answer).get("processInstanceId").asText());
    }

    @Test
    void aBuildRecordsTheCertificateTheBuildAndAnUnpaidOrderThenABuildingEnvironmentIsAConflict() throws Exception {
        String name = app();
        Pem pem = TestCertificates.valid("*.example.com");
        AtomicLong started = new AtomicLong();
        BuildStarted answer = service.startBuild(developer(), name, "prod",
            new BuildRequest("STANDARD", 3, DOMAIN, pem.certificate(), TestCertificates.traditional(pem.keys())),
            buildId -> {
                started.set(buildId);
                return "pi-" + buildId;
            });

        assertThat(answer.buildId()).isEqualTo(started.get());
        assertThat(answer.processInstanceId()).isEqualTo("pi-" + answer.buildId());
        assertThat(answer.outTradeNo()).isEqualTo(BuildTicket.outTradeNo(answer.buildId()));
        assertThat(answer.amountFen()).isEqualTo(259_900);
        mvc.perform(get("/api/cloud-apps/" + name + "/environments/prod").with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("BUILDING"))
            .andExpect(jsonPath("$.resources.domain").value(DOMAIN))
            .andExpect(jsonPath("$.order.outTradeNo").value(answer.outTradeNo()))
            .andExpect(jsonPath("$.order.status").value("UNPAID"))
            .andExpect(jsonPath("$.certificate.subject").value(org.hamcrest.Matchers.containsString("*.example.com")))
            .andExpect(jsonPath("$..privateKey").isEmpty())
            .andExpect(jsonPath("$..password").isEmpty());
        String storedKey = jdbc.sql("SELECT private_key FROM mf_cloud_certificate WHERE env_id = (SELECT env_id FROM"
            + " mf_cloud_build WHERE id = ?)").param(answer.buildId()).query(String.class).single();
        assertThat(storedKey).startsWith("mf1:").doesNotContain("PRIVATE KEY");
        assertThat(builds.privateKey(answer.buildId())).get().asString().contains("BEGIN RSA PRIVATE KEY");

        build("developer", name, "prod", "STARTER", 1, DOMAIN, pem.certificate(), pem.privateKey())
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("cloudapp.build.notNotBuilt"));
        mvc.perform(delete("/api/cloud-apps/" + name).with(httpBasic("developer", "developer")))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("cloudapp.delete.environmentInUse"))
            .andExpect(jsonPath("$.message_zh").value(org.hamcrest.Matchers.containsString("BUILDING")));
    }

    @Test
    void theProcessRecordsResourcesOnceAndTheAdminAloneSeesTheDatabasePassword() throws Exception {
        String name = app();
        BuildTicket ticket = service.requestBuild(developer(), name, "test", "STANDARD", 1, null, null, null);
        assertThat(ticket.domain()).isEqualTo(name + "-test.apps.sandbox.miniflow.test");
        assertThat(ticket.spec().instanceCount()).isEqualTo(2);
        builds.codeUrl(ticket.outTradeNo(), "weixin://wxpay/bizpayurl?pr=abc");
        assertThat(builds.paid(ticket.outTradeNo(), "tx1", Instant.now())).isTrue();
        assertThat(builds.paid(ticket.outTradeNo(), "tx1", Instant.now())).as("a second notification").isFalse();
        assertThat(builds.instance(ticket.buildId(), "i-1", null)).isTrue();
        assertThat(builds.instance(ticket.buildId(), "i-1", "10.0.0.1")).as("a retried step").isFalse();
        builds.instance(ticket.buildId(), "i-2", "10.0.0.2");
        builds.loadBalancer(ticket.buildId(), "lb-1", "47.0.0.1");
        builds.backendWeight(ticket.buildId(), "i-1", 100);
        builds.backendWeight(ticket.buildId(), "i-2", 100);
        builds.database(ticket.buildId(), DatabaseKind.RDS, "rm-1", "rm-1.mysql.rds.aliyuncs.com", 3306, name,
            "app", "s3cret-Pass");
        builds.step(ticket.buildId(), "Task_CreateInstances", StepStatus.DONE, "2 instances");
        builds.ready(ticket.buildId());

        mvc.perform(get("/api/cloud-apps/" + name + "/environments/test").with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("READY"))
            .andExpect(jsonPath("$.plan").value("STANDARD"))
            .andExpect(jsonPath("$.resources.instances.length()").value(2))
            .andExpect(jsonPath("$.resources.instances[0].ip").value("10.0.0.1"))
            .andExpect(jsonPath("$.resources.loadBalancer.address").value("47.0.0.1"))
            .andExpect(jsonPath("$.resources.loadBalancer.backends[1].weight").value(100))
            .andExpect(jsonPath("$.resources.database.host").value("rm-1.mysql.rds.aliyuncs.com"))
            .andExpect(jsonPath("$.order.status").value("PAID"))
            .andExpect(jsonPath("$.order.codeUrl").value("weixin://wxpay/bizpayurl?pr=abc"))
            .andExpect(jsonPath("$..password").isEmpty());
        mvc.perform(get("/api/cloud-apps/" + name + "/environments/test/database-password")
                .with(httpBasic("developer", "developer")))
            .andExpect(status().isForbidden());
        mvc.perform(get("/api/cloud-apps/" + name + "/environments/test/database-password")
                .with(httpBasic("admin", "admin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.password").value("s3cret-Pass"));
        mvc.perform(get(CloudAppService.statusUrl(name, "test", ticket.buildId())).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.build.status").value("READY"))
            .andExpect(jsonPath("$.steps[0].step").value("Task_CreateInstances"));
    }

    @Test
    void anUnpaidBuildClosesBackToNotBuiltAndTheAppCanThenBeDeleted() throws Exception {
        String name = app();
        BuildTicket ticket = service.requestBuild(developer(), name, "test", "STARTER", 12, null, null, null);
        assertThat(ticket.amountFen()).isEqualTo(99_900);
        assertThatThrownBy(() -> service.requestBuild(developer(), name, "test", "STARTER", 1, null, null, null))
            .isInstanceOfSatisfying(MiniflowException.class, e -> assertThat(e.messageKey())
                .isEqualTo("cloudapp.build.notNotBuilt"));
        builds.closedUnpaid(ticket.buildId());
        assertThat(builds.order(ticket.outTradeNo())).get().extracting(CloudOrder::status).isEqualTo(OrderStatus.CLOSED);
        assertThat(envStatus(name, "test")).isEqualTo("NOT_BUILT");

        mvc.perform(delete("/api/cloud-apps/" + name).with(httpBasic("developer", "developer")))
            .andExpect(status().isNoContent());
        mvc.perform(get("/api/cloud-apps/" + name).with(httpBasic("developer", "developer")))
            .andExpect(status().isNotFound());
    }

    @Test
    void anAppIsDeletableWhileItsEnvironmentsAreNotBuiltOrReleasedOnly() throws Exception {
        String name = app();
        setStatus(name, "prod", "BUILD_FAILED");
        mvc.perform(delete("/api/cloud-apps/" + name).with(httpBasic("developer", "developer")))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.message_en").value(org.hamcrest.Matchers.containsString("prod environment is BUILD_FAILED")));
        mvc.perform(delete("/api/cloud-apps/" + name).with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isForbidden());
        setStatus(name, "prod", "RELEASED");
        mvc.perform(delete("/api/cloud-apps/" + name).with(httpBasic("developer", "developer")))
            .andExpect(status().isNoContent());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_cloud_app WHERE name = ?").param(name).query(Long.class).single())
            .isZero();
    }

    // --- helpers

    private ResultActions create(String user, String workspace, String name, String runtime) throws Exception {
        return mvc.perform(post("/api/cloud-apps").with(httpBasic(user, user)).contentType(MediaType.APPLICATION_JSON)
            .content(json.writeValueAsString(Map.of("workspace", workspace, "name", name, "runtime", runtime,
                "description", "A shop"))));
    }

    private ResultActions build(String user, String name, String env, String plan, Integer months, String domain,
                                String certificate, String key) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("plan", plan);
        body.put("months", months);
        body.put("domain", domain);
        body.put("certificatePem", certificate);
        body.put("privateKeyPem", key);
        return mvc.perform(post("/api/cloud-apps/" + name + "/environments/" + env + "/builds")
            .with(httpBasic(user, user)).contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)));
    }

    private String app() throws Exception {
        String name = newName();
        create("developer", "Demo", name, "SPRING_BOOT").andExpect(status().isCreated());
        return name;
    }

    private String otherWorkspace() throws Exception {
        String name = "Other" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        // The representative is an existing user who becomes the workspace's admin (not one of the demo users).
        User rep = identityService.newUser(name.toLowerCase());
        rep.setEmail(name.toLowerCase() + "@test.local");
        rep.setPassword(name);
        identityService.saveUser(rep);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
            .content("""
                {"name":"%s","businessScope":"5734","address":"1 Road","representativeName":"Rep","representativeEmail":"%s@test.local"}
                """.formatted(name, name.toLowerCase()))).andExpect(status().isCreated());
        return name;
    }

    private static String newName() {
        return "shop" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static CurrentUser developer() {
        return new CurrentUser("developer", java.util.Set.of());
    }

    private long apps() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_app").query(Long.class).single();
    }

    private long builds() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_build").query(Long.class).single()
            + jdbc.sql("SELECT COUNT(*) FROM mf_cloud_order").query(Long.class).single()
            + jdbc.sql("SELECT COUNT(*) FROM mf_cloud_certificate").query(Long.class).single();
    }

    private void setStatus(String name, String env, String status) {
        jdbc.sql("UPDATE mf_cloud_env SET status = ? WHERE env = ? AND app_id = (SELECT id FROM mf_cloud_app WHERE name = ?)")
            .params(status, env, name).update();
    }

    private String envStatus(String name, String env) {
        return jdbc.sql("SELECT e.status FROM mf_cloud_env e JOIN mf_cloud_app a ON a.id = e.app_id"
            + " WHERE a.name = ? AND e.env = ?").params(name, env).query(String.class).single();
    }
}
