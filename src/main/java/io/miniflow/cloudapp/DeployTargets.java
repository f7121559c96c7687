package io.miniflow.cloudapp;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * What deploys (io.miniflow.cloudapp.deploy) read and write of an environment: the environment itself (locked while a
 * deploy is requested), its app, its servers and load balancer, and per server the weight and the version deployed.
 */
@Service
public class DeployTargets {

    private final CloudAppRepository repository;

    DeployTargets(CloudAppRepository repository) {
        this.repository = repository;
    }

    public Optional<CloudApp> app(long appId) {
        return repository.findAppById(appId);
    }

    public Optional<CloudEnvironment> environment(long appId, EnvName env) {
        return repository.findEnvironment(appId, env);
    }

    public CloudEnvironment environment(long envId) {
        return repository.findEnvironmentById(envId).orElseThrow();
    }

    /** The environment row, locked until the caller's transaction ends. */
    public CloudEnvironment lock(long envId) {
        return repository.lockEnvironment(envId).orElseThrow();
    }

    /** The servers (ECS instances) not released, in the order they were bought. */
    public List<CloudResource> servers(long envId) {
        return of(envId, ResourceKind.ECS_INSTANCE);
    }

    public Optional<String> loadBalancerId(long envId) {
        return of(envId, ResourceKind.LOAD_BALANCER).stream().map(CloudResource::resourceId).findFirst();
    }

    public void weight(long envId, String instanceId, int weight) {
        repository.setWeight(envId, instanceId, weight);
    }

    public void appVersion(long envId, String instanceId, String version) {
        repository.setAppVersion(envId, instanceId, version);
    }

    /** The environment's current certificate with its private key (a starter's server ends TLS itself). */
    public Optional<ServerCertificate> certificate(CloudEnvironment environment) {
        if (environment.certificateId() == null) {
            return Optional.empty();
        }
        return repository.findCertificate(environment.certificateId()).flatMap(c -> repository.privateKey(c.id())
            .map(key -> new ServerCertificate(c.domain(), c.certificatePem(), key)));
    }

    public record ServerCertificate(String domain, String certificatePem, String privateKeyPem) {
    }

    private List<CloudResource> of(long envId, ResourceKind kind) {
        return repository.resourcesOf(envId).stream().filter(r -> r.kind() == kind).toList();
    }
}
