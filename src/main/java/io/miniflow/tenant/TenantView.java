package io.miniflow.tenant;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** GET /openapi/v1/tenants/{tenantCode}: the tenant and where each of its apps stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantView(String tenantCode, String status, List<AppView> apps) {

    /** {@code authorizationUrl} while waiting for the merchant, {@code appId} once bound, {@code error} when failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AppView(String tenantAppCode, String stage, String authorizationUrl, String appId,
                          String releasedVersion, Error error) {
    }

    /** The reason in the request's language. */
    public record Error(String code, String message) {
    }
}
