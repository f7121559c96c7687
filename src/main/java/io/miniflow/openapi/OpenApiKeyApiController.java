package io.miniflow.openapi;

import java.util.List;

import io.miniflow.identity.CurrentUser;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API for a workspace's team keys (docs/api.md); the same rules as the Team keys page. */
@RestController
@RequestMapping("/api/workspaces/{workspace}/openapi-keys")
class OpenApiKeyApiController {

    private final OpenApiKeyService keys;

    OpenApiKeyApiController(OpenApiKeyService keys) {
        this.keys = keys;
    }

    /** 201 {appId, appSecret}: the one answer that carries the secret. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    NewOpenApiKey create(Authentication auth, @PathVariable String workspace) {
        return keys.create(CurrentUser.from(auth), workspace);
    }

    @GetMapping
    List<OpenApiKey> list(Authentication auth, @PathVariable String workspace) {
        return keys.list(CurrentUser.from(auth), workspace);
    }

    @DeleteMapping("/{appId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(Authentication auth, @PathVariable String workspace, @PathVariable String appId) {
        keys.revoke(CurrentUser.from(auth), workspace, appId);
    }
}
