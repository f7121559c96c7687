package io.miniflow.tenant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The steps that tell the SaaS platform something: ask it to migrate the tenant's data, announce that the tenant is
 * live, remind it that the merchant has not authorized yet. A failed attempt throws, so the engine tries again
 * (the model's retry cycle); after the last attempt the data migration and the announcement stop for an operator,
 * a reminder is given up.
 */
@Configuration(proxyBeanMethods = false)
class TenantWebhookStep {

    static final String DATA_MIGRATION = "tenant.data_migration";
    static final String LIVE = "tenant.live";
    static final String AUTHORIZATION_REMINDER = "tenant.authorization_reminder";

    /** Task_AskForDataMigration. */
    @Bean
    JavaDelegate askForDataMigration(TenantApps apps, TenantWebhooks webhooks, TenantLinks links, ObjectMapper json) {
        return execution -> send(execution, apps, webhooks, DATA_MIGRATION, "MIGRATION", app -> {
            Tenant tenant = apps.tenantOf(app);
            Map<String, Object> data = tenantData(tenant, app);
            data.put("tenant", Map.of("tenantCode", tenant.tenantCode(), "name", tenant.name(),
                "contact", tenant.contact() == null ? "" : tenant.contact()));
            data.put("extJson", app.extJson() == null ? Map.of() : json.readTree(app.extJson()));
            return data;
        });
    }

    /** Task_AnnounceLive. */
    @Bean
    JavaDelegate announceTenantLive(TenantApps apps, TenantWebhooks webhooks) {
        return execution -> send(execution, apps, webhooks, LIVE, "LIVE", app -> tenantData(apps.tenantOf(app), app));
    }

    /** Task_RemindPlatform: the merchant has the link but has not authorized; best effort, never an operator task. */
    @Bean
    JavaDelegate remindAboutAuthorization(TenantApps apps, TenantWebhooks webhooks, TenantLinks links) {
        return execution -> {
            TenantApp app = apps.of(execution);
            String url = apps.notifyUrl(app).orElse(null);
            if (url == null || app.businessId() == null) {
                return;
            }
            Map<String, Object> data = tenantData(apps.tenantOf(app), app);
            data.put("authorizationUrl", links.authorizationUrl(app.businessId()));
            data.put("expiresAt", app.linkExpiresAt() == null ? null : app.linkExpiresAt().toString());
            TenantWebhooks.Result result = webhooks.deliver(app, url, AUTHORIZATION_REMINDER,
                deliveryId(app, AUTHORIZATION_REMINDER) + "-" + app.businessId().substring(0, 8), data);
            if (result == TenantWebhooks.Result.RETRY) {
                throw new IllegalStateException("reminder webhook not delivered yet; the engine tries again");
            }
        };
    }

    private interface Payload {
        Map<String, Object> of(TenantApp app) throws Exception;
    }

    private static void send(DelegateExecution execution, TenantApps apps, TenantWebhooks webhooks, String event,
                             String step, Payload payload) throws Exception {
        TenantApp app = apps.of(execution);
        String url = apps.notifyUrl(app).orElseThrow();
        if (app.stage() == TenantAppStage.FAILED) {
            apps.stage(app, TenantAppStage.RELEASING); // an operator retries this step
        }
        switch (webhooks.deliver(app, url, event, deliveryId(app, event), payload.of(app))) {
            case DELIVERED -> { }
            case RETRY -> throw new IllegalStateException(event + " webhook not delivered yet; the engine tries again");
            case GAVE_UP -> throw apps.stepFailed(execution, app, step, "WEBHOOK_FAILED", List.of(event));
        }
    }

    private static Map<String, Object> tenantData(Tenant tenant, TenantApp app) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenantCode", tenant.tenantCode());
        data.put("tenantAppCode", app.tenantAppCode());
        data.put("appCode", app.appCode());
        data.put("envCode", app.envCode());
        data.put("createdFrom", app.createdFrom());
        data.put("appId", app.miniProgramAppId());
        data.put("releasedVersion", app.releasedVersion());
        return data;
    }

    /** The same for every attempt at this event of this tenant app, and never the same for two. */
    static String deliveryId(TenantApp app, String event) {
        return app.workspace() + "." + app.tenantAppCode() + "." + event.substring(event.indexOf('.') + 1);
    }
}
