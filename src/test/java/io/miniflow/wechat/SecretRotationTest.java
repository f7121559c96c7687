package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.miniflow.shared.crypto.MasterKey;
import io.miniflow.shared.crypto.SecretBox;
import io.miniflow.shared.crypto.SecretBoxException;
import io.miniflow.shared.crypto.SecretReencryption;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Master key rotation and the upgrade of plain rows, on Miniflow's real schema (every migration, H2): each "start" is
 * a WechatStore and a SecretReencryption over the same database with the keys that start would be configured with.
 */
class SecretRotationTest {

    static final MasterKey A = MasterKey.generate("a");
    static final MasterKey B = MasterKey.generate("b");
    static final String AUTHORIZER = WechatTokenManager.AUTHORIZER;
    static final String COMPONENT = WechatTokenManager.COMPONENT;

    DataSource dataSource;
    JdbcClient jdbc;

    @BeforeEach
    void migrate() {
        dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
            "jdbc:h2:mem:rotation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        jdbc = JdbcClient.create(dataSource);
        flyway(null).migrate();
    }

    private Flyway flyway(String target) {
        var configuration = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
            .javaMigrations(new WechatSecretColumnsMigration(), new WechatPushCredentialsMigration());
        return (target == null ? configuration : configuration.target(target)).load();
    }

    private WechatStore store(SecretBox box) {
        return new WechatStore(jdbc, box);
    }

    private SecretReencryption.Result reencrypt(SecretBox box) {
        return new SecretReencryption(box, new JdbcTemplate(dataSource), List.of(store(box))).reencryptAll();
    }

    private List<String> storedSecrets() {
        return jdbc.sql("SELECT refresh_token FROM mf_wechat_authorizer WHERE refresh_token IS NOT NULL "
            + "UNION ALL SELECT token FROM mf_wechat_token WHERE token IS NOT NULL "
            + "UNION ALL SELECT ticket FROM mf_wechat_ticket").query(String.class).list();
    }

    @Test
    void shouldMoveEverySecretFromKeyAToKeyBAndThenWorkWithBAlone() {
        Instant now = Instant.now();
        // Written before secrets were encrypted: plain rows, as an upgraded database holds them.
        jdbc.sql("INSERT INTO mf_wechat_authorizer (app_id, status, refresh_token, updated_at) VALUES (?, ?, ?, ?)")
            .params("wxold", "AUTHORIZED", "legacy-refresh", java.sql.Timestamp.from(now)).update();
        jdbc.sql("INSERT INTO mf_wechat_token (kind, app_id, token, expires_at) VALUES (?, ?, ?, ?)")
            .params(AUTHORIZER, "wxold", "legacy-access", java.sql.Timestamp.from(now.plusSeconds(7200))).update();
        // Written by a node started with key A.
        SecretBox withA = new SecretBox(A);
        WechatStore startA = store(withA);
        startA.upsertAuthorizer("wxnew", "AUTHORIZED", "refresh-a", now, now);
        startA.storeToken(AUTHORIZER, "wxnew", "access-a", now.plusSeconds(7200), "node");
        startA.storeToken(COMPONENT, "wxcomponent", "component-a", now.plusSeconds(7200), "node");
        startA.saveTicket("wxcomponent", "ticket-a", now);
        assertThat(storedSecrets()).filteredOn(s -> s.startsWith("mf1:a:")).hasSize(4);
        assertThat(storedSecrets()).noneMatch(s -> s.contains("refresh-a") || s.contains("access-a")
            || s.contains("component-a") || s.contains("ticket-a"));

        // B alone cannot read what A wrote: the key must stay as a previous key until the values have moved.
        assertThatThrownBy(() -> store(new SecretBox(B)).authorizer("wxnew")).isInstanceOf(SecretBoxException.class)
            .hasMessageContaining("'a'");

        // Start with B and previous A: everything reads, then the start-up pass moves it to B.
        SecretBox withBAndA = new SecretBox(B, List.of(A));
        WechatStore startBA = store(withBAndA);
        assertThat(startBA.authorizer("wxnew").orElseThrow().refreshToken()).isEqualTo("refresh-a");
        assertThat(startBA.authorizer("wxold").orElseThrow().refreshToken()).isEqualTo("legacy-refresh");
        SecretReencryption.Result moved = reencrypt(withBAndA);
        assertThat(moved.totalReencrypted()).isEqualTo(6);
        assertThat(moved.totalUnreadable()).isZero();
        assertThat(storedSecrets()).hasSize(6).allMatch(s -> s.startsWith("mf1:b:"));
        assertThat(reencrypt(withBAndA).totalReencrypted()).as("a second start has nothing to do").isZero();

        // Start with B alone.
        WechatStore startB = store(new SecretBox(B));
        assertThat(startB.authorizer("wxnew").orElseThrow().refreshToken()).isEqualTo("refresh-a");
        assertThat(startB.authorizer("wxold").orElseThrow().refreshToken()).isEqualTo("legacy-refresh");
        assertThat(startB.token(AUTHORIZER, "wxnew").orElseThrow().token()).isEqualTo("access-a");
        assertThat(startB.token(AUTHORIZER, "wxold").orElseThrow().token()).isEqualTo("legacy-access");
        assertThat(startB.token(COMPONENT, "wxcomponent").orElseThrow().token()).isEqualTo("component-a");
        assertThat(startB.ticket("wxcomponent").orElseThrow().ticket()).isEqualTo("ticket-a");
    }

