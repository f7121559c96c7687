package io.miniflow.openapi;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The nonces of accepted signed requests, in mf_openapi_nonce so that every node sees every other node's: a replay
 * sent to another node is refused as well. A nonce counts as used for {@link #MEMORY}; as that is twice the
 * timestamp tolerance, a captured request cannot come back once its nonce is forgotten.
 */
@Component
class OpenApiNonces {

    static final Duration MEMORY = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final Clock clock;

    OpenApiNonces(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Records the nonce for this appid; false when it was used within the last {@link #MEMORY}. The unique key
     * decides between concurrent requests, on any node. A row older than that (not yet cleaned up) is taken over
     * with a conditional update, which again only one request can win.
     */
    boolean firstUse(String appId, String nonce) {
        Instant now = Instant.now(clock);
        try {
            jdbc.sql("INSERT INTO mf_openapi_nonce (app_id, nonce, seen_at) VALUES (?, ?, ?)")
                .params(appId, nonce, Timestamp.from(now)).update();
            return true;
        } catch (DuplicateKeyException used) {
            return jdbc.sql("UPDATE mf_openapi_nonce SET seen_at = ? WHERE app_id = ? AND nonce = ? AND seen_at < ?")
                .params(Timestamp.from(now), appId, nonce, Timestamp.from(now.minus(MEMORY))).update() == 1;
        }
    }

    /** Every node does it; deleting what another node deleted already is harmless. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    int forgetOld() {
        return jdbc.sql("DELETE FROM mf_openapi_nonce WHERE seen_at < ?")
            .param(Timestamp.from(Instant.now(clock).minus(MEMORY))).update();
    }
}
