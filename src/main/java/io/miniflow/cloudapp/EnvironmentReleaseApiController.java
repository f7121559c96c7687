package io.miniflow.cloudapp;

import io.miniflow.cloudapp.EnvironmentReleases.ReleaseRequest;
import io.miniflow.cloudapp.EnvironmentReleases.ReleaseStarted;
import io.miniflow.identity.CurrentUser;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The release API of an environment (issue 15): {@code {"confirm":"<env name>"}} → 202 with where to follow it. */
@RestController
class EnvironmentReleaseApiController {

    private final EnvironmentReleases releases;

    EnvironmentReleaseApiController(EnvironmentReleases releases) {
        this.releases = releases;
    }

    @PostMapping("/api/cloud-apps/{name}/environments/{env}/release")
    ResponseEntity<ReleaseStarted> release(Authentication auth, @PathVariable String name, @PathVariable String env,
                                           @RequestBody(required = false) ReleaseRequest body) {
        ReleaseStarted started = releases.startRelease(CurrentUser.from(auth), name, env,
            body == null ? null : body.confirm());
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", started.statusUrl()).body(started);
    }
}
