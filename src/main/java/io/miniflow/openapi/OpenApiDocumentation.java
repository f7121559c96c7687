package io.miniflow.openapi;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI document of /openapi/v1 as a springdoc group of its own ({@code /v3/api-docs/openapi-v1}), with the
 * signature scheme described, so a SaaS developer reads the contract without /api's endpoints. The default document
 * (/v3/api-docs) stays /api's. Both need a login unless miniflow.security.public-api-docs.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocumentation {

    static final String GROUP = "openapi-v1";
    static final String SECURITY_SCHEME = OpenApiSignature.SCHEME;

    /** OpenAPI 3 has no scheme type for an HMAC signature: an apiKey in the Authorization header, described. */
    static final String SIGNATURE_DESCRIPTION = """
        Every request is signed with a team key (appId, appSecret) of the workspace; the key decides the workspace.

        `Authorization: MF-HMAC-SHA256 appid="<appId>",timestamp="<unix seconds>",nonce="<8-64 chars>",signature="<base64>"`

        The string to sign is five lines, each ending in `\\n` (also the last): the method in capitals; the path with \
        its query string exactly as sent; the timestamp; the nonce; the body as sent (nothing for no body). \
        signature = Base64(HMAC-SHA256(appSecret, string to sign)). The timestamp may be at most 300 s from \
        Miniflow's time; a nonce may not be used again within 10 minutes. Refusals are 401 (413, 429) problem \
        documents with a `code`: AUTHORIZATION_MALFORMED, TIMESTAMP_EXPIRED, APPID_UNKNOWN, SIGNATURE_MISMATCH, \
        NONCE_REUSED, BODY_TOO_LARGE, RATE_LIMITED. Worked example and webhooks: docs/openapi.md.""";

    @Bean
    GroupedOpenApi openApiV1() {
        return GroupedOpenApi.builder()
            .group(GROUP)
            .displayName("OpenAPI v1 (signed with a team key)")
            .pathsToMatch("/openapi/v1/**")
            .addOpenApiCustomizer(openApi -> {
                openApi.info(new Info().title("Miniflow OpenAPI").version("v1")
                        .description("Tenants for SaaS platforms. Requests are signed (" + SECURITY_SCHEME + ")."))
                    .externalDocs(new ExternalDocumentation().description("docs/openapi.md: signing, tenants, webhooks")
                        .url("docs/openapi.md"));
                if (openApi.getComponents() == null) {
                    openApi.setComponents(new Components());
                }
                openApi.getComponents().addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("Authorization")
                    .description(SIGNATURE_DESCRIPTION));
                // On every operation (not only document-wide), so a generator signs each call.
                if (openApi.getPaths() != null) {
                    openApi.getPaths().values().forEach(path -> path.readOperations().forEach(
                        operation -> operation.addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME))));
                }
            })
            .build();
    }

    /**
     * The default document stays /api's only. Not with springdoc.paths-to-match: springdoc applies that to the
     * groups as well, in place of their own paths. A plain customizer bean is applied to the default document only.
     */
    @Bean
    OpenApiCustomizer defaultDocumentIsTheApisOnly() {
        return openApi -> {
            if (openApi.getPaths() != null) {
                openApi.getPaths().keySet().removeIf(path -> !path.startsWith("/api/"));
            }
        };
    }
}
