package io.miniflow.sandbox.aliyun;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;

/** The real aliyun-java-sdk-core client, pointed at the emulator by endpoint only (test helper). */
final class AliyunSdkClients {

    static final String REGION = "cn-hangzhou";

    private final DefaultAcsClient client;
    private final String endpoint;

    AliyunSdkClients(int port, String accessKeyId, String secret) {
        this.client = new DefaultAcsClient(DefaultProfile.getProfile(REGION, accessKeyId, secret));
        this.endpoint = "localhost:" + port + "/sandbox/aliyun";
    }

    static AliyunSdkClients sandbox(int port) {
        return new AliyunSdkClients(port, "LTAIsandbox", "sandbox-secret");
    }

    <T extends AcsResponse> T call(AcsRequest<T> request) throws ClientException {
        request.setSysEndpoint(endpoint);
        request.setSysProtocol(ProtocolType.HTTP);
        return client.getAcsResponse(request);
    }
}
