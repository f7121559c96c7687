package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.ecs.model.v20140526.DescribeInstancesRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInstancesResponse;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;

/**
 * A build survives Miniflow killed after the servers were bought and before the answer was stored: Miniflow runs as
 * a separate JVM on MariaDB and is killed with SIGKILL while the Aliyun emulator (in a JVM of its own, so it outlives
 * the kill) is still answering RunInstances; a new JVM on the same database and port retries the job once its lock
 * has expired, sends the same ClientToken, gets the first purchase's instance back and finishes the build. The plan's
 * one server exists once at the platform and once in Miniflow. Needs TEST_DB_CRASH_URL (.ci/run creates that
 * database); skipped elsewhere.
 */
@EnabledIfEnvironmentVariable(named = "TEST_DB_CRASH_URL", matches = ".+",
    disabledReason = "needs TEST_DB_CRASH_URL: a MariaDB/MySQL database of its own, which .ci/run creates")
class EnvironmentBuildCrashTest {

    /** Long enough to kill the node while the emulator holds RunInstances, short of the SDK's read timeout. */
    private static final long RUN_INSTANCES_LATENCY_MILLIS = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String dbUrl = System.getenv("TEST_DB_CRASH_URL");
    private final String dbUser = System.getenv().getOrDefault("TEST_DB_USER", "miniflow");
    private final String dbPassword = System.getenv().getOrDefault("TEST_DB_PASSWORD", "");
    private final List<MiniflowNode> nodes = new ArrayList<>();
    private MiniflowNode platforms;
    private int miniflowPort;

    @AfterEach
    void stopNodes() {
        nodes.forEach(MiniflowNode::close);
    }

    @Test
    void aNodeKilledAfterRunInstancesEndsWithExactlyThePlansInstances() throws Exception {
        miniflowPort = MiniflowNode.freePort();
        platforms = MiniflowNode.startEmulators("build-crash-platforms", "384m", miniflowPort);
        nodes.add(platforms);
        platforms.send("PUT", "/sandbox/admin/aliyun/settings",
            "{\"pendingMillis\":200,\"startingMillis\":300,\"commandMillis\":300}", null);
        MiniflowNode a = startNode("a");

        String app = "crash" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        a.send("POST", "/api/cloud-apps", JSON.writeValueAsString(Map.of("workspace", "Demo", "name", app,
            "runtime", "SPRING_BOOT", "description", "crash test")), "admin");
        JsonNode started = a.send("POST", "/api/cloud-apps/" + app + "/environments/test/builds",
            JSON.writeValueAsString(Map.of("plan", "STARTER", "months", 1)), "admin");
        long buildId = started.get("buildId").asLong();
        String outTradeNo = started.get("outTradeNo").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> environment(a, app).path("order").path("codeUrl").asText(null) != null);

        // The latency applies to every Aliyun action; RunInstances is the build's first one.
        platforms.send("PUT", "/sandbox/admin/aliyun/settings",
            "{\"latencyMillis\":" + RUN_INSTANCES_LATENCY_MILLIS + "}", null);
        platforms.send("POST", "/sandbox/admin/wechatpay/orders/" + outTradeNo + "/pay", "{}", null);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> runInstances().path("calls").asLong() >= 1);
        assertThat(recordedInstances(a, buildId)).as("ECS instances recorded before the kill").isZero();
        a.kill();
        assertThat(recordedInstances(a, buildId)).as("ECS instances recorded by the killed node").isZero();

        // The emulator finishes the purchase whose answer nobody reads any more.
        platforms.send("PUT", "/sandbox/admin/aliyun/settings", "{\"latencyMillis\":0}", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> runInstances().path("created").asLong() == 1);

        MiniflowNode b = startNode("b");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
            .until(() -> environment(b, app).get("status").asText(), "READY"::equals);

        List<String> atPlatform = instancesTaggedWith(buildId);
        assertThat(atPlatform).as("instances the platform holds for build %d", buildId).hasSize(1);
        assertThat(recordedInstanceIds(buildId)).containsExactlyInAnyOrderElementsOf(atPlatform);
        JsonNode runInstances = runInstances();
        assertThat(runInstances.get("created").asLong()).as("instances bought").isEqualTo(1);
        assertThat(runInstances.get("calls").asLong()).as("RunInstances calls: the lost one and its retry")
            .isEqualTo(2);
        assertThat(runInstances.get("clientTokenRepeats").asLong()).as("the retry answered from its ClientToken")
            .isEqualTo(1);
    }

    /** A Miniflow node on the port the platforms push to (the killed node's successor takes the same one). */
    private MiniflowNode startNode(String name) throws Exception {
        List<String> settings = new ArrayList<>(MiniflowNode.usingEmulatorsAt(platforms));
        settings.addAll(List.of(
            // A killed node's locked jobs become free again after this long.
            "--camunda.bpm.job-execution.lock-time-in-millis=10000",
            "--miniflow.cloud.build.instance-poll-interval=PT1S",
            "--miniflow.cloud.build.command-poll-interval=PT1S",
            "--miniflow.cloud.build.retry-cycle=R5/PT2S"));
        MiniflowNode node = MiniflowNode.start("build-crash-" + name, "512m", miniflowPort, dbUrl, dbUser,
            dbPassword, settings);
        nodes.add(node);
        return node;
    }

    private static JsonNode environment(MiniflowNode node, String app) throws Exception {
        return node.send("GET", "/api/cloud-apps/" + app + "/environments/test", null, "admin");
    }

    private JsonNode runInstances() throws Exception {
        return platforms.send("GET", "/sandbox/admin/aliyun/stats", null, null).path("RunInstances");
    }

    private static long recordedInstances(MiniflowNode node, long buildId) throws Exception {
        return node.queryLong("SELECT COUNT(*) FROM mf_cloud_resource WHERE build_id = " + buildId
            + " AND kind = 'ECS_INSTANCE'");
    }

    private List<String> recordedInstanceIds(long buildId) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             PreparedStatement s = c.prepareStatement("SELECT resource_id FROM mf_cloud_resource WHERE build_id = ?"
                 + " AND kind = 'ECS_INSTANCE'")) {
            s.setLong(1, buildId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** What the platform holds for the build, asked as a customer would: DescribeInstances by Miniflow's tag. */
    private List<String> instancesTaggedWith(long buildId) throws Exception {
        DefaultAcsClient aliyun = new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", "LTAIsandbox",
            "sandbox-secret"));
        DescribeInstancesRequest request = new DescribeInstancesRequest();
        DescribeInstancesRequest.Tag tag = new DescribeInstancesRequest.Tag();
        tag.setKey("miniflow-build");
        tag.setValue(String.valueOf(buildId));
        request.setTags(List.of(tag));
        request.setPageSize(100);
        request.setSysEndpoint("localhost:" + platforms.port() + "/sandbox/aliyun");
        request.setSysProtocol(ProtocolType.HTTP);
        DescribeInstancesResponse response = aliyun.getAcsResponse(request);
        return response.getInstances().stream().map(DescribeInstancesResponse.Instance::getInstanceId).toList();
    }
}
