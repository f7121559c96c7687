package io.miniflow.tenant;

import com.fasterxml.jackson.databind.JsonNode;

/** The bodies SaaS platforms send (docs/openapi.md); the console's "Open tenant" form fills the same. */
public final class TenantRequests {

    /** POST /openapi/v1/tenants. {@code extJson}, {@code templateId}, {@code notifyUrl}, {@code contact} optional. */
    public record OpenTenant(String tenantCode, String name, String contact, String appCode, String envCode,
                             String tenantAppCode, JsonNode extJson, Long templateId, String notifyUrl) {

        AddApp firstApp() {
            return new AddApp(appCode, envCode, tenantAppCode, extJson, templateId);
        }
    }

    /** POST /openapi/v1/tenants/{tenantCode}/apps. */
    public record AddApp(String appCode, String envCode, String tenantAppCode, JsonNode extJson, Long templateId) {
    }

    private TenantRequests() {
    }
}
