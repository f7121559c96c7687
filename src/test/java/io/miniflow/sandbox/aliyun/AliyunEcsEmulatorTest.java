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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import com.aliyuncs.ecs.model.v20140526.CreateInstanceRequest;
import com.aliyuncs.ecs.model.v20140526.CreateInstanceResponse;
import com.aliyuncs.ecs.model.v20140526.DeleteInstanceRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInstanceStatusRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInstanceStatusResponse;
import com.aliyuncs.ecs.model.v20140526.DescribeInstancesRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInstancesResponse;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationResultsRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationResultsResponse;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationsRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationsResponse;
import com.aliyuncs.ecs.model.v20140526.RunCommandRequest;
import com.aliyuncs.ecs.model.v20140526.RunCommandResponse;
import com.aliyuncs.ecs.model.v20140526.RunInstancesRequest;
import com.aliyuncs.ecs.model.v20140526.RunInstancesResponse;
import com.aliyuncs.ecs.model.v20140526.StartInstanceRequest;
import com.aliyuncs.ecs.model.v20140526.StopInstanceRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.FormatType;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** The real aliyun-java-sdk-ecs client against the emulator, changed only in its endpoint. */
@MiniflowIntegrationTest
class AliyunEcsEmulatorTest {

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;

    AliyunSdkClients aliyun;

    @BeforeEach
    void shortTimings() throws Exception {
        aliyun = AliyunSdkClients.sandbox(port);
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        settings("{\"pendingMillis\":50,\"startingMillis\":50,\"stoppingMillis\":50,\"commandMillis\":50}");
    }

