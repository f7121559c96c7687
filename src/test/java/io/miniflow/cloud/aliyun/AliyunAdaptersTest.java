package io.miniflow.cloud.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Miniflow's Aliyun adapters against the emulator over HTTP, as configured by the sandbox profile. */
@MiniflowIntegrationTest
class AliyunAdaptersTest {

    @Autowired
    ComputePort compute;
    @Autowired
    LoadBalancerPort loadBalancers;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;

    @BeforeEach
    void shortTimings() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON)
            .content("{\"pendingMillis\":20,\"startingMillis\":20,\"stoppingMillis\":20,\"commandMillis\":20}"))
            .andExpect(status().isOk());
    }

    @AfterEach
    void reset() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
    }

    private static ComputePort.InstanceSpec spec(int amount, String env) {
        return spec(amount, env, Map.of("miniflow-env", env));
    }

    private static ComputePort.InstanceSpec spec(int amount, String env, Map<String, String> tags) {
        return new ComputePort.InstanceSpec("cn-hangzhou-h", "aliyun_3_x64", "ecs.g7.large", "sg-1", "vsw-1",
            "app-" + env, amount, 5, tags);
    }

    private long created(String action) throws Exception {
        return stat(action, "created");
    }

    private long calls(String action) throws Exception {
        return stat(action, "calls");
    }

    private long stat(String action, String name) throws Exception {
        String stats = mvc.perform(get("/sandbox/admin/aliyun/stats")).andReturn().getResponse().getContentAsString();
        return json.readTree(stats).path(action).path(name).asLong(0);
    }

    @Test
    void aRetriedRunInstancesDoesNotCreateTwice() throws Exception {
        String env = UUID.randomUUID().toString();
        IdempotencyKey key = IdempotencyKey.of("env-" + env, "createInstances");
        List<String> first = compute.runInstances(spec(2, env), key);
        List<String> retried = compute.runInstances(spec(2, env), key);
        assertThat(retried).isEqualTo(first);
        assertThat(created("RunInstances")).isEqualTo(2);
        assertThat(compute.describeInstances(first)).hasSize(2)
            .allSatisfy(i -> assertThat(i.tags()).containsEntry("miniflow-env", env));
    }

    /**
     * A retry on another JVM sees the same tags in another order (Map.of's order is salted per JVM): the request must
     * not change with it, or the ClientToken is refused as IdempotentParameterMismatch instead of answering.
     */
    @Test
    void aRetryWithTheSameTagsInAnotherOrderIsAnsweredFromTheClientToken() throws Exception {
        String env = UUID.randomUUID().toString();
        IdempotencyKey key = IdempotencyKey.of("env-" + env, "createInstances");
        Map<String, String> oneOrder = new LinkedHashMap<>();
        oneOrder.put("miniflow-app", "shop");
        oneOrder.put("miniflow-env", env);
        oneOrder.put("miniflow-build", "7");
        Map<String, String> otherOrder = new LinkedHashMap<>();
        otherOrder.put("miniflow-build", "7");
        otherOrder.put("miniflow-env", env);
        otherOrder.put("miniflow-app", "shop");
        List<String> first = compute.runInstances(spec(1, env, oneOrder), key);
        assertThat(compute.runInstances(spec(1, env, otherOrder), key)).isEqualTo(first);
        assertThat(created("RunInstances")).isEqualTo(1);
    }

    @Test
    void aServerFaultIsRetryableAndTheRetryCreatesOnce() throws Exception {
        // Four in a row: the quick retries (four calls in all, miniflow.platforms.quick-retry) are used up.
        mvc.perform(post("/sandbox/admin/aliyun/faults").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"RunInstances\",\"code\":\"InternalError\",\"times\":4}"))
            .andExpect(status().isOk());
        String env = UUID.randomUUID().toString();
        IdempotencyKey key = IdempotencyKey.of("env-" + env, "createInstances");
        assertThatThrownBy(() -> compute.runInstances(spec(1, env), key))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.platformCode()).isEqualTo("InternalError");
                assertThat(e.requestId()).isNotBlank();
            });
        List<String> ids = compute.runInstances(spec(1, env), key);
        assertThat(compute.runInstances(spec(1, env), key)).isEqualTo(ids);
        assertThat(created("RunInstances")).isEqualTo(1);
    }

    @Test
    void theSameKeyForAnotherSpecIsRefusedAndNotRetryable() {
        String env = UUID.randomUUID().toString();
        IdempotencyKey key = IdempotencyKey.of("env-" + env, "createInstances");
        compute.runInstances(spec(1, env), key);
        assertThatThrownBy(() -> compute.runInstances(spec(3, env), key))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.messageKey()).isEqualTo("cloud.error.idempotentMismatch");
            });
    }

    @Test
    void throttlingIsTranslatedAsRetryable() throws Exception {
        mvc.perform(post("/sandbox/admin/aliyun/faults").contentType(MediaType.APPLICATION_JSON)
            .content("{\"code\":\"Throttling\",\"times\":4}")).andExpect(status().isOk());
        assertThatThrownBy(() -> compute.describeInstances(List.of("i-none")))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.messageKey()).isEqualTo("cloud.error.throttled");
            });
    }

    @Test
    void oneThrottledAnswerIsTriedAgainAtOnce() throws Exception {
        mvc.perform(post("/sandbox/admin/aliyun/faults").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"DescribeInstances\",\"code\":\"Throttling\"}")).andExpect(status().isOk());
        long calls = calls("DescribeInstances");
        assertThat(compute.describeInstances(List.of("i-none"))).isEmpty();
        assertThat(calls("DescribeInstances")).as("refused once, answered the second time").isEqualTo(calls + 2);
    }

    private List<String> running(int amount) {
        String env = UUID.randomUUID().toString();
        List<String> ids = compute.runInstances(spec(amount, env), IdempotencyKey.of("env-" + env, "createInstances"));
        await().atMost(Duration.ofSeconds(10)).until(() -> compute.describeInstances(ids).stream()
            .allMatch(i -> i.status() == ComputePort.InstanceStatus.RUNNING));
        return ids;
    }

    @Test
    void aCommandRunsOnceAndReportsItsResult() {
        List<String> ids = running(1);
        IdempotencyKey key = IdempotencyKey.of("deploy-" + UUID.randomUUID(), "restartApp");
        String invocation = compute.runCommand(ids, "systemctl restart app", key);
        assertThat(compute.runCommand(ids, "systemctl restart app", key)).isEqualTo(invocation);
        await().atMost(Duration.ofSeconds(10)).until(() -> compute.commandResults(invocation).stream()
            .allMatch(r -> r.status() == ComputePort.CommandStatus.SUCCESS && r.exitCode() == 0));
    }

    @Test
    void stopAndDeleteAreSafeToRepeat() {
        String id = running(1).get(0);
        compute.stopInstance(id);
        await().atMost(Duration.ofSeconds(10)).until(() ->
            compute.describeInstances(List.of(id)).get(0).status() == ComputePort.InstanceStatus.STOPPED);
        compute.deleteInstance(id, false);
        compute.deleteInstance(id, false);
        assertThat(compute.describeInstances(List.of(id))).isEmpty();
    }

    @Test
    void aLoadBalancerIsBuiltOnceWhateverTheRetries() throws Exception {
        IdempotencyKey key = IdempotencyKey.of("env-" + UUID.randomUUID(), "createLoadBalancer");
        LoadBalancerPort.LoadBalancer lb = loadBalancers.createLoadBalancer("env-lb", true, key);
        assertThat(loadBalancers.createLoadBalancer("env-lb", true, key)).isEqualTo(lb);
        assertThat(created("CreateLoadBalancer")).isEqualTo(1);

        List<String> ids = running(2);
        List<LoadBalancerPort.Backend> backends = ids.stream().map(id -> new LoadBalancerPort.Backend(id, 100)).toList();
        loadBalancers.addBackendServers(lb.loadBalancerId(), backends);
        loadBalancers.addBackendServers(lb.loadBalancerId(), backends);
        loadBalancers.setBackendWeights(lb.loadBalancerId(), List.of(new LoadBalancerPort.Backend(ids.get(0), 0)));

        String certificate = loadBalancers.uploadCertificate("app", resource("cert.pem"), resource("key.pem"));
        loadBalancers.ensureHttpsListener(lb.loadBalancerId(), 443, 8080, certificate);
        loadBalancers.ensureHttpsListener(lb.loadBalancerId(), 443, 8080, certificate);

        LoadBalancerPort.LoadBalancerState state = loadBalancers.describe(lb.loadBalancerId());
        assertThat(state.backends()).containsExactlyInAnyOrder(
            new LoadBalancerPort.Backend(ids.get(0), 0), new LoadBalancerPort.Backend(ids.get(1), 100));
        assertThat(state.listeners()).containsExactly(new LoadBalancerPort.Listener(443, "https", "running"));

        loadBalancers.removeBackendServers(lb.loadBalancerId(), List.of(ids.get(0)));
        assertThat(loadBalancers.describe(lb.loadBalancerId()).backends()).extracting(LoadBalancerPort.Backend::instanceId)
            .containsExactly(ids.get(1));

        loadBalancers.deleteLoadBalancer(lb.loadBalancerId());
        loadBalancers.deleteLoadBalancer(lb.loadBalancerId());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AliyunAdaptersTest.class.getResourceAsStream("/sandbox-aliyun/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
