package io.miniflow.tenant;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.miniflow.app.AppEnvironment;
import io.miniflow.app.AppEnvironments;
import io.miniflow.release.CompletedReleases;
import io.miniflow.release.MiniProgramSettings;
import io.miniflow.wechat.WechatAuthorizations;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The steps of tenant-provisioning that need no outside call of their own, one bean each under the name the model
 * uses. The webhook steps are {@link TenantWebhookStep}; closing is {@link CloseTenantApp}.
 */
@Configuration(proxyBeanMethods = false)
class TenantSteps {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** Task_CreateTenantApp: the tenant app starts from the environment's online version. */
    @Bean
    JavaDelegate createTenantApp(TenantApps apps, TenantRepository repository, AppEnvironments environments,
                                 Clock clock) {
        return execution -> {
            TenantApp app = apps.of(execution);
            String online = environments.environment(app.workspace(), app.appCode(), app.envCode())
                .map(AppEnvironment::onlineVersion).orElse(null);
            if (online == null) {
                apps.fail(app, "NO_ONLINE_VERSION", List.of(app.appCode(), app.envCode()));
                throw new BpmnError("NO_ONLINE_VERSION");
            }
            repository.setCreatedFrom(app.id(), online, clock.instant());
            apps.stage(app, TenantAppStage.CREATED);
        };
    }

    /** Task_GenerateLink: a new link (a renewal replaces the old one), valid until the expiry timer fires. */
    @Bean
    JavaDelegate generateAuthorizationLink(TenantApps apps, TenantRepository repository, TenantLinks links,
                                           TenantTimings timings, Clock clock) {
        return execution -> {
            TenantApp app = apps.of(execution);
            repository.setLink(app.id(), links.newBusinessId(),
                clock.instant().plus(Duration.parse(timings.authorizationExpiry())), clock.instant());
            apps.stage(app, TenantAppStage.WAITING_AUTHORIZATION);
        };
    }

    /** Task_MarkLinkExpired: the link stops working; the SaaS platform may renew it. */
    @Bean
    JavaDelegate markAuthorizationExpired(TenantApps apps, TenantRepository repository, Clock clock) {
        return execution -> {
            TenantApp app = apps.of(execution);
            repository.setLink(app.id(), null, null, clock.instant());
            apps.fail(app, "AUTHORIZATION_EXPIRED", List.of());
        };
    }

    /** Task_BindMiniProgram: a mini program serves one tenant app; bound elsewhere, nothing is changed. */
    @Bean
    JavaDelegate bindMiniProgram(TenantApps apps, TenantRepository repository, WechatAuthorizations wechat,
                                 Clock clock) {
        return execution -> {
            TenantApp app = apps.of(execution);
            String appId = TenantVariables.APP_ID.from(execution);
            if (!repository.bind(appId, app.id(), clock.instant())) {
                String other = repository.boundTo(appId).flatMap(repository::findAppById)
                    .map(TenantApp::tenantAppCode).orElse("?");
                apps.fail(app, "BOUND_ELSEWHERE", List.of(appId, other));
                throw new BpmnError("BOUND_ELSEWHERE");
            }
            repository.setMiniProgram(app.id(), appId, clock.instant());
            wechat.bindBusiness(appId, app.tenantAppCode());
            apps.stage(app, TenantAppStage.BOUND);
        };
    }

    /**
     * Task_ApplySettings: the tenant's ext_json values, the environment's API domain as server domain, the contact
     * as privacy contact (when it is an email); then what to release: the template named in the request, else the
     * one the workspace released last.
     */
    @Bean
    JavaDelegate applyTenantSettings(TenantApps apps, AppEnvironments environments, MiniProgramSettings settings,
                                     CompletedReleases releases) {
        return execution -> {
            TenantApp app = apps.of(execution);
            Tenant tenant = apps.tenantOf(app);
            String appId = app.miniProgramAppId();
            String requestDomains = environments.environment(app.workspace(), app.appCode(), app.envCode())
                .map(AppEnvironment::apiDomain).filter(d -> !d.isBlank())
                .map(d -> d.startsWith("https://") || d.startsWith("http://") ? d : "https://" + d).orElse("");
            String contact = tenant.contact() != null && EMAIL.matcher(tenant.contact()).matches()
                ? tenant.contact() : null;
            settings.save(appId, app.extJson(), requestDomains, "", contact);
            if (app.templateId() != null) {
                TenantVariables.TEMPLATE_ID.set(execution, app.templateId());
                TenantVariables.USER_VERSION.set(execution, app.createdFrom());
            } else {
                CompletedReleases.ReleasedTemplate last = releases.latest(app.workspace()).orElseThrow(() ->
                    apps.stepFailed(execution, app, "RELEASE", "NO_TEMPLATE", List.of()));
                TenantVariables.TEMPLATE_ID.set(execution, last.templateId());
                TenantVariables.USER_VERSION.set(execution, last.userVersion());
            }
            TenantVariables.USER_DESC.set(execution, "First release for tenant " + tenant.tenantCode());
            TenantVariables.RELEASED_VERSION.remove(execution);
            apps.stage(app, TenantAppStage.RELEASING);
        };
    }

    /** Task_RecordRelease: the release handed back the version the mini program serves, or it was not released. */
    @Bean
    JavaDelegate recordFirstRelease(TenantApps apps, TenantRepository repository, Clock clock) {
        return execution -> {
            TenantApp app = apps.of(execution);
            String released = TenantVariables.RELEASED_VERSION.optional(execution).orElse(null);
            if (released == null) {
                throw apps.stepFailed(execution, app, "RELEASE", "RELEASE_FAILED", List.of(app.miniProgramAppId()));
            }
            repository.setReleasedVersion(app.id(), released, clock.instant());
            apps.stage(app, TenantAppStage.RELEASING);
        };
    }

    /** Task_MarkLive. */
    @Bean
    JavaDelegate markTenantLive(TenantApps apps) {
        return execution -> apps.stage(apps.of(execution), TenantAppStage.LIVE);
    }
}
