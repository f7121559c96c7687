package io.miniflow.cloud.aliyun;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code miniflow.aliyun.*}: where and as whom Miniflow calls Aliyun. {@code endpoint} is a host (ecs.aliyuncs.com),
 * optionally with a scheme and a path (the sandbox: localhost:8080/sandbox/aliyun, which the SDK keeps in its URLs).
 * {@code slb-endpoint}, {@code rds-endpoint} and {@code dns-endpoint} default to the ECS endpoint with "ecs." replaced
 * by "slb.", "rds." and "alidns." (for the sandbox, whose endpoint has no "ecs.", the same place serves all products).
 * {@code protocol} (http/https) defaults to the endpoint's scheme, else http for localhost and https elsewhere.
 * {@code access-key-secret} may be written encrypted ({@code mf1:...}); {@link AliyunClientFactory} decrypts it.
 */
@ConfigurationProperties(prefix = "miniflow.aliyun")
public record AliyunProperties(String endpoint, String slbEndpoint, String rdsEndpoint, String dnsEndpoint,
                               String region, String accessKeyId, String accessKeySecret, String protocol) {

    /** Without the secret: settings get logged when a start-up fails. */
    @Override
    public String toString() {
        return "AliyunProperties[endpoint=" + endpoint + ", slbEndpoint=" + slbEndpoint
            + ", rdsEndpoint=" + rdsEndpoint + ", dnsEndpoint=" + dnsEndpoint + ", region=" + region
            + ", accessKeyId=" + accessKeyId + ", accessKeySecret=" + (accessKeySecret == null ? "none" : "set")
            + ", protocol=" + protocol + "]";
    }
}
