package io.miniflow.sandbox.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.aliyuncs.ecs.model.v20140526.DescribeInstanceStatusRequest;
import com.aliyuncs.ecs.model.v20140526.RunInstancesRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.slb.model.v20140515.AddBackendServersRequest;
import com.aliyuncs.slb.model.v20140515.CreateLoadBalancerHTTPSListenerRequest;
import com.aliyuncs.slb.model.v20140515.CreateLoadBalancerRequest;
import com.aliyuncs.slb.model.v20140515.CreateLoadBalancerResponse;
import com.aliyuncs.slb.model.v20140515.DeleteLoadBalancerRequest;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancerAttributeRequest;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancerAttributeResponse;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancerHTTPSListenerAttributeRequest;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancersRequest;
import com.aliyuncs.slb.model.v20140515.RemoveBackendServersRequest;
import com.aliyuncs.slb.model.v20140515.SetBackendServersRequest;
import com.aliyuncs.slb.model.v20140515.SetLoadBalancerStatusRequest;
import com.aliyuncs.slb.model.v20140515.StartLoadBalancerListenerRequest;
import com.aliyuncs.slb.model.v20140515.UploadServerCertificateRequest;
import com.aliyuncs.slb.model.v20140515.UploadServerCertificateResponse;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** The real aliyun-java-sdk-slb client against the emulator. */
@MiniflowIntegrationTest
class AliyunSlbEmulatorTest {

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;

    AliyunSdkClients aliyun;

