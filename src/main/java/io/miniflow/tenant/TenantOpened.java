package io.miniflow.tenant;

/**
 * The answer to opening a tenant or adding a tenant app: {@code created} false when the same request had been made
 * before (answered 200 instead of 202).
 */
public record TenantOpened(String tenantCode, String tenantAppCode, String status, String processInstanceId,
                           String statusUrl, @com.fasterxml.jackson.annotation.JsonIgnore boolean created) {
}
