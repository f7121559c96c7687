package io.miniflow.bench;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.ComputePort;
import io.miniflow.payment.PaymentPort;
import io.miniflow.shared.IdempotencyKey;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Calls per second through the real SDKs (via Miniflow's adapters) against the emulators in the same JVM, and what
 * the signatures cost on their own: the Aliyun HMAC-SHA1 over a canonical query, and the RSA-2048 SHA-256 sign and
 * verify that WeChat Pay does for every request, response and notification.
 */
@Tag("bench")
@MiniflowIntegrationTest
class CloudSdkBenchmark {

    private static final int WARMUP = 200;
    private static final int CALLS = 1000;

    @Autowired
    ComputePort compute;
    @Autowired
    PaymentPort payments;
    @Autowired
    MockMvc mvc;

    @Test
    void measureSdkCallsAndSignatures() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        String env = UUID.randomUUID().toString();
        List<String> ids = compute.runInstances(new ComputePort.InstanceSpec("cn-hangzhou-h", "img", "ecs.g7.large",
            null, null, "bench", 5, 0, Map.of("bench", env)), IdempotencyKey.of("bench-" + env, "instances"));
        String order = payments.createNativeOrder(new PaymentPort.OrderRequest(
            IdempotencyKey.of("bench-" + env, "order"), "bench", 100, null)).outTradeNo();

        Runnable describe = () -> compute.describeInstances(ids);
        Runnable run = () -> compute.runInstances(new ComputePort.InstanceSpec("cn-hangzhou-h", "img", "ecs.g7.large",
            null, null, "bench", 5, 0, Map.of("bench", env)), IdempotencyKey.of("bench-" + env, "instances"));
        Runnable query = () -> payments.queryOrder(order);

        double describe1 = rate(describe, 1);
        double describe4 = rate(describe, 4);
        double repeat1 = rate(run, 1);
        double query1 = rate(query, 1);
        double query4 = rate(query, 4);

        double hmacMicros = hmacMicros();
        double[] rsa = rsaMicros();

        BenchmarkReport.writeSection("cloud-sdks", String.format("""
            ## Cloud and payment SDKs against the emulators

            Miniflow's adapters on the real SDKs (aliyun-java-sdk-ecs, wechatpay-java) calling the emulators of the
            same JVM over HTTP on localhost, in-memory H2; %d calls after %d warm-up calls. Each call is a full round
            trip: the SDK signs, the emulator verifies, reads the database, answers (WeChat Pay: signs the answer, which
            the SDK verifies).

            | call | threads | calls/s |
            |---|---|---|
            | ECS DescribeInstances (5 ids) | 1 | %.0f |
            | ECS DescribeInstances (5 ids) | 4 | %.0f |
            | ECS RunInstances repeated with its ClientToken (answered from the token table) | 1 | %.0f |
            | WeChat Pay query order by out_trade_no | 1 | %.0f |
            | WeChat Pay query order by out_trade_no | 4 | %.0f |

            Signature cost alone (one thread, after warm-up):

            | operation | µs per operation |
            |---|---|
            | Aliyun RPC signature: canonical query of 15 parameters + HMAC-SHA1 | %.1f |
            | WeChat Pay RSA-2048 SHA256withRSA sign (merchant request, platform answer) | %.0f |
            | WeChat Pay RSA-2048 SHA256withRSA verify | %.1f |

            Reading: a WeChat Pay round trip includes two RSA signatures (merchant request, platform answer) and two
            verifications, which on one thread is about half of its time; the Aliyun HMAC is negligible next to the
            HTTP round trip. Both rates are far above what an environment build needs (a handful of calls per environment).
            """, CALLS, WARMUP, describe1, describe4, repeat1, query1, query4, hmacMicros, rsa[0], rsa[1]));
    }

    private static double rate(Runnable call, int threads) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            call.run();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < CALLS / threads; i++) {
                        call.run();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return (CALLS / threads) * threads / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    /** The same steps the emulator takes to check a request (sorting, percent-encoding, HMAC). */
    private static double hmacMicros() throws Exception {
        Map<String, String> params = new TreeMap<>();
        for (int i = 0; i < 15; i++) {
            params.put("Param" + i, "value " + i + " with spaces/and*stars~");
        }
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("sandbox-secret&".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        int n = 20_000;
        long sink = 0;
        long start = 0;
        for (int round = 0; round < 2; round++) {
            start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                StringBuilder canonical = new StringBuilder();
                for (Map.Entry<String, String> e : params.entrySet()) {
                    canonical.append(encode(e.getKey())).append('=').append(encode(e.getValue())).append('&');
                }
                sink += mac.doFinal(("POST&%2F&" + encode(canonical.toString())).getBytes(StandardCharsets.UTF_8))[0];
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return (System.nanoTime() - start) / 1e3 / n;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
            .replace("%7E", "~");
    }

    private static double[] rsaMicros() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        byte[] message = ("POST\n/v3/pay/transactions/native\n1700000000\nnonce\n" + "{\"a\":1}".repeat(40) + "\n")
            .getBytes(StandardCharsets.UTF_8);
        int n = 2000;
        byte[] signature = null;
        long signStart = 0;
        for (int round = 0; round < 2; round++) {
            signStart = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(keys.getPrivate());
                s.update(message);
                signature = s.sign();
            }
        }
        double sign = (System.nanoTime() - signStart) / 1e3 / n;
        long verifyStart = 0;
        for (int round = 0; round < 2; round++) {
            verifyStart = System.nanoTime();
            for (int i = 0; i < n * 5; i++) {
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(keys.getPublic());
                v.update(message);
                if (!v.verify(signature)) {
                    throw new IllegalStateException("verification failed");
                }
            }
        }
        double verify = (System.nanoTime() - verifyStart) / 1e3 / (n * 5);
        return new double[] {sign, verify};
    }
}
