package io.miniflow.tenant;

import java.time.Instant;

/** A SaaS platform's tenant in a workspace (mf_tenant). {@code openedBy}: the team key (appId) or the console user. */
public record Tenant(long id, String workspace, String tenantCode, String name, String contact, TenantStatus status,
                     String errorCode, String notifyUrl, String requestHash, String openedBy, Instant createdAt,
                     Instant updatedAt) {
}
