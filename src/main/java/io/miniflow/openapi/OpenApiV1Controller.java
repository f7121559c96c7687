package io.miniflow.openapi;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The OpenAPI that SaaS platforms call with a team key's signature (docs/openapi.md). */
@RestController
@RequestMapping("/openapi/v1")
class OpenApiV1Controller {

    record WhoAmI(String appId, String workspace) {
    }

    /** Which key signed and for which workspace: lets a SaaS developer check their signing code first. */
    @GetMapping("/whoami")
    WhoAmI whoami(@AuthenticationPrincipal OpenApiClient client) {
        return new WhoAmI(client.appId(), client.workspace());
    }
}
