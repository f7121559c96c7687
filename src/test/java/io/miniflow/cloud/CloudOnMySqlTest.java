package io.miniflow.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;
import io.miniflow.payment.PaymentPort;
import io.miniflow.shared.IdempotencyKey;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The emulators' and adapters' tables on MySQL/MariaDB (V30–V32): instances, ClientTokens, load balancers, orders,
 * notifications, all through the real SDKs over HTTP.
 */
@MySqlIntegrationTest
class CloudOnMySqlTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
    }

    @Autowired
    ComputePort compute;
    @Autowired
    LoadBalancerPort loadBalancers;
    @Autowired
    PaymentPort payments;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @Test
    void instancesLoadBalancersAndPaymentsKeepTheirStateInMySql() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON)
            .content("{\"pendingMillis\":10,\"startingMillis\":10}")).andExpect(status().isOk());
        try {
            String env = UUID.randomUUID().toString();
            IdempotencyKey key = IdempotencyKey.of("env-" + env, "createInstances");
            ComputePort.InstanceSpec spec = new ComputePort.InstanceSpec("cn-hangzhou-h", "img", "ecs.g7.large", null,
                null, "app", 2, 5, Map.of("env", env));
            List<String> ids = compute.runInstances(spec, key);
            assertThat(compute.runInstances(spec, key)).isEqualTo(ids);
            await().atMost(Duration.ofSeconds(10)).until(() -> compute.describeInstances(ids).stream()
                .allMatch(i -> i.status() == ComputePort.InstanceStatus.RUNNING && i.publicIp() != null));

            LoadBalancerPort.LoadBalancer lb = loadBalancers.createLoadBalancer("env", true,
                IdempotencyKey.of("env-" + env, "createLoadBalancer"));
            loadBalancers.addBackendServers(lb.loadBalancerId(), List.of(new LoadBalancerPort.Backend(ids.get(0), 50)));
            assertThat(loadBalancers.describe(lb.loadBalancerId()).backends())
                .containsExactly(new LoadBalancerPort.Backend(ids.get(0), 50));

            String no = payments.createNativeOrder(new PaymentPort.OrderRequest(
                IdempotencyKey.of("env-" + env, "pay"), "环境", 300, null)).outTradeNo();
            mvc.perform(post("/sandbox/admin/wechatpay/orders/" + no + "/pay")).andExpect(status().isOk());
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_payment_notification WHERE out_trade_no = ?").param(no)
                .query(Integer.class).single() == 1);
        } finally {
            mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        }
    }
}
