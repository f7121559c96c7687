package io.miniflow.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** How long a nonce counts as used, and that old ones are forgotten. */
@MiniflowIntegrationTest
class OpenApiSignatureNoncesTest {

    @Autowired
    OpenApiNonces nonces;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aNonceCountsAsUsedForTenMinutesAndIsThenForgotten() {
        String appId = "mf" + Long.toHexString(System.nanoTime());
        seen(appId, "recent-nonce", Duration.ofMinutes(9));
        seen(appId, "stale-nonce1", Duration.ofMinutes(11));
        seen(appId, "stale-nonce2", Duration.ofMinutes(11));

        assertThat(nonces.firstUse(appId, "recent-nonce")).as("used 9 minutes ago").isFalse();
        assertThat(nonces.firstUse(appId, "stale-nonce1")).as("used 11 minutes ago").isTrue();
        assertThat(nonces.firstUse(appId, "stale-nonce1")).as("and now used again").isFalse();
        assertThat(nonces.firstUse("other" + appId.substring(2), "recent-nonce")).as("another appid's").isTrue();

        nonces.forgetOld();
        assertThat(jdbc.sql("SELECT nonce FROM mf_openapi_nonce WHERE app_id = ? ORDER BY nonce").param(appId)
            .query(String.class).list()).containsExactly("recent-nonce", "stale-nonce1");
    }

    private void seen(String appId, String nonce, Duration ago) {
        jdbc.sql("INSERT INTO mf_openapi_nonce (app_id, nonce, seen_at) VALUES (?, ?, ?)")
            .params(appId, nonce, Timestamp.from(Instant.now().minus(ago))).update();
    }
}
