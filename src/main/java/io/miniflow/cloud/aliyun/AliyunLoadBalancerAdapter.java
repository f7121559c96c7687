package io.miniflow.cloud.aliyun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.aliyuncs.slb.model.v20140515.AddBackendServersRequest;
import com.aliyuncs.slb.model.v20140515.CreateLoadBalancerHTTPListenerRequest;
import com.aliyuncs.slb.model.v20140515.CreateLoadBalancerHTTPSListenerRequest;
import com.aliyuncs.slb.model.v20140515.CreateLoadBalancerRequest;
import com.aliyuncs.slb.model.v20140515.CreateLoadBalancerResponse;
import com.aliyuncs.slb.model.v20140515.DeleteLoadBalancerRequest;
import com.aliyuncs.slb.model.v20140515.DescribeHealthStatusRequest;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancerAttributeRequest;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancerAttributeResponse;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancerHTTPListenerAttributeRequest;
import com.aliyuncs.slb.model.v20140515.DescribeLoadBalancerHTTPSListenerAttributeRequest;
import com.aliyuncs.slb.model.v20140515.RemoveBackendServersRequest;
import com.aliyuncs.slb.model.v20140515.SetBackendServersRequest;
import com.aliyuncs.slb.model.v20140515.StartLoadBalancerListenerRequest;
import com.aliyuncs.slb.model.v20140515.UploadServerCertificateRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.springframework.stereotype.Component;

/**
 * {@link LoadBalancerPort} on aliyun-java-sdk-slb. Creation carries a ClientToken; the other changes look at the
 * current state first and change only what differs, so a repeated call is harmless; lists go in chunks of 20.
 */
@Component
public class AliyunLoadBalancerAdapter implements LoadBalancerPort {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_CALL = 20;

    private final AliyunClientFactory aliyun;

    public AliyunLoadBalancerAdapter(AliyunClientFactory aliyun) {
        this.aliyun = aliyun;
    }

    @Override
    public LoadBalancer createLoadBalancer(String name, boolean internet, IdempotencyKey key) {
        CreateLoadBalancerRequest request = new CreateLoadBalancerRequest();
        request.setLoadBalancerName(name);
        request.setAddressType(internet ? "internet" : "intranet");
        request.setClientToken(key.clientToken());
        CreateLoadBalancerResponse response = aliyun.call(AliyunClientFactory.Product.SLB, request);
        return new LoadBalancer(response.getLoadBalancerId(), response.getAddress());
    }

    @Override
    public LoadBalancerState describe(String loadBalancerId) {
        DescribeLoadBalancerAttributeResponse attribute = attribute(loadBalancerId);
        List<Backend> backends = attribute.getBackendServers().stream()
            .map(s -> new Backend(s.getServerId(), s.getWeight() == null ? 0 : s.getWeight())).toList();
        List<Listener> listeners = new ArrayList<>();
        for (DescribeLoadBalancerAttributeResponse.ListenerPortAndProtocol l : attribute.getListenerPortsAndProtocol()) {
            listeners.add(new Listener(l.getListenerPort(), l.getListenerProtocol(),
                listenerStatus(loadBalancerId, l.getListenerPort(), l.getListenerProtocol())));
        }
        return new LoadBalancerState(attribute.getLoadBalancerId(), attribute.getLoadBalancerStatus(),
            attribute.getAddress(), backends, listeners);
    }

    private Set<String> attachedServers(String loadBalancerId) {
        return attribute(loadBalancerId).getBackendServers().stream()
            .map(DescribeLoadBalancerAttributeResponse.BackendServer::getServerId).collect(Collectors.toSet());
    }

    private DescribeLoadBalancerAttributeResponse attribute(String loadBalancerId) {
        DescribeLoadBalancerAttributeRequest request = new DescribeLoadBalancerAttributeRequest();
        request.setLoadBalancerId(loadBalancerId);
        return aliyun.call(AliyunClientFactory.Product.SLB, request);
    }

    private String listenerStatus(String loadBalancerId, int port, String protocol) {
        if ("https".equals(protocol)) {
            DescribeLoadBalancerHTTPSListenerAttributeRequest request = new DescribeLoadBalancerHTTPSListenerAttributeRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setListenerPort(port);
            return aliyun.call(AliyunClientFactory.Product.SLB, request).getStatus();
        }
        if ("http".equals(protocol)) {
            DescribeLoadBalancerHTTPListenerAttributeRequest request = new DescribeLoadBalancerHTTPListenerAttributeRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setListenerPort(port);
            return aliyun.call(AliyunClientFactory.Product.SLB, request).getStatus();
        }
        return null;
    }

    @Override
    public void addBackendServers(String loadBalancerId, List<Backend> backends) {
        Set<String> attached = attachedServers(loadBalancerId);
        List<Backend> missing = backends.stream().filter(b -> !attached.contains(b.instanceId())).toList();
        for (List<Backend> chunk : chunks(missing)) {
            AddBackendServersRequest request = new AddBackendServersRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setBackendServers(servers(chunk));
            aliyun.call(AliyunClientFactory.Product.SLB, request);
        }
    }

