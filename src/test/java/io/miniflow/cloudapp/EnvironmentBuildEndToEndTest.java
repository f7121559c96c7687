package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.DatabasePort;
import io.miniflow.cloud.DnsPort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * environment-build end to end over HTTP against the emulators: a standard prod environment paid through WeChat
 * Pay (the sandbox's pay control, the signed notification), two servers, RDS with its database and account, the load
 * balancer with both servers at weight 100 and HTTPS with the uploaded certificate; and a starter test environment
 * with MySQL installed on its server and its automatic domain in DNS. Every resource is checked in the emulators
 * through the same ports Miniflow uses.
 */
@MiniflowIntegrationTest
class EnvironmentBuildEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ComputePort compute;
    @Autowired
    LoadBalancerPort loadBalancers;
    @Autowired
    DatabasePort databases;
    @Autowired
    DnsPort dns;
    @Autowired
    EnvironmentBuilds builds;
    @Autowired
    org.camunda.bpm.engine.HistoryService history;

    private final ObjectMapper json = new ObjectMapper();
    private WechatSandboxHttp sandbox;
    private String app;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new WechatSandboxHttp(port);
        sandbox.put("/sandbox/admin/aliyun/settings",
            "{\"pendingMillis\":200,\"startingMillis\":300,\"commandMillis\":300,\"dbCreatingMillis\":800}");
        app = "shop" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        admin(post("/api/cloud-apps").contentType(MediaType.APPLICATION_JSON).content(
            "{\"workspace\":\"Demo\",\"name\":\"" + app + "\",\"runtime\":\"SPRING_BOOT\",\"description\":\"shop\"}"))
            .andExpect(status().isCreated());
    }

    @Test
    void aStandardProdEnvironmentIsBuiltThroughPayment() throws Exception {
        String domain = app + ".example.com";
        TestCertificates.Pem certificate = TestCertificates.valid(domain);
        JsonNode started = build("prod", Map.of("plan", "STANDARD", "months", 1, "domain", domain,
            "certificatePem", certificate.certificate(), "privateKeyPem", certificate.privateKey()));
        String outTradeNo = started.get("outTradeNo").asText();
        await().atMost(WAIT).until(() -> environment("prod").path("order").path("codeUrl").asText(null) != null);
        assertThat(environment("prod").get("status").asText()).isEqualTo("BUILDING");

        sandbox.post("/sandbox/admin/wechatpay/orders/" + outTradeNo + "/pay", "{}");

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
            .until(() -> environment("prod").get("status").asText(), "READY"::equals);
        long buildId = started.get("buildId").asLong();
        List<CloudResource> resources = builds.resources(buildId);
        List<String> servers = ids(resources, ResourceKind.ECS_INSTANCE);
        assertThat(servers).hasSize(2);
        assertThat(compute.describeInstances(servers))
            .allMatch(i -> i.status() == ComputePort.InstanceStatus.RUNNING);

        LoadBalancerPort.LoadBalancerState lb = loadBalancers.describe(ids(resources, ResourceKind.LOAD_BALANCER).get(0));
        assertThat(lb.backends()).extracting(LoadBalancerPort.Backend::instanceId)
            .containsExactlyInAnyOrderElementsOf(servers);
        assertThat(lb.backends()).allMatch(b -> b.weight() == 100);
        assertThat(lb.listeners()).extracting(LoadBalancerPort.Listener::port).contains(80, 443);
        assertThat(ids(resources, ResourceKind.SERVER_CERTIFICATE)).hasSize(1);

        DatabasePort.DatabaseInstance rds = databases.describe(ids(resources, ResourceKind.RDS_INSTANCE).get(0));
        assertThat(rds.status()).isEqualTo(DatabasePort.Status.RUNNING);
        assertThat(builds.databasePassword(buildId)).isPresent();
        assertThat(ids(resources, ResourceKind.DNS_RECORD)).isEmpty();

        JsonNode order = environment("prod").get("order");
        assertThat(order.get("status").asText()).isEqualTo("PAID");

        // A new certificate later (seed 001 §3.3): checked like the first, served from the next deploy on.
        TestCertificates.Pem renewed = TestCertificates.valid(domain);
        TestCertificates.Pem otherDomain = TestCertificates.valid("other.example.com");
        admin(put("/api/cloud-apps/{a}/environments/prod/certificate", app).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("certificatePem", otherDomain.certificate(),
                    "privateKeyPem", otherDomain.privateKey()))))
            .andExpect(status().isBadRequest());
        admin(put("/api/cloud-apps/{a}/environments/prod/certificate", app).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("certificatePem", renewed.certificate(),
                    "privateKeyPem", certificate.privateKey()))))
            .andExpect(status().isBadRequest());
        String fingerprint = environment("prod").get("certificate").get("fingerprint").asText();
        admin(put("/api/cloud-apps/{a}/environments/prod/certificate", app).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("certificatePem", renewed.certificate(),
                    "privateKeyPem", renewed.privateKey()))))
            .andExpect(status().isOk());
        assertThat(environment("prod").get("certificate").get("fingerprint").asText()).isNotEqualTo(fingerprint);
        admin(put("/api/cloud-apps/{a}/environments/test/certificate", app).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("certificatePem", renewed.certificate(),
                    "privateKeyPem", renewed.privateKey()))))
            .andExpect(status().isConflict());
        assertThat(environment("prod").toString()).doesNotContain(builds.databasePassword(buildId).orElseThrow());
    }

    @Test
    void aStarterTestEnvironmentGetsMysqlOnItsServerAndItsDomain() throws Exception {
        JsonNode started = build("test", Map.of("plan", "STARTER", "months", 1));
        String outTradeNo = started.get("outTradeNo").asText();
        await().atMost(WAIT).until(() -> environment("test").path("order").path("codeUrl").asText(null) != null);
        sandbox.post("/sandbox/admin/wechatpay/orders/" + outTradeNo + "/pay", "{}");

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
            .until(() -> environment("test").get("status").asText(), "READY"::equals);
        List<CloudResource> resources = builds.resources(started.get("buildId").asLong());
        List<CloudResource> servers = resources.stream().filter(r -> r.kind() == ResourceKind.ECS_INSTANCE).toList();
        assertThat(servers).hasSize(1);
        assertThat(ids(resources, ResourceKind.LOAD_BALANCER)).isEmpty();
        assertThat(ids(resources, ResourceKind.RDS_INSTANCE)).isEmpty();
        List<DnsPort.DnsRecord> records = dns.describe("apps.sandbox.miniflow.test", app + "-test");
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo("A");
            assertThat(r.value()).isEqualTo(servers.get(0).address());
        });
    }

    /**
     * Issue 19, scenario 3 for a build: four in ten cloud calls answer Throttling or ServiceUnavailable. The quick
     * retries carry the build through: READY, no incident, each server bought once.
     */
    @Test
    void aBuildGoesThroughTransientCloudFaultsWithoutAnIncident() throws Exception {
        long errorsBefore = cloudErrors();
        JsonNode started;
        sandbox.put("/sandbox/admin/aliyun/settings", "{\"faultRates\":{\"Throttling\":0.2,\"ServiceUnavailable\":0.2}}");
        try {
            started = build("test", Map.of("plan", "STARTER", "months", 1));
            String outTradeNo = started.get("outTradeNo").asText();
            await().atMost(WAIT).until(() -> environment("test").path("order").path("codeUrl").asText(null) != null);
            sandbox.post("/sandbox/admin/wechatpay/orders/" + outTradeNo + "/pay", "{}");
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> environment("test").get("status").asText(), "READY"::equals);
        } finally {
            sandbox.put("/sandbox/admin/aliyun/settings", "{\"faultRates\":{}}");
        }
        long buildId = started.get("buildId").asLong();
        String businessKey = app + "/test/" + buildId;
        assertThat(history.createHistoricIncidentQuery().processInstanceId(history.createHistoricProcessInstanceQuery()
            .processInstanceBusinessKey(businessKey).singleResult().getId()).count()).as("incidents").isZero();
        assertThat(ids(builds.resources(buildId), ResourceKind.ECS_INSTANCE)).as("servers bought").hasSize(1);
        assertThat(cloudErrors()).as("the cloud's injected faults; its stats: %s", sandbox.get("/sandbox/admin/aliyun/stats"))
            .isGreaterThan(errorsBefore);
    }

    private long cloudErrors() throws Exception {
        long errors = 0;
        for (JsonNode action : sandbox.get("/sandbox/admin/aliyun/stats")) {
            errors += action.path("errors").asLong();
        }
        return errors;
    }

    private JsonNode build(String env, Map<String, Object> body) throws Exception {
        String answer = admin(post("/api/cloud-apps/{a}/environments/{e}/builds", app, env)
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return json.readTree(answer);
    }

    private JsonNode environment(String env) throws Exception {
        return json.readTree(admin(get("/api/cloud-apps/{a}/environments/{e}", app, env)).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString());
    }

    private static List<String> ids(List<CloudResource> resources, ResourceKind kind) {
        return resources.stream().filter(r -> r.kind() == kind).map(CloudResource::resourceId).toList();
    }

    private org.springframework.test.web.servlet.ResultActions admin(MockHttpServletRequestBuilder request)
        throws Exception {
        return mvc.perform(request.with(httpBasic("admin", "admin")));
    }
}
