package io.miniflow.tenant;

import java.time.Instant;

/** One webhook to the SaaS platform (mf_tenant_webhook): its delivery id stays the same across attempts. */
public record TenantWebhook(long id, long tenantAppId, String deliveryId, String event, String url, Status status,
                            int attempts, Integer lastStatus, String lastError, Instant createdAt, Instant updatedAt) {

    public enum Status { PENDING, DELIVERED, FAILED }
}
