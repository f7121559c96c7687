package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.shared.crypto.SecretBox;
import io.miniflow.shared.crypto.SecretReencryption;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * After a mini program authorizes Miniflow in the sandbox, the database holds its refresh token, its access token,
 * the component token and the verify ticket only encrypted, and the recorded pushes hold no credential: read with
 * plain SQL, as someone with a copy of the database would.
 */
@MiniflowIntegrationTest
class SecretsAtRestTest {

    @LocalServerPort
    int port;
    @Autowired
    WechatStore store;
    @Autowired
    WechatTokenManager tokens;
    @Autowired
    WechatSettings settings;
    @Autowired
    WechatClient client;
    @Autowired
    SecretBox secrets;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretReencryption reencryption;
    @Autowired
    Flyway flyway;

    WechatSandboxHttp sandbox;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> !client.templates(null).isEmpty());
    }

    @Test
    void shouldStoreNoWechatCredentialInPlainText() {
        JsonNode created = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1}").get(0);
        String appId = created.get("appid").asText();
        String refreshToken = created.get("refresh_token").asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(store.authorizer(appId))
            .hasValueSatisfying(a -> assertThat(a.refreshToken()).isEqualTo(refreshToken)));
        String accessToken = tokens.authorizerToken(appId);
        String componentToken = tokens.componentToken();
        String ticket = store.ticket(settings.componentAppId()).orElseThrow().ticket();

        String storedRefresh = jdbc.sql("SELECT refresh_token FROM mf_wechat_authorizer WHERE app_id = ?")
            .param(appId).query(String.class).single();
        assertThat(storedRefresh).startsWith("mf1:" + secrets.currentKeyId() + ":").doesNotContain(refreshToken);
        assertThat(jdbc.sql("SELECT token FROM mf_wechat_token WHERE kind = ? AND app_id = ?")
            .params(WechatTokenManager.AUTHORIZER, appId).query(String.class).single())
            .startsWith("mf1:").doesNotContain(accessToken);
        assertThat(jdbc.sql("SELECT token FROM mf_wechat_token WHERE kind = ? AND app_id = ?")
            .params(WechatTokenManager.COMPONENT, settings.componentAppId()).query(String.class).single())
            .startsWith("mf1:").doesNotContain(componentToken);
        assertThat(jdbc.sql("SELECT ticket FROM mf_wechat_ticket WHERE component_app_id = ?")
            .param(settings.componentAppId()).query(String.class).single()).startsWith("mf1:").doesNotContain(ticket);

        // No row of any of these tables holds a plain value, whichever test wrote it.
        List<String> plain = jdbc.sql("SELECT refresh_token FROM mf_wechat_authorizer "
            + "WHERE refresh_token NOT LIKE 'mf1:%' "
            + "UNION ALL SELECT token FROM mf_wechat_token WHERE token NOT LIKE 'mf1:%' "
            + "UNION ALL SELECT ticket FROM mf_wechat_ticket WHERE ticket NOT LIKE 'mf1:%'").query(String.class).list();
        assertThat(plain).isEmpty();

        // The pushes that carried the ticket and the authorization code are kept without them.
        List<String> bodies = jdbc.sql("SELECT body FROM mf_wechat_push WHERE info_type IN "
            + "('component_verify_ticket', 'authorized')").query(String.class).list();
        assertThat(bodies).isNotEmpty().noneMatch(b -> b.contains(ticket) || b.contains(refreshToken));
        assertThat(bodies).filteredOn(b -> b.contains("<AuthorizationCode>")).isNotEmpty()
            .allMatch(b -> b.contains("<AuthorizationCode>(removed)</AuthorizationCode>"));
        assertThat(bodies).filteredOn(b -> b.contains("<ComponentVerifyTicket>")).isNotEmpty()
            .allMatch(b -> b.contains("<ComponentVerifyTicket>(removed)</ComponentVerifyTicket>"));
    }

    @Test
    void shouldApplyTheJavaMigrationsWithTheSqlOnes() {
        assertThat(flyway.info().applied()).extracting(m -> m.getVersion().getVersion()).contains("21", "22", "23");
        assertThat(jdbc.sql("SELECT CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS "
            + "WHERE LOWER(TABLE_NAME) = 'mf_wechat_authorizer' AND LOWER(COLUMN_NAME) = 'refresh_token'")
            .query(Integer.class).single()).isEqualTo(WechatSecretColumnsMigration.LENGTH);
    }

    @Test
    void shouldEncryptARefreshTokenWrittenInPlainTextBeforeTheUpgradeAtStart() throws Exception {
        String appId = "wxplain" + System.nanoTime();
        jdbc.sql("INSERT INTO mf_wechat_authorizer (app_id, status, refresh_token, updated_at) "
            + "VALUES (?, 'REVOKED', 'plain-refresh-from-v1', CURRENT_TIMESTAMP)").param(appId).update();
        assertThat(store.authorizer(appId).orElseThrow().refreshToken()).as("read as it is until then")
            .isEqualTo("plain-refresh-from-v1");

        reencryption.run(null); // what the application runs at every start

        assertThat(jdbc.sql("SELECT refresh_token FROM mf_wechat_authorizer WHERE app_id = ?").param(appId)
            .query(String.class).single()).startsWith("mf1:" + secrets.currentKeyId() + ":")
            .doesNotContain("plain-refresh-from-v1");
        assertThat(store.authorizer(appId).orElseThrow().refreshToken()).isEqualTo("plain-refresh-from-v1");
        assertThat(reencryption.reencryptAll().reencrypted()).containsOnlyKeys("mf_wechat_ticket.ticket",
            "mf_wechat_token.token", "mf_wechat_authorizer.refresh_token", "mf_openapi_key.secret",
            "mf_cloud_certificate.private_key", "mf_cloud_database.password", "mf_cloud_deploy.download_token",
            "mf_notify_subscription.url", "mf_notify_subscription.secret", "mf_app_key.secret");
    }
}
