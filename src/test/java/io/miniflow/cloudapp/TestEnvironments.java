package io.miniflow.cloudapp;

import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.build.CloudNetwork;
import io.miniflow.shared.IdempotencyKey;

/**
 * A built environment for tests that are about what happens after the build (deploys, releases): the servers and the
 * load balancer are bought from the emulators through the same ports a build uses, then recorded as a finished build
 * would record them (with a paid order). The build itself, through payment, is tested end to end elsewhere (EnvironmentBuildEndToEndTest).
 */
public final class TestEnvironments {

    private final JdbcClient jdbc;
    private final ComputePort compute;
    private final LoadBalancerPort loadBalancers;
    private final CloudNetwork network;

    /** With the beans of the test's application: the database, the compute and load balancer ports, the network. */
    public TestEnvironments(ApplicationContext context) {
        this.jdbc = context.getBean(JdbcClient.class);
        this.compute = context.getBean(ComputePort.class);
        this.loadBalancers = context.getBean(LoadBalancerPort.class);
        this.network = context.getBean(CloudNetwork.class);
    }

    /** The built environment: its servers (in order) and its load balancer (null on a starter). */
    public record Built(long environmentId, long buildId, List<String> servers, String loadBalancerId) {
    }

    /** Makes the app's environment READY on the plan with {@code servers} servers (behind a load balancer if > 1). */
    public Built ready(String app, String env, int servers) {
        Plan plan = servers > 1 ? Plan.STANDARD : Plan.STARTER;
        long envId = jdbc.sql("SELECT e.id FROM mf_cloud_env e JOIN mf_cloud_app a ON a.id = e.app_id"
                + " WHERE a.name = ? AND e.env = ?").params(app, env).query(Long.class).single();
        String token = UUID.randomUUID().toString();
        List<String> ids = compute.runInstances(new ComputePort.InstanceSpec(network.zoneId(), network.imageId(),
            "ecs.c5.large", network.securityGroupId(), network.vSwitchId(), app + "-" + env, servers,
            network.internetBandwidthOut(), Map.of("miniflow-app", app, "miniflow-env", env)),
            IdempotencyKey.of("test-env-" + token, "servers"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> compute
            .describeInstances(ids).stream().allMatch(i -> i.status() == ComputePort.InstanceStatus.RUNNING));
        Instant now = Instant.now();
        String domain = app + "-" + env + ".apps.sandbox.miniflow.test";
        jdbc.sql("INSERT INTO mf_cloud_build (env_id, started_by, plan, months, domain, status, started_at, ended_at)"
                + " VALUES (?, 'admin', ?, 1, ?, 'READY', ?, ?)")
            .params(envId, plan.name(), domain, Timestamp.from(now), Timestamp.from(now)).update();
        long buildId = jdbc.sql("SELECT MAX(id) FROM mf_cloud_build WHERE env_id = ?").param(envId).query(Long.class)
            .single();
        jdbc.sql("INSERT INTO mf_cloud_order (env_id, build_id, out_trade_no, amount_fen, plan, months, status,"
                + " created_at, paid_at) VALUES (?, ?, ?, 100, ?, 1, 'PAID', ?, ?)")
            .params(envId, buildId, "T" + token.replace("-", "").substring(0, 20), plan.name(), Timestamp.from(now),
                Timestamp.from(now)).update();
        for (String id : ids) {
            resource(envId, buildId, ResourceKind.ECS_INSTANCE, id, servers > 1 ? 100 : null, now);
        }
        String loadBalancerId = null;
        if (servers > 1) {
            LoadBalancerPort.LoadBalancer lb = loadBalancers.createLoadBalancer(app + "-" + env, true,
                IdempotencyKey.of("test-env-" + token, "slb"));
            loadBalancerId = lb.loadBalancerId();
            loadBalancers.addBackendServers(loadBalancerId,
                ids.stream().map(id -> new LoadBalancerPort.Backend(id, 100)).toList());
            loadBalancers.ensureHttpListener(loadBalancerId, 80, 8080);
            resource(envId, buildId, ResourceKind.LOAD_BALANCER, loadBalancerId, null, now);
        }
        jdbc.sql("UPDATE mf_cloud_env SET status = 'READY', plan = ?, domain = ?, build_id = ?, updated_at = ?"
                + " WHERE id = ?")
            .params(plan.name(), domain, buildId, Timestamp.from(now), envId).update();
        return new Built(envId, buildId, ids, loadBalancerId);
    }

    private void resource(long envId, long buildId, ResourceKind kind, String id, Integer weight, Instant now) {
        jdbc.sql("INSERT INTO mf_cloud_resource (env_id, build_id, kind, resource_id, weight, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
            .params(envId, buildId, kind.name(), id, weight, Timestamp.from(now)).update();
    }
}