    @Test
    void shouldLeaveValuesItCannotDecryptAsTheyAreAndCountThem() {
        Instant now = Instant.now();
        store(new SecretBox(A)).upsertAuthorizer("wxlost", "AUTHORIZED", "refresh-a", now, now);
        store(new SecretBox(A)).storeToken(AUTHORIZER, "wxlost", "access-a", now.plusSeconds(7200), "node");
        List<String> before = storedSecrets();

        SecretReencryption.Result result = reencrypt(new SecretBox(B));

        assertThat(result.totalUnreadable()).isEqualTo(2);
        assertThat(result.totalReencrypted()).isZero();
        assertThat(storedSecrets()).containsExactlyInAnyOrderElementsOf(before);
        WechatStore startB = store(new SecretBox(B));
        // An access token is a cache: one that no longer decrypts is fetched anew. A refresh token is not.
        assertThat(startB.token(AUTHORIZER, "wxlost").orElseThrow().token()).isNull();
        assertThat(startB.authorizers("wxlost", 0, 10)).as("the console's list still shows it").singleElement()
            .satisfies(a -> assertThat(a.appId()).isEqualTo("wxlost"));
        assertThatThrownBy(() -> startB.authorizer("wxlost")).isInstanceOf(SecretBoxException.class);
    }

    @Test
    void shouldStoreTokensLongerThanTheOldColumnsAllowed() {
        Instant now = Instant.now();
        WechatStore store = store(new SecretBox(A));
        String longToken = "72_" + "x".repeat(400); // access tokens may reach 512 characters
        store.storeToken(AUTHORIZER, "wxlong", longToken, now.plusSeconds(7200), "node");
        assertThat(store.token(AUTHORIZER, "wxlong").orElseThrow().token()).isEqualTo(longToken);
    }

    @Test
    void shouldRemoveCredentialsFromPushesRecordedBeforeTheUpgrade() {
        dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
            "jdbc:h2:mem:pushes-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        jdbc = JdbcClient.create(dataSource);
        flyway("21").migrate();
        String ticketPush = "<xml><AppId><![CDATA[wxcomponent]]></AppId><InfoType><![CDATA[component_verify_ticket]]>"
            + "</InfoType><ComponentVerifyTicket><![CDATA[ticket@@@old-secret]]></ComponentVerifyTicket></xml>";
        String authorizedPush = "<xml><InfoType>authorized</InfoType><AuthorizerAppid>wxa</AuthorizerAppid>"
            + "<AuthorizationCode>queryauthcode@@@old</AuthorizationCode>"
            + "<PreAuthCode>preauth@@@old</PreAuthCode></xml>";
        String auditPush = "<xml><Event>weapp_audit_success</Event></xml>";
        int n = 0;
        for (String[] push : new String[][] {{"component_verify_ticket", ticketPush}, {"authorized", authorizedPush},
            {"weapp_audit_success", auditPush}}) {
            jdbc.sql("INSERT INTO mf_wechat_push (dedupe_key, info_type, received_at, body) "
                + "VALUES (?, ?, CURRENT_TIMESTAMP, ?)").params("k" + n++, push[0], push[1]).update();
        }

        flyway(null).migrate();

        List<String> bodies = jdbc.sql("SELECT body FROM mf_wechat_push ORDER BY dedupe_key").query(String.class)
            .list();
        assertThat(bodies.get(0)).contains("<ComponentVerifyTicket>(removed)</ComponentVerifyTicket>", "wxcomponent")
            .doesNotContain("old-secret");
        assertThat(bodies.get(1)).contains("<AuthorizationCode>(removed)</AuthorizationCode>",
            "<PreAuthCode>(removed)</PreAuthCode>", "<AuthorizerAppid>wxa</AuthorizerAppid>").doesNotContain("@@@old");
        assertThat(bodies.get(2)).isEqualTo(auditPush);
    }

    @Test
    void shouldForgetARejectedTokenButNotANewerOne() {
        Instant now = Instant.now();
        WechatStore store = store(new SecretBox(A));
        store.storeToken(AUTHORIZER, "wxrej", "newer", now.plusSeconds(7200), "node");
        store.forgetToken(AUTHORIZER, "wxrej", "older");
        assertThat(store.token(AUTHORIZER, "wxrej").orElseThrow().token()).isEqualTo("newer");
        store.forgetToken(AUTHORIZER, "wxrej", "newer");
        assertThat(store.token(AUTHORIZER, "wxrej").orElseThrow().token()).isNull();
    }

    @Test
    void shouldLeaveSecretsOutOfTheRecordsText() {
        Instant now = Instant.now();
        WechatStore store = store(new SecretBox(A));
        store.upsertAuthorizer("wxtext", "AUTHORIZED", "refresh-visible?", now, now);
        store.storeToken(AUTHORIZER, "wxtext", "access-visible?", now.plusSeconds(7200), "node");
        store.saveTicket("wxtext", "ticket-visible?", now);
        assertThat(store.authorizer("wxtext").orElseThrow().toString()).contains("wxtext")
            .doesNotContain("refresh-visible?");
        assertThat(store.token(AUTHORIZER, "wxtext").orElseThrow().toString()).doesNotContain("access-visible?");
        assertThat(store.ticket("wxtext").orElseThrow().toString()).doesNotContain("ticket-visible?");
    }
}
