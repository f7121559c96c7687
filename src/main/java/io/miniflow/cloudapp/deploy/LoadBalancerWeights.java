package io.miniflow.cloudapp.deploy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.CloudApp;
import io.miniflow.cloudapp.CloudAppService;
import io.miniflow.cloudapp.CloudEnvironment;
import io.miniflow.cloudapp.CloudResource;
import io.miniflow.cloudapp.DeployTargets;
import io.miniflow.cloudapp.EnvName;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

/**
 * The load balancer of a standard environment as its members see it (each server's weight, version and health per
 * listener), and a server's weight set by hand by the workspace's admins (issue 15): 0 takes it out of the traffic,
 * 100 is full. Refused while a deploy runs, since the deploy moves the weights itself; audited with old → new.
 */
@Service
public class LoadBalancerWeights {

    static final int MAX_WEIGHT = 100;

    private final CloudAppService apps;
    private final DeployTargets targets;
    private final DeployRepository deploys;
    private final LoadBalancerPort loadBalancers;
    private final AuditLog audit;
    private final TransactionTemplate transaction;

    LoadBalancerWeights(CloudAppService apps, DeployTargets targets, DeployRepository deploys,
                        LoadBalancerPort loadBalancers, AuditLog audit, PlatformTransactionManager transactions) {
        this.apps = apps;
        this.targets = targets;
        this.deploys = deploys;
        this.loadBalancers = loadBalancers;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The body of {@code PUT .../load-balancer/servers/{instanceId}}. */
    @io.miniflow.shared.StrictJson
    public record WeightRequest(Integer weight) {
    }

    /** A load balancer with its servers; {@code canSetWeights} for the workspace's admins. */
    public record LoadBalancerView(String app, String env, String loadBalancerId, String address, List<Integer> listeners,
                                   List<Server> servers, String activeDeployId, boolean canSetWeights) {
    }

    /** A backend server: its weight on the load balancer, the version installed, and health per listener port. */
    public record Server(String instanceId, Integer weight, String version, List<Health> health) {

        /** The health check's word on this listener port (normal, abnormal, unavailable); null: not checked. */
        public String healthOn(int listenerPort) {
            return health.stream().filter(h -> h.listenerPort() == listenerPort).map(Health::status).findFirst()
                .orElse(null);
        }
    }

    public record Health(int listenerPort, String status) {
    }

    /** What setting a weight changes, for the confirmation page and the API's answer. */
    public record WeightChange(String app, String env, String instanceId, Integer oldWeight, int newWeight) {
    }

    /** The environment's load balancer; empty when it has none (a starter, or not built): 404 as elsewhere. */
    public Optional<LoadBalancerView> view(CurrentUser user, String name, String env) {
        CloudApp app = apps.visible(user, name);
        CloudEnvironment environment = environment(app, env);
        return targets.loadBalancerId(environment.id()).map(id -> view(user, app, environment, id));
    }

    private LoadBalancerView view(CurrentUser user, CloudApp app, CloudEnvironment environment, String lbId) {
        LoadBalancerPort.LoadBalancerState state = loadBalancers.describe(lbId);
        Map<String, Integer> weights = state.backends().stream()
            .collect(Collectors.toMap(LoadBalancerPort.Backend::instanceId, LoadBalancerPort.Backend::weight,
                (a, b) -> a));
        Map<String, List<Health>> health = loadBalancers.health(lbId).stream().collect(Collectors.groupingBy(
            LoadBalancerPort.BackendHealth::instanceId, Collectors.mapping(
                h -> new Health(h.listenerPort(), h.status()), Collectors.toList())));
        List<Integer> ports = state.listeners().stream().map(LoadBalancerPort.Listener::port).sorted().toList();
        List<Server> servers = targets.servers(environment.id()).stream()
            .map(r -> new Server(r.resourceId(), weights.getOrDefault(r.resourceId(), r.weight()), r.appVersion(),
                health.getOrDefault(r.resourceId(), List.of()).stream()
                    .sorted(Comparator.comparingInt(Health::listenerPort)).toList()))
            .toList();
        return new LoadBalancerView(app.name(), environment.env().code(), lbId, state.address(), ports, servers,
            deploys.active(environment.id()).map(Deploy::deployNo).orElse(null), apps.mayAdminister(user, app));
    }

    /**
     * Checks a change as {@link #set} would refuse it (404 unseen or no load balancer, 403 unless a workspace admin,
     * 400 for a weight outside 0–100 or an instance not behind it, 409 while a deploy runs) and says what it changes.
     */
    public WeightChange check(CurrentUser user, String name, String env, String instanceId, Integer weight) {
        CloudApp app = apps.administrable(user, name);
        CloudEnvironment environment = environment(app, env);
        return check(app, environment, loadBalancerOf(app, environment), instanceId, weight);
    }

    /** Sets the server's weight on the load balancer and in Miniflow's record of it; audited. */
    public WeightChange set(CurrentUser user, String name, String env, String instanceId, Integer weight) {
        CloudApp app = apps.administrable(user, name);
        CloudEnvironment found = environment(app, env);
        String lbId = loadBalancerOf(app, found);
        // Under the environment's lock, as a deploy request takes it: no deploy starts between the check and the set.
        return transaction.execute(tx -> {
            CloudEnvironment environment = targets.lock(found.id());
            WeightChange change = check(app, environment, lbId, instanceId, weight);
            loadBalancers.setBackendWeights(lbId, List.of(new LoadBalancerPort.Backend(change.instanceId(),
                change.newWeight())));
            targets.weight(environment.id(), change.instanceId(), change.newWeight());
            audit.record(user.username(), "CLOUD_LB_WEIGHT_SET", "cloud-server",
                app.name() + "/" + environment.env().code() + "/" + change.instanceId(), app.workspace(),
                "weight " + (change.oldWeight() == null ? "-" : change.oldWeight()) + "→" + change.newWeight()
                    + " on " + lbId);
            return change;
        });
    }

    private WeightChange check(CloudApp app, CloudEnvironment environment, String lbId, String instanceId,
                               Integer weight) {
        InvalidFields invalid = new InvalidFields();
        if (weight == null) {
            invalid.add("weight", "cloudapp.lb.weight.required");
        } else if (weight < 0 || weight > MAX_WEIGHT) {
            invalid.add("weight", "cloudapp.lb.weight.range", weight);
        }
        Map<String, CloudResource> servers = targets.servers(environment.id()).stream()
            .collect(Collectors.toMap(CloudResource::resourceId, Function.identity()));
        if (instanceId == null || !servers.containsKey(instanceId)) {
            invalid.add("instanceId", "cloudapp.lb.instance.unknown", instanceId, environment.env().code());
        }
        invalid.throwIfAny();
        deploys.active(environment.id()).ifPresent(d -> {
            throw MiniflowException.conflict("cloudapp.lb.deployRunning", environment.env().code(), d.deployNo());
        });
        Integer old = loadBalancers.describe(lbId).backends().stream()
            .filter(b -> b.instanceId().equals(instanceId)).map(LoadBalancerPort.Backend::weight).findFirst()
            .orElse(servers.get(instanceId).weight());
        return new WeightChange(app.name(), environment.env().code(), instanceId, old, weight);
    }

    private String loadBalancerOf(CloudApp app, CloudEnvironment environment) {
        return targets.loadBalancerId(environment.id()).orElseThrow(() -> MiniflowException.notFound(
            "cloudapp.lb.none", environment.env().code(), app.name()));
    }

    private CloudEnvironment environment(CloudApp app, String env) {
        return EnvName.fromCode(env).flatMap(e -> targets.environment(app.id(), e))
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.environment.notFound", env, app.name()));
    }
}
