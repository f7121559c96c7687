package io.miniflow.app;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.app.VersionRemovals.RemovalRequested;
import io.miniflow.identity.CurrentUser;

/** JSON API of removing an environment's online version (docs/api.md): files the removal application, 202. */
@RestController
class VersionRemovalApiController {

    private final VersionRemovals removals;

    VersionRemovalApiController(VersionRemovals removals) {
        this.removals = removals;
    }

    @PostMapping("/api/apps/{appCode}/environments/{envCode}/versions/{version}/removal")
    ResponseEntity<RemovalRequested> apply(Authentication auth, @PathVariable String appCode,
                                           @PathVariable String envCode, @PathVariable String version) {
        RemovalRequested requested = removals.request(CurrentUser.from(auth), appCode, envCode, version);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", requested.statusUrl()).body(requested);
    }
}
