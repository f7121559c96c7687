package io.miniflow.cloud.aliyun;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;

import io.miniflow.cloud.CloudErrors;
import io.miniflow.shared.PlatformCalls;
import io.miniflow.shared.QuickRetries;
import io.miniflow.shared.PlatformException;
import io.miniflow.shared.crypto.SecretBox;

import jakarta.annotation.PreDestroy;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The one place that builds the Aliyun client (aliyun-java-sdk-core) from {@code miniflow.aliyun.*} and sends
 * requests: it sets endpoint and protocol on every request and turns every SDK exception into a
 * {@link io.miniflow.shared.PlatformException} through {@link CloudErrors}. Adapters never catch SDK exceptions themselves.
 *
 * <p>The settings are read at first use, not at startup: a deployment that never calls Aliyun needs no credentials,
 * and the sandbox endpoint can name the port the server actually got ({@code local.server.port}).
 */
@Component
public class AliyunClientFactory {

    /** The products Miniflow uses, each with its own endpoint. */
    public enum Product {
        ECS("ecs."), SLB("slb."), RDS("rds."), DNS("alidns.");

        private final String hostPrefix;

        Product(String hostPrefix) {
            this.hostPrefix = hostPrefix;
        }
    }

    private record Client(IAcsClient acs, Map<Product, String> endpoints, ProtocolType protocol, String region) {
    }

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Environment environment;
    private final SecretBox secrets;
    private final PlatformCalls calls;
    private final QuickRetries.Platform retries;
    private volatile Client client;

    public AliyunClientFactory(Environment environment, SecretBox secrets, PlatformCalls calls,
                               QuickRetries quickRetries) {
        this.environment = environment;
        this.secrets = secrets;
        this.calls = calls;
        this.retries = quickRetries.forPlatform("aliyun", CloudErrors::quickRetry, AliyunClientFactory::code);
    }

    private Client client() {
        Client built = client;
        if (built == null) {
            synchronized (this) {
                if (client == null) {
                    client = build(Binder.get(environment).bind("miniflow.aliyun", AliyunProperties.class)
                        .orElseThrow(() -> new IllegalStateException("miniflow.aliyun.* is not configured")), secrets);
                }
                built = client;
            }
        }
        return built;
    }

    static Client build(AliyunProperties properties, SecretBox secrets) {
        String endpoint = require(properties.endpoint(), "endpoint");
        String ecs = withoutScheme(endpoint);
        Map<Product, String> endpoints = new EnumMap<>(Product.class);
        endpoints.put(Product.ECS, ecs);
        endpoints.put(Product.SLB, endpoint(properties.slbEndpoint(), ecs, Product.SLB));
        endpoints.put(Product.RDS, endpoint(properties.rdsEndpoint(), ecs, Product.RDS));
        endpoints.put(Product.DNS, endpoint(properties.dnsEndpoint(), ecs, Product.DNS));
        DefaultProfile profile = DefaultProfile.getProfile(require(properties.region(), "region"),
            require(properties.accessKeyId(), "access-key-id"),
            secrets.decryptIfEncrypted(require(properties.accessKeySecret(), "access-key-secret")));
        // Said here, not left to the SDK's defaults: no call may hold a job longer than its lock (docs/operations.md).
        profile.getHttpClientConfig().setConnectionTimeoutMillis(CONNECT_TIMEOUT.toMillis());
        profile.getHttpClientConfig().setReadTimeoutMillis(READ_TIMEOUT.toMillis());
        IAcsClient acs = new DefaultAcsClient(profile);
        return new Client(acs, Map.copyOf(endpoints), protocol(properties.protocol(), endpoint, ecs), properties.region());
    }

    /** The configured endpoint of the product, else the ECS one with the product's host prefix, else ECS's own. */
    private static String endpoint(String configured, String ecs, Product product) {
        if (configured != null && !configured.isBlank()) {
            return withoutScheme(configured);
        }
        return ecs.startsWith("ecs.") ? product.hostPrefix + ecs.substring(4) : ecs;
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("miniflow.aliyun." + name + " is not set");
        }
        return value;
    }

    private static String withoutScheme(String endpoint) {
        return endpoint.replaceFirst("^https?://", "");
    }

    private static ProtocolType protocol(String configured, String endpoint, String host) {
        if (configured != null && !configured.isBlank()) {
            return "http".equals(configured.toLowerCase(Locale.ROOT)) ? ProtocolType.HTTP : ProtocolType.HTTPS;
        }
        if (endpoint.startsWith("http://")) {
            return ProtocolType.HTTP;
        }
        if (endpoint.startsWith("https://")) {
            return ProtocolType.HTTPS;
        }
        return host.startsWith("localhost") || host.startsWith("127.0.0.1") ? ProtocolType.HTTP : ProtocolType.HTTPS;
    }

    public String region() {
        return client().region();
    }

    /**
     * Sends one request to the product's endpoint; SDK failures come out as PlatformException. Each call is timed
     * as {@link PlatformCalls#CALLS} with the request's action and Aliyun's error code; throttling and a service
     * failing in passing are tried again at once a few times ({@link CloudErrors#quickRetry}). Requests that create
     * carry a ClientToken, so a repeated one creates nothing twice.
     */
    public <T extends AcsResponse> T call(Product product, AcsRequest<T> request) {
        Client c = client();
        request.setSysEndpoint(c.endpoints().get(product));
        request.setSysProtocol(c.protocol());
        String action = request.getSysActionName();
        return retries.call(action, () -> calls.record("aliyun", action, () -> {
            try {
                return c.acs().getAcsResponse(request);
            } catch (ServerException e) {
                throw CloudErrors.ALIYUN.translate(e.getErrCode(), 500, e.getRequestId(), e.getErrMsg());
            } catch (ClientException e) {
                throw CloudErrors.ALIYUN.translate(e.getErrCode(), 400, e.getRequestId(), e.getErrMsg());
            }
        }, AliyunClientFactory::code));
    }

    private static String code(RuntimeException e) {
        return e instanceof PlatformException p ? p.platformCode() : e.getClass().getSimpleName();
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.acs().shutdown();
        }
    }
}