    @AfterEach
    void resetControl() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
    }

    private void settings(String json) throws Exception {
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON).content(json))
            .andExpect(status().isOk());
    }

    private static RunInstancesRequest runInstances(String token, int amount) {
        RunInstancesRequest request = new RunInstancesRequest();
        request.setImageId("aliyun_3_x64_20G_alibase_20240528.vhd");
        request.setInstanceType("ecs.g7.large");
        request.setAmount(amount);
        request.setInternetMaxBandwidthOut(5);
        request.setClientToken(token);
        request.setTags(List.of(tag("env", "test-" + token)));
        return request;
    }

    private static RunInstancesRequest.Tag tag(String key, String value) {
        RunInstancesRequest.Tag tag = new RunInstancesRequest.Tag();
        tag.setKey(key);
        tag.setValue(value);
        return tag;
    }

    private String statusOf(String instanceId) throws ClientException {
        DescribeInstanceStatusRequest request = new DescribeInstanceStatusRequest();
        request.setInstanceIds(List.of(instanceId));
        DescribeInstanceStatusResponse response = aliyun.call(request);
        return response.getInstanceStatuses().stream().filter(s -> s.getInstanceId().equals(instanceId))
            .findFirst().orElseThrow().getStatus();
    }

    private String runningInstance() throws ClientException {
        String id = aliyun.call(runInstances(UUID.randomUUID().toString(), 1)).getInstanceIdSets().get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(statusOf(id)));
        return id;
    }

    @Test
    void runInstancesStartsThemWithPrivateAndPublicAddresses() throws Exception {
        String token = UUID.randomUUID().toString();
        RunInstancesResponse created = aliyun.call(runInstances(token, 2));
        assertThat(created.getRequestId()).isNotBlank();
        assertThat(created.getInstanceIdSets()).hasSize(2).allMatch(id -> id.startsWith("i-"));

        String first = created.getInstanceIdSets().get(0);
        assertThat(statusOf(first)).isIn("Pending", "Starting", "Running");
        await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(statusOf(first)));

        DescribeInstancesRequest describe = new DescribeInstancesRequest();
        describe.setTags(List.of(describeTag("env", "test-" + token)));
        DescribeInstancesResponse described = aliyun.call(describe);
        assertThat(described.getTotalCount()).isEqualTo(2);
        DescribeInstancesResponse.Instance instance = described.getInstances().stream()
            .filter(i -> i.getInstanceId().equals(first)).findFirst().orElseThrow();
        assertThat(instance.getStatus()).isEqualTo("Running");
        assertThat(instance.getPublicIpAddress()).singleElement().asString().startsWith("47.96.");
        assertThat(instance.getVpcAttributes().getPrivateIpAddress()).singleElement().asString().startsWith("172.16.");
        assertThat(instance.getTags()).extracting(DescribeInstancesResponse.Instance.Tag::getTagValue)
            .containsExactly("test-" + token);
    }

    private static DescribeInstancesRequest.Tag describeTag(String key, String value) {
        DescribeInstancesRequest.Tag tag = new DescribeInstancesRequest.Tag();
        tag.setKey(key);
        tag.setValue(value);
        return tag;
    }

    @Test
    void describeInstancesPagesAndFiltersByIds() throws Exception {
        List<String> ids = aliyun.call(runInstances(UUID.randomUUID().toString(), 3)).getInstanceIdSets();
        DescribeInstancesRequest request = new DescribeInstancesRequest();
        request.setInstanceIds("[\"" + String.join("\",\"", ids) + "\"]");
        request.setPageSize(2);
        request.setPageNumber(2);
        DescribeInstancesResponse page = aliyun.call(request);
        assertThat(page.getTotalCount()).isEqualTo(3);
        assertThat(page.getInstances()).extracting(DescribeInstancesResponse.Instance::getInstanceId)
            .containsExactly(ids.get(2));
    }

    @Test
    void theSameClientTokenReturnsTheSameInstancesAndOtherParametersAreRefused() throws Exception {
        String token = UUID.randomUUID().toString();
        List<String> first = aliyun.call(runInstances(token, 2)).getInstanceIdSets();
        List<String> again = aliyun.call(runInstances(token, 2)).getInstanceIdSets();
        assertThat(again).isEqualTo(first);

        DescribeInstancesRequest describe = new DescribeInstancesRequest();
        describe.setTags(List.of(describeTag("env", "test-" + token)));
        assertThat(aliyun.call(describe).getTotalCount()).as("no instance created twice").isEqualTo(2);

        assertThatThrownBy(() -> aliyun.call(runInstances(token, 3)))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("IdempotentParameterMismatch"));

        mvc.perform(get("/sandbox/admin/aliyun/stats"))
            .andExpect(jsonPath("$.RunInstances.calls").value(3))
            .andExpect(jsonPath("$.RunInstances.created").value(2))
            .andExpect(jsonPath("$.RunInstances.clientTokenRepeats").value(1))
            .andExpect(jsonPath("$.RunInstances.errors").value(1));
    }

    @Test
    void aWrongSecretIsRefused() {
        AliyunSdkClients wrong = new AliyunSdkClients(port, "LTAIsandbox", "not-the-secret");
        // The SDK compares the server's string to sign with its own: equal strings mean the secret is wrong, and it
        // reports that as SDK.InvalidAccessKeySecret; the server's code is SignatureDoesNotMatch.
        assertThatThrownBy(() -> wrong.call(new DescribeInstancesRequest()))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isIn("SignatureDoesNotMatch", "SDK.InvalidAccessKeySecret"));
    }

    @Test
    void anUnknownAccessKeyIsRefused() {
        AliyunSdkClients unknown = new AliyunSdkClients(port, "LTAIunknown", "sandbox-secret");
        assertThatThrownBy(() -> unknown.call(new DescribeInstancesRequest()))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccessKeyId.NotFound"));
    }

    @Test
    void aReusedNonceAndAnOldTimestampAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String nonce = UUID.randomUUID().toString();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        HttpResponse<String> first = http.send(signed(nonce, now), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"TotalCount\"");

        HttpResponse<String> replay = http.send(signed(nonce, now), HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("\"Code\":\"SignatureNonceUsed\"", "\"RequestId\"", "\"HostId\":\"ecs.aliyuncs.com\"");

        String old = Instant.now().minus(Duration.ofMinutes(16)).truncatedTo(ChronoUnit.SECONDS).toString();
        HttpResponse<String> expired = http.send(signed(UUID.randomUUID().toString(), old),
            HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("InvalidTimeStamp.Expired");
    }

    @Test
    void withoutFormatErrorsAndResultsAreXml() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        HttpResponse<String> ok = http.send(signed(UUID.randomUUID().toString(), now, null),
            HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("xml"));
        assertThat(ok.body()).contains("<DescribeInstancesResponse><RequestId>", "<TotalCount>");

        HttpResponse<String> unknownKey = http.send(HttpRequest.newBuilder(URI.create(signed(UUID.randomUUID().toString(),
            now, null).uri().toString().replace("LTAIsandbox", "LTAIother"))).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(unknownKey.statusCode()).isEqualTo(404);
        assertThat(unknownKey.body()).contains("<Error><RequestId>", "<HostId>ecs.aliyuncs.com</HostId>",
            "<Code>InvalidAccessKeyId.NotFound</Code>", "<Message>");
    }

    private HttpRequest signed(String nonce, String timestamp) {
        return signed(nonce, timestamp, "JSON");
    }

    /** A request signed by hand, as a client without the SDK would (and the way the documentation describes). */
    private HttpRequest signed(String nonce, String timestamp, String format) {
        Map<String, String> params = new TreeMap<>(Map.of("Action", "DescribeInstances", "Version", "2014-05-26",
            "RegionId", "cn-hangzhou", "AccessKeyId", "LTAIsandbox", "SignatureMethod", "HMAC-SHA1",
            "SignatureVersion", "1.0", "SignatureNonce", nonce, "Timestamp", timestamp));
        if (format != null) {
            params.put("Format", format);
        }
        params.put("Signature", RpcSignature.sign("sandbox-secret", RpcSignature.stringToSign("GET", params)));
        String query = params.entrySet().stream()
            .map(e -> RpcSignature.percentEncode(e.getKey()) + "=" + RpcSignature.percentEncode(e.getValue()))
            .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sandbox/aliyun/?" + query)).GET().build();
    }

    @Test
    void actionsThatDoNotFitTheStateAreRefused() throws Exception {
        String id = runningInstance();
        StartInstanceRequest start = new StartInstanceRequest();
        start.setInstanceId(id);
        assertThatThrownBy(() -> aliyun.call(start)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("IncorrectInstanceStatus"));

        DeleteInstanceRequest deleteRunning = new DeleteInstanceRequest();
        deleteRunning.setInstanceId(id);
        assertThatThrownBy(() -> aliyun.call(deleteRunning)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("IncorrectInstanceStatus"));

        StopInstanceRequest stop = new StopInstanceRequest();
        stop.setInstanceId(id);
        aliyun.call(stop);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Stopped".equals(statusOf(id)));
        aliyun.call(deleteRunning);

        assertThatThrownBy(() -> aliyun.call(start)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidInstanceId.NotFound"));
    }

    @Test
    void createInstanceEndsStoppedWithoutPublicAddress() throws Exception {
        CreateInstanceRequest request = new CreateInstanceRequest();
        request.setImageId("img");
        request.setInstanceType("ecs.g7.large");
        CreateInstanceResponse created = aliyun.call(request);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Stopped".equals(statusOf(created.getInstanceId())));
        DescribeInstancesRequest describe = new DescribeInstancesRequest();
        describe.setInstanceIds("[\"" + created.getInstanceId() + "\"]");
        assertThat(aliyun.call(describe).getInstances().get(0).getPublicIpAddress()).isEmpty();
    }

    @Test
    void throttlingAndServerFaultsReachTheClientWithTheirCodes() throws Exception {
        mvc.perform(post("/sandbox/admin/aliyun/faults").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"DescribeInstances\",\"code\":\"Throttling\"}")).andExpect(status().isOk());
        mvc.perform(post("/sandbox/admin/aliyun/faults").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"DescribeInstances\",\"code\":\"ServiceUnavailable\"}")).andExpect(status().isOk());
        assertThatThrownBy(() -> aliyun.call(new DescribeInstancesRequest()))
            .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("Throttling"));
        assertThatThrownBy(() -> aliyun.call(new DescribeInstancesRequest()))
            .isInstanceOfSatisfying(ServerException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("ServiceUnavailable"));
        assertThat(aliyun.call(new DescribeInstancesRequest()).getRequestId()).isNotBlank();
    }

    @Test
    void stockOutRefusesCreation() throws Exception {
        settings("{\"stockOut\":[\"ecs.g7.large\"]}");
        assertThatThrownBy(() -> aliyun.call(runInstances(UUID.randomUUID().toString(), 1)))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("OperationDenied.NoStock"));
    }

    @Test
    void xmlIsServedWhenAskedFor() throws Exception {
        String id = aliyun.call(runInstances(UUID.randomUUID().toString(), 1)).getInstanceIdSets().get(0);
        DescribeInstancesRequest request = new DescribeInstancesRequest();
        request.setSysAcceptFormat(FormatType.XML);
        request.setInstanceIds("[\"" + id + "\"]");
        DescribeInstancesResponse response = aliyun.call(request);
        assertThat(response.getInstances()).extracting(DescribeInstancesResponse.Instance::getInstanceId)
            .containsExactly(id);
    }

    @Test
    void runCommandReportsOutputAndExitCodeByRule() throws Exception {
        settings("{\"commandRules\":[{\"contains\":\"fail-me\",\"exitCode\":3,\"output\":\"broken\"}]}");
        String id = runningInstance();

        RunCommandRequest ok = new RunCommandRequest();
        ok.setType("RunShellScript");
        ok.setCommandContent("systemctl restart app");
        ok.setInstanceIds(List.of(id));
        RunCommandResponse invoked = aliyun.call(ok);

        DescribeInvocationResultsRequest results = new DescribeInvocationResultsRequest();
        results.setInvokeId(invoked.getInvokeId());
        await().atMost(Duration.ofSeconds(10)).until(() -> "Success".equals(aliyun.call(results).getInvocation()
            .getInvocationResults().get(0).getInvocationStatus()));
        assertThat(aliyun.call(results).getInvocation().getInvocationResults().get(0).getExitCode()).isZero();

        RunCommandRequest failing = new RunCommandRequest();
        failing.setType("RunShellScript");
        failing.setCommandContent("./deploy.sh fail-me");
        failing.setInstanceIds(List.of(id));
        String invokeId = aliyun.call(failing).getInvokeId();
        DescribeInvocationsRequest invocations = new DescribeInvocationsRequest();
        invocations.setInvokeId(invokeId);
        invocations.setIncludeOutput(true);
        invocations.setContentEncoding("PlainText");
        await().atMost(Duration.ofSeconds(10)).until(() -> "Failed".equals(aliyun.call(invocations).getInvocations()
            .get(0).getInvocationStatus()));
        DescribeInvocationsResponse.Invocation.InvokeInstance result =
            aliyun.call(invocations).getInvocations().get(0).getInvokeInstances().get(0);
        assertThat(result.getExitCode()).isEqualTo(3L);
        assertThat(result.getOutput()).isEqualTo("broken");
    }
}
