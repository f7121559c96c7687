package io.miniflow.wechat;

import java.time.Clock;
import java.time.Instant;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns an authorization that a merchant gave (the auth_code of the redirect or of the {@code authorized} push) into
 * an authorizer Miniflow knows: its refresh token and its details. The code can be redeemed again until it expires,
 * so the redirect and the push may both arrive, in either order.
 */
@Component
public class WechatAuthorizations {

    private static final Logger log = LoggerFactory.getLogger(WechatAuthorizations.class);

    private final WechatClient client;
    private final WechatStore store;
    private final Clock clock;

    WechatAuthorizations(WechatClient client, WechatStore store, Clock clock) {
        this.client = client;
        this.store = store;
        this.clock = clock;
    }

    /** Redeems the code (api_query_auth) and records the authorizer; returns its appid. WeChat's refusal throws. */
    public String redeem(String authCode, Instant authorizedAt) {
        WechatClient.Authorization auth = client.queryAuth(authCode);
        store.upsertAuthorizer(auth.appId(), "AUTHORIZED", auth.refreshToken(), authorizedAt, clock.instant());
        describe(auth.appId());
        return auth.appId();
    }

    /** Names the business (a tenant app) the mini program serves, on the platform's authorizer list. */
    public void bindBusiness(String appId, String businessId) {
        store.bindBusiness(appId, businessId, clock.instant());
    }

    /** The account's name and permissions; if WeChat cannot say now, the next sync or push fills them in. */
    void describe(String appId) {
        try {
            WechatClient.AuthorizerInfo info = client.authorizerInfo(appId);
            store.updateAuthorizerInfo(appId, info.nickName(), info.userName(), info.principalName(),
                info.funcScopes().stream().map(String::valueOf).collect(Collectors.joining("|", "|", "")),
                clock.instant());
        } catch (WechatApiException e) {
            log.info("authorizer {} recorded without details for now: {}", appId, e.getMessage());
        }
    }
}
