package io.miniflow.tenant;

import java.util.Locale;

import io.miniflow.openapi.OpenApiClient;
import io.miniflow.tenant.TenantRequests.AddApp;
import io.miniflow.tenant.TenantRequests.OpenTenant;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tenants through the OpenAPI (docs/openapi.md): every request signed with a team key, which decides the workspace;
 * another workspace's tenant is not found. Errors are problem documents with {@code code} and {@code message} in
 * the request's language.
 */
@RestController
@RequestMapping("/openapi/v1/tenants")
class TenantOpenApiController {

    private final TenantService tenants;

    TenantOpenApiController(TenantService tenants) {
        this.tenants = tenants;
    }

    /** 202 with the new tenant; 200 when the same request was made before. */
    @PostMapping
    ResponseEntity<TenantOpened> open(@AuthenticationPrincipal OpenApiClient client, @RequestBody OpenTenant request) {
        return answer(tenants.open(client.workspace(), actor(client), request));
    }

    @GetMapping("/{tenantCode}")
    TenantView tenant(@AuthenticationPrincipal OpenApiClient client, @PathVariable String tenantCode, Locale locale) {
        return tenants.view(client.workspace(), tenantCode, locale);
    }

    @PostMapping("/{tenantCode}/apps")
    ResponseEntity<TenantOpened> addApp(@AuthenticationPrincipal OpenApiClient client, @PathVariable String tenantCode,
                                        @RequestBody AddApp request) {
        return answer(tenants.addApp(client.workspace(), actor(client), tenantCode, request));
    }

    @PostMapping("/{tenantCode}/close")
    ResponseEntity<TenantView> close(@AuthenticationPrincipal OpenApiClient client, @PathVariable String tenantCode,
                                     Locale locale) {
        return ResponseEntity.accepted().body(tenants.close(client.workspace(), actor(client), tenantCode, locale));
    }

    /** A new authorization link once the old one expired. */
    @PostMapping("/{tenantCode}/apps/{tenantAppCode}/authorization-link")
    ResponseEntity<TenantView> renewLink(@AuthenticationPrincipal OpenApiClient client,
                                         @PathVariable String tenantCode, @PathVariable String tenantAppCode,
                                         Locale locale) {
        return ResponseEntity.accepted()
            .body(tenants.renewLink(client.workspace(), actor(client), tenantCode, tenantAppCode, locale));
    }

    private static ResponseEntity<TenantOpened> answer(TenantOpened opened) {
        return ResponseEntity.status(opened.created() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(opened);
    }

    /** Audit entries name the key that acted. */
    private static String actor(OpenApiClient client) {
        return "openapi:" + client.appId();
    }
}
