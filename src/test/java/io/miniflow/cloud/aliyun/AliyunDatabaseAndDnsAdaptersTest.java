package io.miniflow.cloud.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.CloudErrors;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.DatabasePort;
import io.miniflow.cloud.DnsPort;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Miniflow's RDS and DNS adapters, and the business outcomes of ECS the environment build needs (stock-out, a failing
 * Cloud Assistant command), against the emulator over HTTP as the sandbox profile configures them.
 */
@MiniflowIntegrationTest
class AliyunDatabaseAndDnsAdaptersTest {

    @Autowired
    DatabasePort databases;
    @Autowired
    DnsPort dns;
    @Autowired
    ComputePort compute;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void shortTimings() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        settings("{\"pendingMillis\":20,\"startingMillis\":20,\"commandMillis\":20,\"dbCreatingMillis\":200}");
    }

    @AfterEach
    void reset() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
    }

    private void settings(String body) throws Exception {
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isOk());
    }

    private long created(String action) throws Exception {
        String stats = mvc.perform(get("/sandbox/admin/aliyun/stats")).andReturn().getResponse().getContentAsString();
        return json.readTree(stats).path(action).path("created").asLong(0);
    }

    private static DatabasePort.InstanceSpec rds(String env) {
        return new DatabasePort.InstanceSpec("cn-hangzhou-h", "8.0", "mysql.n2.medium.1", 250, "vpc-1", "vsw-1",
            "env-" + env, "172.16.0.0/12");
    }

    @Test
    void theStandardPlansDatabaseIsBuiltOnceWhateverTheRetries() throws Exception {
        String env = UUID.randomUUID().toString();
        IdempotencyKey key = IdempotencyKey.of("env-" + env, "createDatabaseInstance");
        DatabasePort.DatabaseInstance first = databases.createInstance(rds(env), key);
        assertThat(databases.createInstance(rds(env), key)).isEqualTo(first);
        assertThat(created("CreateDBInstance")).isEqualTo(1);
        assertThat(first.status()).isEqualTo(DatabasePort.Status.CREATING);

        // Too early: the platform refuses, and the refusal is one the engine retries.
        assertThatThrownBy(() -> databases.ensureDatabase(first.instanceId(), "app", "utf8mb4"))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.platformCode()).isEqualTo("IncorrectDBInstanceState");
                assertThat(e.retryable()).isTrue();
            });
        await().atMost(Duration.ofSeconds(10))
            .until(() -> databases.describe(first.instanceId()).status() == DatabasePort.Status.RUNNING);
        DatabasePort.DatabaseInstance running = databases.describe(first.instanceId());
        assertThat(running.connectionString()).isEqualTo(first.connectionString()).isNotBlank();
        assertThat(running.port()).isEqualTo(3306);

        databases.ensureDatabase(first.instanceId(), "app", "utf8mb4");
        databases.ensureDatabase(first.instanceId(), "app", "utf8mb4");
        databases.ensureAccount(first.instanceId(), "app_user", "Str0ng-Passw0rd", "app",
            DatabasePort.Privilege.READ_WRITE);
        databases.ensureAccount(first.instanceId(), "app_user", "Str0ng-Passw0rd", "app",
            DatabasePort.Privilege.READ_WRITE);
        assertThat(created("CreateDatabase")).isEqualTo(1);
        assertThat(created("CreateAccount")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT privilege FROM sandbox_aliyun_db_privilege WHERE db_instance_id = ?")
            .param(first.instanceId()).query(String.class).list()).containsExactly("ReadWrite");

        databases.deleteInstance(first.instanceId());
        databases.deleteInstance(first.instanceId());
        assertThatThrownBy(() -> databases.describe(first.instanceId()))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.platformCode()).isEqualTo("InvalidDBInstanceId.NotFound");
                assertThat(e.retryable()).isFalse();
                assertThat(e.messageKey()).isEqualTo("cloud.error.dbInstanceNotFound");
            });
    }

    @Test
    void aSoldOutDatabaseClassIsTheNoStockOutcome() throws Exception {
        settings("{\"stockOut\":[\"*\"]}");
        String env = UUID.randomUUID().toString();
        assertThatThrownBy(() -> databases.createInstance(rds(env), IdempotencyKey.of("env-" + env, "db")))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.platformCode()).isEqualTo(CloudErrors.NO_STOCK);
                assertThat(e.retryable()).isFalse();
                assertThat(e.messageKey()).isEqualTo("cloud.error.noStock");
            });
    }

    @Test
    void soldOutInstancesAreTheNoStockOutcome() throws Exception {
        settings("{\"stockOut\":[\"ecs.c5.large\"]}");
        String env = UUID.randomUUID().toString();
        ComputePort.InstanceSpec spec = new ComputePort.InstanceSpec("cn-hangzhou-h", "centos_7", "ecs.c5.large",
            "sg-1", "vsw-1", "app-" + env, 2, 0, Map.of());
        assertThatThrownBy(() -> compute.runInstances(spec, IdempotencyKey.of("env-" + env, "createInstances")))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.platformCode()).isEqualTo(CloudErrors.NO_STOCK);
                assertThat(e.retryable()).isFalse();
            });
        assertThat(created("RunInstances")).isZero();
    }

    @Test
    void theMysqlInstallSucceedsUnlessTheControlMakesItFail() throws Exception {
        String env = UUID.randomUUID().toString();
        List<String> ids = compute.runInstances(new ComputePort.InstanceSpec("cn-hangzhou-h", "centos_7",
            "ecs.t5-lc1m2.small", "sg-1", "vsw-1", "app-" + env, 1, 1, Map.of()), IdempotencyKey.of("env-" + env, "ecs"));
        await().atMost(Duration.ofSeconds(10)).until(() -> compute.describeInstances(ids).stream()
            .allMatch(i -> i.status() == ComputePort.InstanceStatus.RUNNING));

        String install = compute.runCommand(ids, "yum install -y mysql-server && systemctl start mysqld",
            IdempotencyKey.of("env-" + env, "installMysql"));
        await().atMost(Duration.ofSeconds(10)).until(() -> compute.commandResults(install).stream()
            .allMatch(r -> r.status() == ComputePort.CommandStatus.SUCCESS && r.exitCode() == 0));

        settings("{\"commandRules\":[{\"contains\":\"mysql-server\",\"exitCode\":1,"
            + "\"output\":\"No package mysql-server available.\"}]}");
        String failed = compute.runCommand(ids, "yum install -y mysql-server && systemctl start mysqld",
            IdempotencyKey.of("env-" + env, "installMysql-2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> compute.commandResults(failed).stream()
            .allMatch(r -> r.status() != ComputePort.CommandStatus.RUNNING));
        assertThat(compute.commandResults(failed)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(ComputePort.CommandStatus.FAILED);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).contains("No package mysql-server available.");
        });
    }

    @Test
    void theTestEnvironmentsDomainResolvesOnceAndIsRemovedSafely() {
        String domain = "t" + UUID.randomUUID().toString().substring(0, 8) + ".miniapp-test.com";
        String recordId = dns.ensureARecord(domain, "app42", "47.96.10.20");
        assertThat(dns.ensureARecord(domain, "app42", "47.96.10.20")).isEqualTo(recordId);
        assertThat(dns.describe(domain, "app42"))
            .containsExactly(new DnsPort.DnsRecord(recordId, "app42", "A", "47.96.10.20", 600, "ENABLE"));

        dns.deleteRecord(recordId);
        dns.deleteRecord(recordId);
        assertThat(dns.describe(domain, "app42")).isEmpty();
    }
}
