package io.miniflow.sandbox.aliyun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * ClientToken idempotency as ECS and SLB apply it: a creating call with a token seen before returns the first
 * result (same resource ids); the same token with other parameters is refused with IdempotentParameterMismatch.
 */
@Component
class ClientTokens {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final AliyunSandboxControl control;

    ClientTokens(JdbcClient jdbc, ObjectMapper json, Clock clock, AliyunSandboxControl control) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.control = control;
    }

    /** Runs {@code create} unless the request's ClientToken was already used; callers hold the emulator's lock. */
    Map<String, Object> once(String product, RpcRequest request, Supplier<Map<String, Object>> create) {
        String token = request.get("ClientToken");
        if (token == null) {
            return create.get();
        }
        if (token.length() > 64 || !token.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw AliyunError.invalid("ClientToken", token);
        }
        String digest = digest(request.businessParams());
        Optional<Map<String, String>> seen = jdbc.sql("""
                SELECT params_digest, response FROM sandbox_aliyun_client_token
                WHERE product = ? AND action = ? AND client_token = ?""")
            .params(product, request.action(), token)
            .query((rs, n) -> Map.of("digest", rs.getString(1), "response", rs.getString(2)))
            .optional();
        if (seen.isPresent()) {
            if (!seen.get().get("digest").equals(digest)) {
                throw AliyunError.badRequest("IdempotentParameterMismatch",
                    "The specified parameters are different from before.");
            }
            control.stats(request.action()).clientTokenRepeats.incrementAndGet();
            return read(seen.get().get("response"));
        }
        Map<String, Object> result = create.get();
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_client_token (product, action, client_token, params_digest, response, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
            .params(product, request.action(), token, digest, write(result), Timestamp.from(clock.instant()))
            .update();
        return result;
    }

    private static String digest(Map<String, String> params) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            params.forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Map<String, Object> result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> read(String stored) {
        try {
            return json.readValue(stored, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
