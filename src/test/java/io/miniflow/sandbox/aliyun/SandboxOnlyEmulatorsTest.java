package io.miniflow.sandbox.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.aliyuncs.ecs.model.v20140526.DescribeInstancesRequest;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancersRequest;

import io.miniflow.cloud.ComputePort;
import io.miniflow.payment.PaymentPort;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import io.miniflow.sandbox.SandboxApplication;

/**
 * Under sandbox-only the Aliyun and WeChat Pay emulators and the webhook receiver serve alone; Miniflow's adapters
 * are not there.
 */
@SpringBootTest(classes = SandboxApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles({"sandbox-only", "test"})
class SandboxOnlyEmulatorsTest {

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ApplicationContext context;

    @Test
    void theEmulatorsServeWithoutMiniflow() throws Exception {
        AliyunSdkClients aliyun = AliyunSdkClients.sandbox(port);
        assertThat(aliyun.call(new DescribeInstancesRequest()).getRequestId()).isNotBlank();
        assertThat(aliyun.call(new DescribeLoadBalancersRequest()).getRequestId()).isNotBlank();
        mvc.perform(get("/sandbox/admin/wechatpay/merchant")).andExpect(status().isOk())
            .andExpect(jsonPath("$.platformPublicKeyId").isNotEmpty());
        mvc.perform(post("/sandbox/receiver/alone").content("{}")).andExpect(status().isOk());
        mvc.perform(get("/sandbox/admin/receiver/alone")).andExpect(jsonPath("$.count").value(1));
        assertThat(context.getBeanNamesForType(ComputePort.class)).isEmpty();
        assertThat(context.getBeanNamesForType(PaymentPort.class)).isEmpty();
    }
}
