package io.miniflow.sandbox.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aliyuncs.slb.model.v20140515.DescribeHealthStatusRequest;
import com.aliyuncs.slb.model.v20140515.DescribeHealthStatusResponse;
import com.aliyuncs.slb.model.v20140515.StopLoadBalancerListenerRequest;
import com.fasterxml.jackson.databind.JsonNode;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The app the emulated servers run, driven as Miniflow drives it: deploy scripts with an {@code # xdeploy:} header
 * through the ECS adapter (Cloud Assistant), the SLB health check through the load balancer adapter. The package is
 * one of this application's own static files, fetched over HTTP.
 */
@MiniflowIntegrationTest
class AliyunEmulatedAppTest {

    private static final String PACKAGE_PATH = "/css/miniflow.css";

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    ComputePort compute;
    @Autowired
    LoadBalancerPort loadBalancers;

    @BeforeEach
    void shortTimings() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        settings("{\"pendingMillis\":20,\"startingMillis\":20,\"stoppingMillis\":20,\"commandMillis\":20,"
            + "\"appStartMillis\":0}");
    }

    @AfterEach
    void reset() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
    }

    @Test
    void anInstalledAppAnswersItsHealthCheckOnlyOnceItHasStarted() throws Exception {
        settings("{\"appStartMillis\":2000}");
        String server = running(1).get(0);

        ComputePort.CommandResult install = run(server, install("v1", packageSha256(), packageUrl() + "?v=1&t=a=b"));

        assertThat(install.exitCode()).isZero();
        assertThat(install.output()).contains("fetching package v1 (" + packageSha256().substring(0, 12) + ")",
            "checksum OK", "starting app v1", "Started Application in");
        assertThat(run(server, health()).exitCode()).as("before appStartMillis").isEqualTo(7);
        assertThat(app(server).path("healthy").asBoolean()).isFalse();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
            .until(() -> run(server, health()).exitCode() == 0);
        assertThat(run(server, health()).output()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(app(server).path("version").asText()).isEqualTo("v1");
        assertThat(app(server).path("healthy").asBoolean()).isTrue();
    }

    @Test
    void installOutputComesInTheThreeLogSectionsInOrder() throws Exception {
        String server = running(1).get(0);
        String output = run(server, install("v1", packageSha256(), packageUrl())).output();

        int xdeploy = output.indexOf("----- xdeploy.log -----\n");
        int stdout = output.indexOf("----- stdout.log -----\n");
        int stderr = output.indexOf("----- stderr.log -----\n");
        assertThat(xdeploy).isZero();
        assertThat(stdout).isGreaterThan(xdeploy);
        assertThat(stderr).isGreaterThan(stdout);
        assertThat(output.substring(xdeploy, stdout)).contains("checksum OK", "starting app v1");
        assertThat(output.substring(stdout, stderr)).contains("Started Application");
        assertThat(output.substring(stderr)).isEqualTo("----- stderr.log -----\n");
    }

    @Test
    void aWrongChecksumOrAMissingPackageFailsLikeTheScriptAndKeepsTheRunningApp() throws Exception {
        String server = running(1).get(0);
        assertThat(run(server, install("v1", packageSha256(), packageUrl())).exitCode()).isZero();

        ComputePort.CommandResult wrongSum = run(server, install("v2", "0".repeat(64), packageUrl()));
        assertThat(wrongSum.status()).isEqualTo(ComputePort.CommandStatus.FAILED);
        assertThat(wrongSum.exitCode()).isEqualTo(1);
        assertThat(wrongSum.output().substring(wrongSum.output().indexOf("----- stderr.log -----")))
            .contains("sha256sum: WARNING: 1 computed checksum did NOT match");

        ComputePort.CommandResult missing = run(server,
            install("v2", packageSha256(), "http://localhost:" + port + "/css/no-such-package.jar"));
        assertThat(missing.exitCode()).isEqualTo(22);
        assertThat(missing.output()).contains("curl: (22) The requested URL returned error: 404");

        assertThat(app(server).path("version").asText()).isEqualTo("v1");
        assertThat(run(server, health()).exitCode()).isZero();
    }

    @Test
    void aVersionMarkedUnhealthyFailsItsHealthCheckUntilMarkedHealthyAgain() throws Exception {
        String server = running(1).get(0);
        run(server, install("v3", packageSha256(), packageUrl()));
        assertThat(run(server, health()).exitCode()).isZero();

        versionHealth("{\"version\":\"v3\",\"healthy\":false}");
        ComputePort.CommandResult failing = run(server, health());
        assertThat(failing.exitCode()).isEqualTo(7);
        assertThat(failing.output()).isEqualTo("curl: (7) Failed to connect to 127.0.0.1 port 8080: Connection refused");
        assertThat(app(server).path("healthy").asBoolean()).isFalse();

        versionHealth("{\"version\":\"v3\",\"healthy\":true}");
        assertThat(run(server, health()).exitCode()).isZero();
    }

    @Test
    void stoppingTheAppOrItsServerMakesHealthFail() throws Exception {
        List<String> servers = running(2);
        for (String server : servers) {
            run(server, install("v1", packageSha256(), packageUrl()));
        }

        ComputePort.CommandResult stop = run(servers.get(0), "#!/bin/bash\n# xdeploy: stop\n/opt/miniflow/app/stop.sh\n");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.output()).startsWith("----- xdeploy.log -----\n").contains("stopping app v1");
        assertThat(run(servers.get(0), health()).exitCode()).isEqualTo(7);
        assertThat(app(servers.get(0)).path("running").asBoolean()).isFalse();
        assertThat(app(servers.get(0)).path("version").asText()).isEqualTo("v1");

        compute.stopInstance(servers.get(1));
        assertThat(app(servers.get(1)).path("running").asBoolean()).isFalse();
    }

    @Test
    void aMatchingCommandRuleStillDecidesOverTheHeader() throws Exception {
        settings("{\"commandRules\":[{\"contains\":\"runtime=PHP\",\"exitCode\":5,\"output\":\"disk full\"}]}");
        String server = running(1).get(0);

        ComputePort.CommandResult ruled = run(server, "# xdeploy: install version=v9 sha256=" + packageSha256()
            + " url=" + packageUrl() + " runtime=PHP\n");

        assertThat(ruled.exitCode()).isEqualTo(5);
        assertThat(ruled.output()).isEqualTo("disk full");
        assertThat(app(server).isMissingNode()).isTrue();
        assertThat(run(server, "systemctl restart nginx\n").output()).isEmpty();
    }

    @Test
    void theLoadBalancerSeesWhichServersAnswer() throws Exception {
        List<String> servers = running(2);
        LoadBalancerPort.LoadBalancer lb = loadBalancers.createLoadBalancer("env-health", true,
            IdempotencyKey.of("env-" + UUID.randomUUID(), "createLoadBalancer"));
        loadBalancers.addBackendServers(lb.loadBalancerId(),
            servers.stream().map(id -> new LoadBalancerPort.Backend(id, 100)).toList());
        loadBalancers.ensureHttpListener(lb.loadBalancerId(), 80, 8080);
        run(servers.get(0), install("v1", packageSha256(), packageUrl()));

        assertThat(loadBalancers.health(lb.loadBalancerId())).containsExactlyInAnyOrder(
            new LoadBalancerPort.BackendHealth(servers.get(0), 80, "normal"),
            new LoadBalancerPort.BackendHealth(servers.get(1), 80, "abnormal"));

        AliyunSdkClients aliyun = AliyunSdkClients.sandbox(port);
        DescribeHealthStatusRequest describe = new DescribeHealthStatusRequest();
        describe.setLoadBalancerId(lb.loadBalancerId());
        describe.setListenerPort(80);
        DescribeHealthStatusResponse.BackendServer first = aliyun.call(describe).getBackendServers().get(0);
        assertThat(first.getPort()).isEqualTo(8080);
        assertThat(first.getBizProtocol()).isEqualTo("http");
        assertThat(first.getServerIp()).startsWith("172.16.");

        StopLoadBalancerListenerRequest stopListener = new StopLoadBalancerListenerRequest();
        stopListener.setLoadBalancerId(lb.loadBalancerId());
        stopListener.setListenerPort(80);
        aliyun.call(stopListener);
        assertThat(loadBalancers.health(lb.loadBalancerId())).extracting(LoadBalancerPort.BackendHealth::status)
            .containsExactly("unavailable", "unavailable");

        assertThatThrownBy(() -> loadBalancers.health("lb-bp1nosuchbalancer0"))
            .isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.platformCode()).isEqualTo("InvalidLoadBalancerId.NotFound"));
    }

    @Test
    void theAdminEndpointsRefuseBodiesWithoutVersionOrVerdict() throws Exception {
        mvc.perform(post("/sandbox/admin/aliyun/health").contentType(MediaType.APPLICATION_JSON)
                .content("{\"healthy\":false}"))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.message").value("version is required"));
        mvc.perform(post("/sandbox/admin/aliyun/health").contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":\" \",\"healthy\":false}"))
            .andExpect(status().isBadRequest());
        mvc.perform(post("/sandbox/admin/aliyun/health").contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":\"v1\"}"))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.message").exists());
        mvc.perform(post("/sandbox/admin/aliyun/health").contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":\"v1\",\"healthy\":false}"))
            .andExpect(status().isOk());
        mvc.perform(get("/sandbox/admin/aliyun")).andExpect(jsonPath("$.unhealthyVersions[0]").value("v1"));
    }

    @Test
    void headerValuesSplitOnTheirFirstEqualsSign() {
        XdeployHeader header = XdeployHeader.in("#!/bin/bash\n#xdeploy: stop\n# xdeploy: install version=v1 "
            + "url=https://oss.example.com/p.jar?Expires=1&Signature=a%2Fb= runtime=NODEJS\n").orElseThrow();
        assertThat(header.action()).isEqualTo("install");
        assertThat(header.params()).containsEntry("url", "https://oss.example.com/p.jar?Expires=1&Signature=a%2Fb=")
            .containsEntry("version", "v1").containsEntry("runtime", "NODEJS");
        assertThat(XdeployHeader.in("echo '# xdeploy: stop'\n")).isEmpty();
    }

    private static String install(String version, String sha256, String url) {
        return "#!/bin/bash\nset -euo pipefail\n# xdeploy: install version=" + version + " sha256=" + sha256
            + " url=" + url + " runtime=SPRING_BOOT\ncurl -fsSL \"$URL\" -o /tmp/package.jar\n";
    }

    private static String health() {
        return "# xdeploy: health port=8080 path=/actuator/health\ncurl -fsS -i http://127.0.0.1:8080/actuator/health\n";
    }

    private String packageUrl() {
        return "http://localhost:" + port + PACKAGE_PATH;
    }

    private static String packageSha256() throws Exception {
        try (InputStream in = AliyunEmulatedAppTest.class.getResourceAsStream("/static" + PACKAGE_PATH)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }

    private List<String> running(int amount) {
        String env = UUID.randomUUID().toString();
        List<String> ids = compute.runInstances(new ComputePort.InstanceSpec("cn-hangzhou-h", "aliyun_3_x64",
            "ecs.g7.large", "sg-1", "vsw-1", "app-" + env, amount, 0, Map.of("miniflow-env", env)),
            IdempotencyKey.of("env-" + env, "createInstances"));
        await().atMost(Duration.ofSeconds(10)).until(() -> compute.describeInstances(ids).stream()
            .allMatch(i -> i.status() == ComputePort.InstanceStatus.RUNNING));
        return ids;
    }

    /** Runs the script on one server and waits for its result. */
    private ComputePort.CommandResult run(String server, String script) {
        String invocation = compute.runCommand(List.of(server), script,
            IdempotencyKey.of("cmd-" + UUID.randomUUID(), "run"));
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
            .until(() -> compute.commandResults(invocation).get(0),
                r -> r.status() != ComputePort.CommandStatus.RUNNING);
    }

    private JsonNode app(String server) throws Exception {
        String body = mvc.perform(get("/sandbox/admin/aliyun/apps")).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();
        for (JsonNode app : json.readTree(body)) {
            if (server.equals(app.path("instanceId").asText())) {
                return app;
            }
        }
        return json.missingNode();
    }

    private void settings(String body) throws Exception {
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isOk());
    }

    private void versionHealth(String body) throws Exception {
        mvc.perform(post("/sandbox/admin/aliyun/health").contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isOk());
    }
}