    @BeforeEach
    void shortTimings() throws Exception {
        aliyun = AliyunSdkClients.sandbox(port);
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON)
            .content("{\"pendingMillis\":20,\"startingMillis\":20,\"stoppingMillis\":20}")).andExpect(status().isOk());
    }

    @AfterEach
    void resetControl() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
    }

    private String instance(boolean waitForRunning) throws Exception {
        RunInstancesRequest run = new RunInstancesRequest();
        run.setImageId("img");
        run.setInstanceType("ecs.g7.large");
        String id = aliyun.call(run).getInstanceIdSets().get(0);
        if (waitForRunning) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                DescribeInstanceStatusRequest s = new DescribeInstanceStatusRequest();
                s.setInstanceIds(List.of(id));
                return "Running".equals(aliyun.call(s).getInstanceStatuses().get(0).getStatus());
            });
        }
        return id;
    }

    private String loadBalancer(String token) throws ClientException {
        CreateLoadBalancerRequest create = new CreateLoadBalancerRequest();
        create.setLoadBalancerName("env-test");
        create.setAddressType("internet");
        create.setClientToken(token);
        return aliyun.call(create).getLoadBalancerId();
    }

    private static String json(String... serverAndWeight) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < serverAndWeight.length; i += 2) {
            json.append(i == 0 ? "" : ",").append("{\"ServerId\":\"").append(serverAndWeight[i])
                .append("\",\"Weight\":\"").append(serverAndWeight[i + 1]).append("\",\"Type\":\"ecs\"}");
        }
        return json.append("]").toString();
    }

    @Test
    void createLoadBalancerIsIdempotentByClientToken() throws Exception {
        String token = UUID.randomUUID().toString();
        CreateLoadBalancerRequest create = new CreateLoadBalancerRequest();
        create.setLoadBalancerName("env-idem");
        create.setClientToken(token);
        CreateLoadBalancerResponse first = aliyun.call(create);
        CreateLoadBalancerResponse again = aliyun.call(create);
        assertThat(again.getLoadBalancerId()).isEqualTo(first.getLoadBalancerId());
        assertThat(first.getAddress()).startsWith("120.55.");

        DescribeLoadBalancersRequest describe = new DescribeLoadBalancersRequest();
        describe.setLoadBalancerName("env-idem");
        assertThat(aliyun.call(describe).getLoadBalancers()).hasSize(1);

        CreateLoadBalancerRequest other = new CreateLoadBalancerRequest();
        other.setLoadBalancerName("another-name");
        other.setClientToken(token);
        assertThatThrownBy(() -> aliyun.call(other)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("IdempotentParameterMismatch"));
    }

    @Test
    void backendServersCarryWeightsAndMustBeRunning() throws Exception {
        String lb = loadBalancer(UUID.randomUUID().toString());
        String a = instance(true);
        String b = instance(true);

        AddBackendServersRequest add = new AddBackendServersRequest();
        add.setLoadBalancerId(lb);
        add.setBackendServers(json(a, "100", b, "100"));
        assertThat(aliyun.call(add).getBackendServers()).hasSize(2);

        SetBackendServersRequest drain = new SetBackendServersRequest();
        drain.setLoadBalancerId(lb);
        drain.setBackendServers(json(a, "0"));
        aliyun.call(drain);

        DescribeLoadBalancerAttributeRequest attribute = new DescribeLoadBalancerAttributeRequest();
        attribute.setLoadBalancerId(lb);
        DescribeLoadBalancerAttributeResponse described = aliyun.call(attribute);
        assertThat(described.getBackendServers())
            .extracting(s -> s.getServerId() + "=" + s.getWeight())
            .containsExactlyInAnyOrder(a + "=0", b + "=100");

        assertThatThrownBy(() -> aliyun.call(add)).as("duplicates").isInstanceOf(ClientException.class);

        AddBackendServersRequest pending = new AddBackendServersRequest();
        pending.setLoadBalancerId(lb);
        settingsSlowStart();
        pending.setBackendServers(json(instance(false), "100"));
        assertThatThrownBy(() -> aliyun.call(pending)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("IncorrectBackendServerStatus"));

        AddBackendServersRequest badWeight = new AddBackendServersRequest();
        badWeight.setLoadBalancerId(lb);
        badWeight.setBackendServers(json(a, "101"));
        assertThatThrownBy(() -> aliyun.call(badWeight)).isInstanceOf(ClientException.class);

        AddBackendServersRequest tooMany = new AddBackendServersRequest();
        tooMany.setLoadBalancerId(lb);
        tooMany.setBackendServers(json(IntStream.range(0, 21).mapToObj(i -> List.of("i-x" + i, "10"))
            .flatMap(List::stream).toArray(String[]::new)));
        assertThatThrownBy(() -> aliyun.call(tooMany)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidParameter.BackendServers"));

        RemoveBackendServersRequest remove = new RemoveBackendServersRequest();
        remove.setLoadBalancerId(lb);
        remove.setBackendServers("[\"" + a + "\"]");
        assertThat(aliyun.call(remove).getBackendServers()).extracting(s -> s.getServerId()).containsExactly(b);
    }

    private void settingsSlowStart() throws Exception {
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON)
            .content("{\"pendingMillis\":60000}")).andExpect(status().isOk());
    }

    @Test
    void httpsListenerNeedsAMatchingCertificateAndStartsStopped() throws Exception {
        String lb = loadBalancer(UUID.randomUUID().toString());

        UploadServerCertificateRequest mismatch = new UploadServerCertificateRequest();
        mismatch.setServerCertificate(resource("cert.pem"));
        mismatch.setPrivateKey(resource("other-key.pem"));
        assertThatThrownBy(() -> aliyun.call(mismatch)).isInstanceOf(ClientException.class);

        UploadServerCertificateRequest notPem = new UploadServerCertificateRequest();
        notPem.setServerCertificate("hello");
        notPem.setPrivateKey(resource("key.pem"));
        assertThatThrownBy(() -> aliyun.call(notPem)).isInstanceOf(ClientException.class);

        UploadServerCertificateRequest upload = new UploadServerCertificateRequest();
        upload.setServerCertificate(resource("cert.pem"));
        upload.setPrivateKey(resource("key.pem"));
        UploadServerCertificateResponse certificate = aliyun.call(upload);
        assertThat(certificate.getCommonName()).isEqualTo("app.sandbox.example");
        assertThat(certificate.getFingerprint()).matches("([0-9a-f]{2}:){19}[0-9a-f]{2}");

        CreateLoadBalancerHTTPSListenerRequest listener = new CreateLoadBalancerHTTPSListenerRequest();
        listener.setLoadBalancerId(lb);
        listener.setListenerPort(443);
        listener.setBackendServerPort(8080);
        listener.setBandwidth(-1);
        listener.setStickySession("off");
        listener.setHealthCheck("on");
        listener.setServerCertificateId(certificate.getServerCertificateId());
        aliyun.call(listener);
        assertThatThrownBy(() -> aliyun.call(listener)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("ListenerAlreadyExists"));

        DescribeLoadBalancerAttributeRequest attribute = new DescribeLoadBalancerAttributeRequest();
        attribute.setLoadBalancerId(lb);
        assertThat(aliyun.call(attribute).getListenerPortsAndProtocol())
            .extracting(l -> l.getListenerPort() + "/" + l.getListenerProtocol())
            .containsExactly("443/https");
        DescribeLoadBalancerHTTPSListenerAttributeRequest listenerState = new DescribeLoadBalancerHTTPSListenerAttributeRequest();
        listenerState.setLoadBalancerId(lb);
        listenerState.setListenerPort(443);
        assertThat(aliyun.call(listenerState).getStatus()).as("created stopped").isEqualTo("stopped");

        StartLoadBalancerListenerRequest start = new StartLoadBalancerListenerRequest();
        start.setLoadBalancerId(lb);
        start.setListenerPort(443);
        aliyun.call(start);
        assertThat(aliyun.call(listenerState).getStatus()).isEqualTo("running");

        SetLoadBalancerStatusRequest inactive = new SetLoadBalancerStatusRequest();
        inactive.setLoadBalancerId(lb);
        inactive.setLoadBalancerStatus("inactive");
        aliyun.call(inactive);
        assertThat(aliyun.call(attribute).getLoadBalancerStatus()).isEqualTo("inactive");

        DeleteLoadBalancerRequest deletion = new DeleteLoadBalancerRequest();
        deletion.setLoadBalancerId(lb);
        aliyun.call(deletion);
        assertThatThrownBy(() -> aliyun.call(attribute)).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidLoadBalancerId.NotFound"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AliyunSlbEmulatorTest.class.getResourceAsStream("/sandbox-aliyun/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
