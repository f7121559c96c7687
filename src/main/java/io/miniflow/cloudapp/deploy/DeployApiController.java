package io.miniflow.cloudapp.deploy;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.cloudapp.deploy.EnvironmentDeploys.DeployRequest;
import io.miniflow.cloudapp.deploy.EnvironmentDeploys.DeployStarted;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

/** The deploys API of an environment (issue 15): order a deploy (202), follow it, list the history. */
@RestController
@RequestMapping("/api/cloud-apps/{name}/environments/{env}/deploys")
class DeployApiController {

    private final EnvironmentDeploys deploys;

    DeployApiController(EnvironmentDeploys deploys) {
        this.deploys = deploys;
    }

    @PostMapping
    ResponseEntity<DeployStarted> deploy(Authentication auth, @PathVariable String name, @PathVariable String env,
                                         @RequestBody(required = false) DeployRequest body) {
        DeployStarted started = deploys.request(CurrentUser.from(auth), name, env,
            body == null ? null : body.packageVersion());
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", started.statusUrl()).body(started);
    }

    @GetMapping
    PageResult<DeploySummary> history(Authentication auth, @PathVariable String name, @PathVariable String env,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size) {
        return deploys.history(CurrentUser.from(auth), name, env, PageRequest.of(page, size));
    }

    @GetMapping("/{deployId}")
    DeployView order(Authentication auth, @PathVariable String name, @PathVariable String env,
                     @PathVariable String deployId) {
        return deploys.view(CurrentUser.from(auth), name, env, deployId);
    }
}
