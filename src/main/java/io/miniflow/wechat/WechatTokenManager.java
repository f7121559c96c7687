package io.miniflow.wechat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.wechat.WechatStore.AuthorizerRecord;
import io.miniflow.wechat.WechatStore.CachedToken;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * component_access_token and authorizer_access_tokens, cached in {@code mf_wechat_token} (and in memory in front of
 * it) and renewed {@link #REFRESH_MARGIN} before they expire, never per call. The token endpoints have a daily quota
 * (45009), so across nodes only the holder of a row's lease (a conditional UPDATE) fetches; the others keep using the
 * still-valid token or wait briefly for the new one. Its rows are written in transactions of their own: a caller's
 * transaction that fails (a job, a request) must not take back a token fetched or forgotten on the way, nor hold the
 * lease's row lock until it ends.
 */
@Component
public class WechatTokenManager {

    public static final String COMPONENT = "COMPONENT";
    public static final String AUTHORIZER = "AUTHORIZER";
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(10);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WAIT_FOR_OTHER_NODE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(WechatTokenManager.class);

    private record Token(String value, Instant expiresAt) {
    }

    private final WechatStore store;
    private final WechatHttp http;
    private final WechatSettings settings;
    private final Clock clock;
    private final String owner;
    private final Map<String, Token> local = new ConcurrentHashMap<>();
    private final TransactionTemplate own;

    WechatTokenManager(WechatStore store, WechatHttp http, WechatSettings settings, Clock clock,
                       PlatformTransactionManager transactions) {
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.store = store;
        this.http = http;
        this.settings = settings;
        this.clock = clock;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        this.owner = host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String componentToken() {
        return token(COMPONENT, settings.componentAppId(), this::fetchComponentToken);
    }

    public String authorizerToken(String appId) {
        return token(AUTHORIZER, appId, () -> fetchAuthorizerToken(appId));
    }

    /** WeChat rejected this token (40001/42001): forget it so the next use fetches a new one. */
    public void rejected(String kind, String appId, String token) {
        local.remove(kind + ":" + appId);
        own.executeWithoutResult(t -> store.forgetToken(kind, appId, token));
    }

    /** A token that came with another answer (api_query_auth hands out the first authorizer token). */
    public void accept(String kind, String appId, String token, long expiresInSeconds) {
        Instant expiresAt = clock.instant().plusSeconds(expiresInSeconds);
        own.executeWithoutResult(t -> store.storeToken(kind, appId, token, expiresAt, owner));
        local.put(kind + ":" + appId, new Token(token, expiresAt));
    }

    public void forget(String kind, String appId) {
        local.remove(kind + ":" + appId);
        store.token(kind, appId).ifPresent(t -> {
            if (t.token() != null) {
                own.executeWithoutResult(tx -> store.forgetToken(kind, appId, t.token()));
            }
        });
    }

    /** Drops the in-memory copy only (the database row stays), as another node would see it. */
    void forgetLocal(String kind, String appId) {
        local.remove(kind + ":" + appId);
    }

    public Optional<Instant> componentTokenExpiry() {
        return store.componentTokenExpiry(settings.componentAppId());
    }

    private String token(String kind, String appId, Supplier<Token> fetch) {
        String key = kind + ":" + appId;
        Instant now = clock.instant();
        Token cached = local.get(key);
        if (fresh(cached, now)) {
            return cached.value();
        }
        Optional<CachedToken> row = store.token(kind, appId);
        if (row.isPresent() && row.get().token() != null && fresh(new Token(row.get().token(), row.get().expiresAt()), now)) {
            Token t = new Token(row.get().token(), row.get().expiresAt());
            local.put(key, t);
            return t.value();
        }
        if (Boolean.TRUE.equals(own.execute(tx -> store.tryLease(kind, appId, owner, now, now.plus(LEASE))))) {
            try {
                Token t = fetch.get();
                own.executeWithoutResult(tx -> store.storeToken(kind, appId, t.value(), t.expiresAt(), owner));
                local.put(key, t);
                return t.value();
            } finally {
                own.executeWithoutResult(tx -> store.releaseLease(kind, appId, owner));
            }
        }
        // Another node is renewing it: a token that still works is good enough, else wait for the new one.
        Instant giveUp = now.plus(WAIT_FOR_OTHER_NODE);
        while (true) {
            Optional<CachedToken> other = store.token(kind, appId);
            if (other.isPresent() && other.get().token() != null && other.get().expiresAt().isAfter(clock.instant())) {
                return other.get().token();
            }
            if (clock.instant().isAfter(giveUp)) {
                throw new WechatApiException("token", WechatApiException.NETWORK,
                    "another node is renewing the " + kind + " token of " + appId, true,
                    WechatErrors.messageKey(WechatApiException.NETWORK));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean fresh(Token t, Instant now) {
        return t != null && t.value() != null && t.expiresAt() != null && t.expiresAt().isAfter(now.plus(REFRESH_MARGIN));
    }

    private Token fetchComponentToken() {
        String appId = settings.componentAppId();
        Optional<WechatStore.Ticket> ticket = store.ticket(appId);
        if (ticket.isEmpty()) {
            askForTicket(appId);
            throw new WechatApiException("cgi-bin/component/api_component_token", WechatApiException.NO_TICKET,
                "no component_verify_ticket received yet", true, WechatErrors.messageKey(WechatApiException.NO_TICKET));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("component_appid", appId);
        body.put("component_appsecret", settings.componentAppSecret());
        body.put("component_verify_ticket", ticket.get().ticket());
        try {
            JsonNode answer = http.post("cgi-bin/component/api_component_token", Map.of(), body);
            return new Token(answer.path("component_access_token").asText(),
                clock.instant().plusSeconds(answer.path("expires_in").asLong(7200)));
        } catch (WechatApiException e) {
            if (e.errcode() == 61005 || e.errcode() == 61006) {
                askForTicket(appId); // expired or unknown ticket: a fresh push makes the next try succeed
            }
            throw e;
        }
    }

    private void askForTicket(String appId) {
        try {
            http.post("cgi-bin/component/api_start_push_ticket", Map.of(),
                Map.of("component_appid", appId, "component_secret", settings.componentAppSecret()));
        } catch (WechatApiException e) {
            log.warn("api_start_push_ticket failed: {}", e.getMessage());
        }
    }

    private Token fetchAuthorizerToken(String appId) {
        String refreshToken = store.authorizer(appId).filter(AuthorizerRecord::authorized)
            .map(AuthorizerRecord::refreshToken).orElse(null);
        if (refreshToken == null) {
            refreshToken = findRefreshTokenOnPlatform(appId);
        }
        if (refreshToken == null) {
            throw new WechatApiException("cgi-bin/component/api_authorizer_token", WechatApiException.NOT_AUTHORIZED,
                "no refresh token for " + appId, false, WechatErrors.messageKey(WechatApiException.NOT_AUTHORIZED));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("component_appid", settings.componentAppId());
        body.put("authorizer_appid", appId);
        body.put("authorizer_refresh_token", refreshToken);
        JsonNode answer = withComponentToken(token -> http.post("cgi-bin/component/api_authorizer_token",
            Map.of("component_access_token", token), body));
        String newRefresh = answer.path("authorizer_refresh_token").asText(null);
        if (newRefresh != null && !newRefresh.equals(refreshToken)) {
            own.executeWithoutResult(tx -> store.upsertAuthorizer(appId, "AUTHORIZED", newRefresh, null,
                clock.instant()));
        }
        return new Token(answer.path("authorizer_access_token").asText(),
            clock.instant().plusSeconds(answer.path("expires_in").asLong(7200)));
    }

    /**
     * Pages through api_get_authorizer_list (which carries refresh tokens) to learn an authorizer Miniflow missed the
     * push of; every authorizer seen on the way is recorded too.
     */
    String findRefreshTokenOnPlatform(String appId) {
        int offset = 0;
        while (true) {
            int from = offset;
            JsonNode page = withComponentToken(token -> http.post("cgi-bin/component/api_get_authorizer_list",
                Map.of("component_access_token", token),
                Map.of("component_appid", settings.componentAppId(), "offset", from, "count", 500)));
            String found = null;
            for (JsonNode row : page.path("list")) {
                String id = row.path("authorizer_appid").asText();
                String refresh = row.path("refresh_token").asText(null);
                own.executeWithoutResult(tx -> store.upsertAuthorizer(id, "AUTHORIZED", refresh,
                    Instant.ofEpochSecond(row.path("auth_time").asLong(clock.instant().getEpochSecond())),
                    clock.instant()));
                if (id.equals(appId)) {
                    found = refresh;
                }
            }
            offset += page.path("list").size();
            if (found != null || page.path("list").isEmpty() || offset >= page.path("total_count").asInt()) {
                return found;
            }
        }
    }

    /** Calls with the component token ({@link #withToken}). */
    <T> T withComponentToken(Function<String, T> call) {
        return withToken(COMPONENT, settings.componentAppId(), this::componentToken, call);
    }

    /** Calls with the mini program's authorizer token ({@link #withToken}). */
    <T> T withAuthorizerToken(String appId, Function<String, T> call) {
        return withToken(AUTHORIZER, appId, () -> authorizerToken(appId), call);
    }

    /**
     * Calls with a token; when WeChat rejects it (expired early, revoked, renewed by another node) the token is
     * forgotten and the call made again with another: WeChat did nothing with a rejected token, so no call is
     * repeated. Three calls at most: this node's memory and the shared row may hold two different rejected tokens
     * (another node renewed the row's meanwhile), the third is then freshly fetched. A third rejection goes up.
     */
    private <T> T withToken(String kind, String appId, Supplier<String> token, Function<String, T> call) {
        for (int attempt = 1; ; attempt++) {
            String used = token.get();
            try {
                return call.apply(used);
            } catch (WechatApiException e) {
                if (!e.isTokenRejected()) {
                    throw e;
                }
                rejected(kind, appId, used);
                if (attempt == 3) {
                    throw e;
                }
                log.info("WeChat rejected the {} token of {} ({}); calling again with a new one", kind, appId,
                    e.errcode());
            }
        }
    }

    /** Renews tokens that expire within the margin, so calls never wait for a renewal. */
    @Scheduled(fixedDelayString = "${miniflow.wechat.token-refresh-check:PT1M}", initialDelayString = "PT30S")
    void renewExpiring() {
        for (String[] kindAndApp : store.tokensExpiringBefore(clock.instant().plus(REFRESH_MARGIN))) {
            try {
                if (COMPONENT.equals(kindAndApp[0])) {
                    componentToken();
                } else {
                    authorizerToken(kindAndApp[1]);
                }
            } catch (WechatApiException e) {
                log.info("renewing the {} token of {} failed: {}", kindAndApp[0], kindAndApp[1], e.getMessage());
                if (!e.retryable()) {
                    forget(kindAndApp[0], kindAndApp[1]);
                }
            } catch (RuntimeException e) {
                log.info("renewing the {} token of {} failed: {}", kindAndApp[0], kindAndApp[1], e.toString());
            }
        }
    }
}
