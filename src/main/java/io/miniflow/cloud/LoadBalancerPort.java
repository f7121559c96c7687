package io.miniflow.cloud;

import java.util.List;

import io.miniflow.shared.IdempotencyKey;

/**
 * What environment build and deploy need from a load balancer: create one (idempotently), attach instances with
 * weights and change the weights (draining for rolling deploys), listeners and certificates, deletion. Owned by the
 * domain; the Aliyun SLB adapter implements it. Failures are thrown as {@link io.miniflow.shared.PlatformException}.
 */
public interface LoadBalancerPort {

    /** Creates an internet (or intranet) load balancer; the same key returns the same one again. */
    LoadBalancer createLoadBalancer(String name, boolean internet, IdempotencyKey key);

    LoadBalancerState describe(String loadBalancerId);

    /** Attaches instances (at most 20 per call; the adapter splits longer lists). */
    void addBackendServers(String loadBalancerId, List<Backend> backends);

    /** Changes the weights of attached instances (0 = no new requests). */
    void setBackendWeights(String loadBalancerId, List<Backend> backends);

    void removeBackendServers(String loadBalancerId, List<String> instanceIds);

    /** Uploads a PEM certificate with its key; returns the certificate id to give to an HTTPS listener. */
    String uploadCertificate(String name, String certificatePem, String privateKeyPem);

    /** Creates the listener (stopped, as the platform does) and starts it. An existing listener is left as it is. */
    void ensureHttpsListener(String loadBalancerId, int port, int backendPort, String certificateId);

    void ensureHttpListener(String loadBalancerId, int port, int backendPort);

    void deleteLoadBalancer(String loadBalancerId);

    /**
     * What the load balancer's own health check says of each attached instance, one entry per instance and listener:
     * status {@code normal}, {@code abnormal}, or {@code unavailable} (listener stopped or not checked yet).
     */
    List<BackendHealth> health(String loadBalancerId);

    record LoadBalancer(String loadBalancerId, String address) {
    }

    record Backend(String instanceId, int weight) {
    }

    record Listener(int port, String protocol, String status) {
    }

    /** The status is the platform's word (normal / abnormal / unavailable). */
    record BackendHealth(String instanceId, int listenerPort, String status) {
    }

    record LoadBalancerState(String loadBalancerId, String status, String address, List<Backend> backends,
                             List<Listener> listeners) {
    }
}
