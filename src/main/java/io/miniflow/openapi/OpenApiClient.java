package io.miniflow.openapi;

/**
 * Who an accepted signed request comes from: the key and the workspace it belongs to. The principal of the request's
 * authentication, so /openapi controllers take it with {@code @AuthenticationPrincipal}.
 */
public record OpenApiClient(String appId, String workspace) {
}
