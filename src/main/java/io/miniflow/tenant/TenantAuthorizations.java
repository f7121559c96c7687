package io.miniflow.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import io.miniflow.shared.ProtectedVariables;
import io.miniflow.wechat.MiniProgramAuthorized;
import io.miniflow.wechat.WechatClient;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings a merchant's authorization to the tenant app it was given for. It arrives twice: the browser comes back
 * through the link's redirect, and WeChat pushes {@code authorized} naming the pre_auth_code. Whichever comes first
 * moves the waiting instance on; the other finds nothing waiting and changes nothing.
 */
@Component
class TenantAuthorizations {

    private static final Logger log = LoggerFactory.getLogger(TenantAuthorizations.class);
    /** Longer than any pre_auth_code lives (WeChat: 30 minutes). */
    private static final Duration PRE_AUTH_KEPT = Duration.ofDays(1);

    private final TenantRepository repository;
    private final WechatClient wechat;
    private final TenantLinks links;
    private final RuntimeService runtime;
    private final TransactionTemplate transaction;
    private final Clock clock;

    TenantAuthorizations(TenantRepository repository, WechatClient wechat, TenantLinks links, RuntimeService runtime,
                         PlatformTransactionManager transactions, Clock clock) {
        this.transaction = new TransactionTemplate(transactions);
        this.repository = repository;
        this.wechat = wechat;
        this.links = links;
        this.runtime = runtime;
        this.clock = clock;
    }

    /** The tenant app whose link this is, while it waits for authorization. */
    Optional<TenantApp> waiting(String businessId) {
        return repository.findAppByBusinessId(businessId)
            .filter(app -> app.stage() == TenantAppStage.WAITING_AUTHORIZATION)
            .filter(app -> app.linkExpiresAt() == null || app.linkExpiresAt().isAfter(clock.instant()));
    }

    /** WeChat's authorization page for this link, with a fresh pre_auth_code remembered for the push. */
    String authorizationPage(TenantApp app) {
        WechatClient.PreAuthCode code = wechat.createPreAuthCode();
        repository.rememberPreAuth(sha256(code.code()), app.businessId(), clock.instant());
        return wechat.authorizationUrl(code.code(), links.returnUrl(app.businessId()), 2);
    }

    /** The push: the pre_auth_code names the link (pushes for authorizations made elsewhere are not ours). */
    @EventListener
    void authorized(MiniProgramAuthorized event) {
        if (event.preAuthCode() == null || event.preAuthCode().isBlank()) {
            return;
        }
        repository.businessIdOfPreAuth(sha256(event.preAuthCode()))
            .ifPresent(businessId -> granted(businessId, event.appId()));
    }

    /**
     * True when this moved the tenant app on; false when it was not waiting (any more). The tenant app's row is
     * locked meanwhile, so the redirect and the push, arriving together, take turns: the second finds nothing waiting.
     */
    boolean granted(String businessId, String appId) {
        return Boolean.TRUE.equals(transaction.execute(tx -> grantedLocked(businessId, appId)));
    }

    private boolean grantedLocked(String businessId, String appId) {
        Optional<TenantApp> app = waiting(businessId);
        if (app.isEmpty()) {
            return false;
        }
        repository.lockApp(app.get().id());
        String instance = app.get().processInstanceId();
        if (!waitsForAuthorization(instance)) {
            return false; // the redirect and the push both came; the first one moved the instance on
        }
        try {
            ProtectedVariables.asMiniflow(() -> runtime.createMessageCorrelation(TenantVariables.MESSAGE_AUTHORIZED)
                .processInstanceId(instance)
                .setVariable(TenantVariables.APP_ID.name(), appId)
                .correlateWithResult());
            return true;
        } catch (MismatchingMessageCorrelationException | OptimisticLockingException raced) {
            log.debug("authorization of {} for tenant app {} arrived twice at once", appId, app.get().tenantAppCode());
            return false;
        } catch (ProcessEngineException e) {
            if (waitsForAuthorization(instance)) {
                throw e;
            }
            return false; // the other one correlated between the check and this correlation
        }
    }

    private boolean waitsForAuthorization(String processInstanceId) {
        return runtime.createEventSubscriptionQuery().processInstanceId(processInstanceId)
            .eventName(TenantVariables.MESSAGE_AUTHORIZED).count() > 0;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetOldPreAuthCodes() {
        repository.forgetPreAuthBefore(clock.instant().minus(PRE_AUTH_KEPT));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
