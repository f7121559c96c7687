package io.miniflow.tenant;

import io.miniflow.shared.StrictJson;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bodies SaaS platforms send (docs/openapi.md); the console's "Open tenant" form fills the same. Unknown fields
 * are refused (400 naming the field), unlike /api's bodies: a misspelt optional field ("notifyURL") would otherwise
 * open the tenant silently without it, and the same request could not be told from a different one.
 */
public final class TenantRequests {

    /** POST /openapi/v1/tenants. {@code extJson}, {@code templateId}, {@code notifyUrl}, {@code contact} optional. */
    @StrictJson
    public record OpenTenant(String tenantCode, String name, String contact, String appCode, String envCode,
                             String tenantAppCode, JsonNode extJson, Long templateId, String notifyUrl) {

        AddApp firstApp() {
            return new AddApp(appCode, envCode, tenantAppCode, extJson, templateId);
        }
    }

    /** POST /openapi/v1/tenants/{tenantCode}/apps. */
    @StrictJson
    public record AddApp(String appCode, String envCode, String tenantAppCode, JsonNode extJson, Long templateId) {
    }

    private TenantRequests() {
    }
}
