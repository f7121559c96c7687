package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Tokens are cached and renewed ahead of expiry, never fetched per call, and only the lease holder fetches. */
@MiniflowIntegrationTest
class WechatTokenManagerTest {

    @LocalServerPort
    int port;
    @Autowired
    WechatTokenManager tokens;
    @Autowired
    WechatStore store;
    @Autowired
    WechatClient client;
    @Autowired
    WechatSettings settings;

    WechatSandboxHttp sandbox;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> !client.templates(null).isEmpty());
    }

    private long componentTokenFetches() {
        return sandbox.get("/sandbox/admin/wechat/stats").at("/per_api/cgi-bin~1component~1api_component_token/calls")
            .asLong(0);
    }

    @Test
    void shouldNotFetchTheComponentTokenPerCall() {
        long before = componentTokenFetches();
        for (int i = 0; i < 20; i++) {
            client.templates(null);
        }
        assertThat(componentTokenFetches()).isEqualTo(before);
    }

    @Test
    void shouldRenewATokenThatExpiresSoonAheadOfTime() {
        String appId = settings.componentAppId();
        String current = tokens.componentToken();
        store.storeToken(WechatTokenManager.COMPONENT, appId, current, Instant.now().plusSeconds(300), "test");
        tokens.forgetLocal(WechatTokenManager.COMPONENT, appId);
        long before = componentTokenFetches();

        tokens.renewExpiring();

        assertThat(componentTokenFetches()).isEqualTo(before + 1);
        WechatStore.CachedToken renewed = store.token(WechatTokenManager.COMPONENT, appId).orElseThrow();
        assertThat(renewed.token()).isNotEqualTo(current);
        assertThat(renewed.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(100)));
        assertThat(client.templates(null)).isNotEmpty();
    }

    @Test
    void shouldLetOnlyOneNodeHoldTheRefreshLease() {
        String appId = "wxlease" + System.nanoTime();
        Instant now = Instant.now();
        assertThat(store.tryLease(WechatTokenManager.AUTHORIZER, appId, "node-a", now, now.plusSeconds(30))).isTrue();
        assertThat(store.tryLease(WechatTokenManager.AUTHORIZER, appId, "node-b", now, now.plusSeconds(30))).isFalse();
        assertThat(store.tryLease(WechatTokenManager.AUTHORIZER, appId, "node-b", now.plusSeconds(31),
            now.plusSeconds(61))).as("an abandoned lease expires").isTrue();
        store.releaseLease(WechatTokenManager.AUTHORIZER, appId, "node-b");
        assertThat(store.tryLease(WechatTokenManager.AUTHORIZER, appId, "node-a", now, now.plusSeconds(30))).isTrue();
    }

    @Test
    void shouldAskForANewTicketWhenWeChatRefusesTheStoredOne() {
        String appId = settings.componentAppId();
        store.saveTicket(appId, "ticket@@@spoiled", Instant.now().minusSeconds(1));
        tokens.forget(WechatTokenManager.COMPONENT, appId);
        WechatApiException refused = org.assertj.core.api.Assertions.catchThrowableOfType(WechatApiException.class,
            () -> client.templates(null));
        assertThat(refused.errcode()).isEqualTo(61006);
        assertThat(refused.retryable()).isTrue();
        // api_start_push_ticket made the platform push a fresh ticket: the engine's next try succeeds
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !client.templates(null).isEmpty());
        assertThat(store.ticket(appId).orElseThrow().ticket()).isNotEqualTo("ticket@@@spoiled");
    }
}