    @Override
    public void setBackendWeights(String loadBalancerId, List<Backend> backends) {
        for (List<Backend> chunk : chunks(backends)) {
            SetBackendServersRequest request = new SetBackendServersRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setBackendServers(servers(chunk));
            aliyun.call(AliyunClientFactory.Product.SLB, request);
        }
    }

    @Override
    public void removeBackendServers(String loadBalancerId, List<String> instanceIds) {
        Set<String> attached = attachedServers(loadBalancerId);
        List<Backend> present = instanceIds.stream().filter(attached::contains).map(id -> new Backend(id, 0)).toList();
        for (List<Backend> chunk : chunks(present)) {
            RemoveBackendServersRequest request = new RemoveBackendServersRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setBackendServers(json(chunk.stream().map(Backend::instanceId).toList()));
            aliyun.call(AliyunClientFactory.Product.SLB, request);
        }
    }

    @Override
    public String uploadCertificate(String name, String certificatePem, String privateKeyPem) {
        UploadServerCertificateRequest request = new UploadServerCertificateRequest();
        request.setServerCertificateName(name);
        request.setServerCertificate(certificatePem);
        request.setPrivateKey(privateKeyPem);
        return aliyun.call(AliyunClientFactory.Product.SLB, request).getServerCertificateId();
    }

    @Override
    public void ensureHttpsListener(String loadBalancerId, int port, int backendPort, String certificateId) {
        if (!hasListener(loadBalancerId, port)) {
            CreateLoadBalancerHTTPSListenerRequest request = new CreateLoadBalancerHTTPSListenerRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setListenerPort(port);
            request.setBackendServerPort(backendPort);
            request.setBandwidth(-1);
            request.setStickySession("off");
            request.setHealthCheck("on");
            request.setServerCertificateId(certificateId);
            createListener(() -> aliyun.call(AliyunClientFactory.Product.SLB, request));
        }
        start(loadBalancerId, port, "https");
    }

    @Override
    public void ensureHttpListener(String loadBalancerId, int port, int backendPort) {
        if (!hasListener(loadBalancerId, port)) {
            CreateLoadBalancerHTTPListenerRequest request = new CreateLoadBalancerHTTPListenerRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setListenerPort(port);
            request.setBackendServerPort(backendPort);
            request.setBandwidth(-1);
            request.setStickySession("off");
            request.setHealthCheck("on");
            createListener(() -> aliyun.call(AliyunClientFactory.Product.SLB, request));
        }
        start(loadBalancerId, port, "http");
    }

    private boolean hasListener(String loadBalancerId, int port) {
        return attribute(loadBalancerId).getListenerPortsAndProtocol().stream()
            .anyMatch(l -> l.getListenerPort() != null && l.getListenerPort() == port);
    }

    /** A listener created by a call whose answer was lost is there already: that is the wanted state. */
    private static void createListener(Runnable create) {
        try {
            create.run();
        } catch (PlatformException e) {
            if (!"ListenerAlreadyExists".equals(e.platformCode())) {
                throw e;
            }
        }
    }

    private void start(String loadBalancerId, int port, String protocol) {
        if (!"running".equals(listenerStatus(loadBalancerId, port, protocol))) {
            StartLoadBalancerListenerRequest request = new StartLoadBalancerListenerRequest();
            request.setLoadBalancerId(loadBalancerId);
            request.setListenerPort(port);
            aliyun.call(AliyunClientFactory.Product.SLB, request);
        }
    }

    @Override
    public void deleteLoadBalancer(String loadBalancerId) {
        DeleteLoadBalancerRequest request = new DeleteLoadBalancerRequest();
        request.setLoadBalancerId(loadBalancerId);
        try {
            aliyun.call(AliyunClientFactory.Product.SLB, request);
        } catch (PlatformException e) {
            if (!"InvalidLoadBalancerId.NotFound".equals(e.platformCode())) {
                throw e;
            }
        }
    }

    @Override
    public List<BackendHealth> health(String loadBalancerId) {
        DescribeHealthStatusRequest request = new DescribeHealthStatusRequest();
        request.setLoadBalancerId(loadBalancerId);
        return aliyun.call(AliyunClientFactory.Product.SLB, request).getBackendServers().stream()
            .map(s -> new BackendHealth(s.getServerId(), s.getListenerPort() == null ? 0 : s.getListenerPort(),
                s.getServerHealthStatus()))
            .toList();
    }

    private static List<List<Backend>> chunks(List<Backend> backends) {
        List<List<Backend>> chunks = new ArrayList<>();
        for (int from = 0; from < backends.size(); from += PER_CALL) {
            chunks.add(backends.subList(from, Math.min(backends.size(), from + PER_CALL)));
        }
        return chunks;
    }

    private static String servers(List<Backend> backends) {
        List<Map<String, String>> list = new ArrayList<>();
        for (Backend b : backends) {
            Map<String, String> server = new LinkedHashMap<>();
            server.put("ServerId", b.instanceId());
            server.put("Weight", String.valueOf(b.weight()));
            server.put("Type", "ecs");
            list.add(server);
        }
        return json(list);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
