package io.miniflow.cloudapp.deploy;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.cloudapp.deploy.LoadBalancerWeights.LoadBalancerView;
import io.miniflow.cloudapp.deploy.LoadBalancerWeights.WeightChange;
import io.miniflow.cloudapp.deploy.LoadBalancerWeights.WeightRequest;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.MiniflowException;

/** The load balancer API of a standard environment (issue 15): its servers, and a weight set by a workspace admin. */
@RestController
@RequestMapping("/api/cloud-apps/{name}/environments/{env}/load-balancer")
class LoadBalancerApiController {

    private final LoadBalancerWeights weights;

    LoadBalancerApiController(LoadBalancerWeights weights) {
        this.weights = weights;
    }

    @GetMapping
    LoadBalancerView loadBalancer(Authentication auth, @PathVariable String name, @PathVariable String env) {
        return weights.view(CurrentUser.from(auth), name, env)
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.lb.none", env, name));
    }

    @PutMapping("/servers/{instanceId}")
    WeightChange weight(Authentication auth, @PathVariable String name, @PathVariable String env,
                        @PathVariable String instanceId, @RequestBody(required = false) WeightRequest body) {
        return weights.set(CurrentUser.from(auth), name, env, instanceId, body == null ? null : body.weight());
    }
}
