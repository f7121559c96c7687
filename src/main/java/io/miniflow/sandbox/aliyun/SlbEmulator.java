package io.miniflow.sandbox.aliyun;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * SLB/CLB (API 2014-05-15): load balancers, backend servers with weights (only Running ECS instances, at most 20 per
 * call), server certificates checked for PEM form and a matching key, HTTP/HTTPS listeners created stopped. Health
 * checks ask each backend's {@link EmulatedApps emulated app}, whatever its weight.
 */
@Component
class SlbEmulator implements RpcProduct {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ClientTokens tokens;
    private final EcsEmulator ecs;
    private final ObjectMapper json;
    private final AliyunSandboxControl control;
    private final EmulatedApps apps;

    SlbEmulator(JdbcClient jdbc, Clock clock, ClientTokens tokens, EcsEmulator ecs, ObjectMapper json,
                AliyunSandboxControl control, EmulatedApps apps) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tokens = tokens;
        this.ecs = ecs;
        this.json = json;
        this.control = control;
        this.apps = apps;
    }

    @Override
    public String version() {
        return "2014-05-15";
    }

    @Override
    public String hostId() {
        return "slb.aliyuncs.com";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        return switch (request.action()) {
            case "CreateLoadBalancer" -> tokens.once("Slb", request, () -> createLoadBalancer(request));
            case "DescribeLoadBalancers" -> describeLoadBalancers(request);
            case "DescribeLoadBalancerAttribute" -> describeAttribute(request);
            case "AddBackendServers" -> addBackendServers(request);
            case "SetBackendServers" -> setBackendServers(request);
            case "RemoveBackendServers" -> removeBackendServers(request);
            case "UploadServerCertificate" -> uploadServerCertificate(request);
            case "CreateLoadBalancerHTTPSListener" -> createListener(request, "https");
            case "CreateLoadBalancerHTTPListener" -> createListener(request, "http");
            case "StartLoadBalancerListener" -> setListenerStatus(request, "running");
            case "StopLoadBalancerListener" -> setListenerStatus(request, "stopped");
            case "DescribeLoadBalancerHTTPSListenerAttribute" -> describeListener(request, "https");
            case "DescribeLoadBalancerHTTPListenerAttribute" -> describeListener(request, "http");
            case "DescribeHealthStatus" -> describeHealthStatus(request);
            case "SetLoadBalancerStatus" -> setStatus(request);
            case "DeleteLoadBalancer" -> deleteLoadBalancer(request);
            default -> throw RpcProduct.unknownAction(request.action());
        };
    }

    record LoadBalancer(String id, String regionId, String name, String address, String addressType,
                        String networkType, String vpcId, String vswitchId, String spec, String payType,
                        int bandwidth, String status, String deleteProtection, Instant createdAt) {
    }

    private Map<String, Object> createLoadBalancer(RpcRequest request) {
        String regionId = request.required("RegionId");
        String addressType = request.get("AddressType", "internet");
        if (!Set.of("internet", "intranet").contains(addressType)) {
            throw AliyunError.invalid("AddressType", addressType);
        }
        int bandwidth = request.integer("Bandwidth", 5120);
        if (bandwidth < 1 || bandwidth > 5120) {
            throw AliyunError.invalid("Bandwidth", String.valueOf(bandwidth));
        }
        String id = Ids.random("lb-bp1", 19);
        String vswitchId = request.get("VSwitchId");
        String name = request.get("LoadBalancerName", "auto_named_slb");
        String address = "internet".equals(addressType) ? Ids.address("120.55") : Ids.address("172.17");
        String networkType = vswitchId == null ? "classic" : "vpc";
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_load_balancer (load_balancer_id, region_id, load_balancer_name, address,
                  address_type, network_type, vpc_id, vswitch_id, spec, pay_type, bandwidth, status, delete_protection, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)""")
            .params(id, regionId, name, address, addressType, networkType, request.get("VpcId"), vswitchId,
                request.get("LoadBalancerSpec"), request.get("PayType", "PayOnDemand"), bandwidth,
                request.get("DeleteProtection", "off"), Timestamp.from(clock.instant()))
            .update();
        control.stats(request.action()).created.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("LoadBalancerId", id);
        body.put("Address", address);
        body.put("AddressIPVersion", "ipv4");
        body.put("NetworkType", networkType);
        body.put("VpcId", request.get("VpcId", ""));
        body.put("VSwitchId", vswitchId == null ? "" : vswitchId);
        body.put("LoadBalancerName", name);
        return body;
    }

    private Map<String, Object> describeLoadBalancers(RpcRequest request) {
        String regionId = request.required("RegionId");
        Set<String> ids = request.get("LoadBalancerId") == null ? null
            : new LinkedHashSet<>(Arrays.asList(request.get("LoadBalancerId").split(",")));
        String name = request.get("LoadBalancerName");
        String serverId = request.get("ServerId");
        List<LoadBalancer> matching = jdbc.sql("SELECT * FROM sandbox_aliyun_load_balancer WHERE region_id = ? ORDER BY id")
            .param(regionId).query(this::row).list().stream()
            .filter(lb -> ids == null || ids.contains(lb.id()))
            .filter(lb -> name == null || name.equals(lb.name()))
            .filter(lb -> serverId == null || servers(lb.id()).stream().anyMatch(s -> serverId.equals(s.get("ServerId"))))
            .toList();
        int pageNumber = Math.max(1, request.integer("PageNumber", 1));
        int pageSize = request.integer("PageSize", 10);
        if (pageSize < 1 || pageSize > 100) {
            throw AliyunError.invalid("PageSize", String.valueOf(pageSize));
        }
        List<Map<String, Object>> page = matching.stream().skip((long) (pageNumber - 1) * pageSize).limit(pageSize)
            .map(this::summary).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TotalCount", matching.size());
        body.put("PageNumber", pageNumber);
        body.put("PageSize", pageSize);
        body.put("LoadBalancers", Map.of("LoadBalancer", page));
        return body;
    }

    private Map<String, Object> summary(LoadBalancer lb) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("LoadBalancerId", lb.id());
        v.put("LoadBalancerName", lb.name());
        v.put("LoadBalancerStatus", lb.status());
        v.put("Address", lb.address());
        v.put("AddressType", lb.addressType());
        v.put("AddressIPVersion", "ipv4");
        v.put("NetworkType", lb.networkType());
        v.put("RegionId", lb.regionId());
        v.put("RegionIdAlias", lb.regionId());
        v.put("VpcId", lb.vpcId() == null ? "" : lb.vpcId());
        v.put("VSwitchId", lb.vswitchId() == null ? "" : lb.vswitchId());
        v.put("LoadBalancerSpec", lb.spec() == null ? "" : lb.spec());
        v.put("PayType", lb.payType());
        v.put("InternetChargeType", "paybytraffic");
        v.put("Bandwidth", lb.bandwidth());
        v.put("DeleteProtection", lb.deleteProtection());
        v.put("CreateTime", EcsEmulator.MINUTES.format(lb.createdAt()));
        v.put("CreateTimeStamp", lb.createdAt().toEpochMilli());
        return v;
    }

    private Map<String, Object> describeAttribute(RpcRequest request) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        Map<String, Object> body = summary(lb);
        List<Map<String, Object>> listeners = jdbc.sql("""
                SELECT listener_port, protocol, status FROM sandbox_aliyun_listener WHERE load_balancer_id = ?
                ORDER BY listener_port""").param(lb.id())
            .query((rs, n) -> {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("ListenerPort", rs.getInt(1));
                l.put("ListenerProtocol", rs.getString(2));
                l.put("Description", "");
                return l;
            }).list();
        body.put("ListenerPorts", Map.of("ListenerPort", listeners.stream().map(l -> l.get("ListenerPort")).toList()));
        body.put("ListenerPortsAndProtocol", Map.of("ListenerPortAndProtocol", listeners));
        body.put("BackendServers", Map.of("BackendServer", servers(lb.id())));
        return body;
    }

    private List<Map<String, Object>> servers(String loadBalancerId) {
        return jdbc.sql("""
                SELECT server_id, server_type, weight, server_ip, description FROM sandbox_aliyun_backend_server
                WHERE load_balancer_id = ? ORDER BY id""").param(loadBalancerId)
            .query((rs, n) -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("ServerId", rs.getString(1));
                s.put("Type", rs.getString(2));
                s.put("Weight", rs.getInt(3));
                s.put("ServerIp", rs.getString(4) == null ? "" : rs.getString(4));
                s.put("Description", rs.getString(5) == null ? "" : rs.getString(5));
                s.put("VpcId", "vpc-sandbox");
                return s;
            }).list();
    }

    /** One entry of the BackendServers JSON list. */
    private record Server(String serverId, String type, int weight, String serverIp, String description) {
    }

    private List<Server> parseServers(RpcRequest request, boolean weightsNeeded) {
        String text = request.required("BackendServers");
        JsonNode list;
        try {
            list = json.readTree(text);
        } catch (Exception e) {
            throw AliyunError.invalid("BackendServers", "not a JSON list");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw AliyunError.invalid("BackendServers", "not a JSON list");
        }
        if (list.size() > 20) {
            throw AliyunError.badRequest("InvalidParameter.BackendServers",
                "At most 20 backend servers can be given per call, got " + list.size() + ".");
        }
        List<Server> servers = new ArrayList<>();
        for (JsonNode node : list) {
            String id = node.isTextual() ? node.asText() : node.path("ServerId").asText(null);
            if (id == null || id.isEmpty()) {
                throw AliyunError.invalid("BackendServers", "ServerId missing");
            }
            int weight = 100;
            if (node.has("Weight")) {
                String w = node.get("Weight").asText();
                try {
                    weight = Integer.parseInt(w);
                } catch (NumberFormatException e) {
                    throw AliyunError.invalid("Weight", w);
                }
                if (weight < 0 || weight > 100) {
                    throw AliyunError.invalid("Weight", w);
                }
            } else if (weightsNeeded) {
                throw AliyunError.missing("Weight");
            }
            String type = node.path("Type").asText("ecs");
            if (!Set.of("ecs", "eni", "eci").contains(type)) {
                throw AliyunError.invalid("Type", type);
            }
            servers.add(new Server(id, type, weight, node.path("ServerIp").asText(null),
                node.path("Description").asText(null)));
        }
        return servers;
    }

    private Map<String, Object> addBackendServers(RpcRequest request) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        List<Server> servers = parseServers(request, false);
        Set<String> existing = new LinkedHashSet<>();
        servers(lb.id()).forEach(s -> existing.add((String) s.get("ServerId")));
        for (Server s : servers) {
            if (existing.contains(s.serverId())) {
                throw AliyunError.badRequest("BackendServer.AlreadyExist",
                    "The backend server " + s.serverId() + " is already attached to " + lb.id() + ".");
            }
            if ("ecs".equals(s.type())) {
                EcsEmulator.Instance instance = ecs.find(s.serverId()).orElseThrow(() -> AliyunError.badRequest(
                    "InvalidBackendServers.ServerIdNotExist", "The specified ServerId does not exist: " + s.serverId()));
                if (!"Running".equals(instance.status())) {
                    throw AliyunError.badRequest("IncorrectBackendServerStatus", "The backend server " + s.serverId()
                        + " is not Running (" + instance.status() + ").");
                }
            }
        }
        for (Server s : servers) {
            jdbc.sql("""
                    INSERT INTO sandbox_aliyun_backend_server (load_balancer_id, server_id, server_type, weight, server_ip, description)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                .params(lb.id(), s.serverId(), s.type(), s.weight(), s.serverIp(), s.description()).update();
        }
        return backendBody(lb.id());
    }

    private Map<String, Object> setBackendServers(RpcRequest request) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        List<Server> servers = parseServers(request, false);
        Set<String> existing = new LinkedHashSet<>();
        servers(lb.id()).forEach(s -> existing.add((String) s.get("ServerId")));
        for (Server s : servers) {
            if (!existing.contains(s.serverId())) {
                throw AliyunError.badRequest("BackendServer.NotExist",
                    "The backend server " + s.serverId() + " is not attached to " + lb.id() + ".");
            }
        }
        for (Server s : servers) {
            jdbc.sql("UPDATE sandbox_aliyun_backend_server SET weight = ? WHERE load_balancer_id = ? AND server_id = ?")
                .params(s.weight(), lb.id(), s.serverId()).update();
        }
        return backendBody(lb.id());
    }

    private Map<String, Object> removeBackendServers(RpcRequest request) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        for (Server s : parseServers(request, false)) {
            jdbc.sql("DELETE FROM sandbox_aliyun_backend_server WHERE load_balancer_id = ? AND server_id = ?")
                .params(lb.id(), s.serverId()).update();
        }
        return backendBody(lb.id());
    }

    private Map<String, Object> backendBody(String loadBalancerId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("LoadBalancerId", loadBalancerId);
        body.put("BackendServers", Map.of("BackendServer", servers(loadBalancerId)));
        return body;
    }

    private Map<String, Object> uploadServerCertificate(RpcRequest request) {
        String regionId = request.required("RegionId");
        X509Certificate certificate = certificate(request.required("ServerCertificate"));
        PrivateKey key = privateKey(request.required("PrivateKey"), certificate.getPublicKey().getAlgorithm());
        if (!matches(certificate, key)) {
            throw AliyunError.badRequest("InvalidParameter.CertificateAndPrivateKeyIsRefused",
                "The private key does not match the certificate.");
        }
        String fingerprint;
        try {
            fingerprint = HexFormat.ofDelimiter(":").formatHex(
                MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String subject = certificate.getSubjectX500Principal().getName();
        Matcher cn = Pattern.compile("CN=([^,]+)").matcher(subject);
        String commonName = cn.find() ? cn.group(1) : subject;
        String id = Ids.random("", 16) + "_" + Ids.random("", 11) + "_" + regionId;
        Instant now = clock.instant();
        Instant expires = certificate.getNotAfter().toInstant();
        String name = request.get("ServerCertificateName", commonName);
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_certificate (server_certificate_id, region_id, server_certificate_name,
                  fingerprint, common_name, expire_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)""")
            .params(id, regionId, name, fingerprint, commonName, Timestamp.from(expires), Timestamp.from(now)).update();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ServerCertificateId", id);
        body.put("ServerCertificateName", name);
        body.put("Fingerprint", fingerprint);
        body.put("CommonName", commonName);
        body.put("ExpireTime", DateTimeFormatter.ISO_INSTANT.format(expires));
        body.put("ExpireTimeStamp", expires.toEpochMilli());
        body.put("CreateTime", DateTimeFormatter.ISO_INSTANT.format(now));
        body.put("CreateTimeStamp", now.toEpochMilli());
        body.put("RegionId", regionId);
        body.put("RegionIdAlias", regionId);
        body.put("IsAliCloudCertificate", 0);
        return body;
    }

    private static byte[] pem(String text, String parameter, String... types) {
        Matcher m = PEM.matcher(text);
        if (!m.find() || !Arrays.asList(types).contains(m.group(1))) {
            throw AliyunError.badRequest("InvalidParameter." + parameter, "The " + parameter + " is not in PEM form.");
        }
        try {
            return Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw AliyunError.badRequest("InvalidParameter." + parameter, "The " + parameter + " is not in PEM form.");
        }
    }

    private static X509Certificate certificate(String text) {
        byte[] der = pem(text, "ServerCertificate", "CERTIFICATE");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw AliyunError.badRequest("InvalidParameter.ServerCertificate", "The ServerCertificate cannot be read.");
        }
    }

    /** PKCS#8 ("PRIVATE KEY") or PKCS#1 RSA ("RSA PRIVATE KEY", wrapped into PKCS#8 here). */
    private static PrivateKey privateKey(String text, String algorithm) {
        boolean pkcs1 = text.contains("BEGIN RSA PRIVATE KEY");
        byte[] der = pem(text, "PrivateKey", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");
        try {
            if (pkcs1) {
                der = wrapPkcs1(der);
            }
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw AliyunError.badRequest("InvalidParameter.PrivateKey", "The PrivateKey cannot be read.");
        }
    }

    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
            0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
        byte[] content = concat(version, algorithm, octets);
        return concat(new byte[] {0x30}, length(content.length), content);
    }

    private static byte[] length(int n) {
        if (n < 128) {
            return new byte[] {(byte) n};
        }
        if (n < 256) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 65536) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** The key matches when what it signs verifies against the certificate's public key. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        try {
            String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] challenge = "sandbox-certificate-check".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private Map<String, Object> createListener(RpcRequest request, String protocol) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        int port = request.integer("ListenerPort", -1);
        if (port < 1 || port > 65535) {
            throw request.get("ListenerPort") == null ? AliyunError.missing("ListenerPort")
                : AliyunError.invalid("ListenerPort", request.get("ListenerPort"));
        }
        int bandwidth = request.integer("Bandwidth", -1);
        if (bandwidth != -1 && (bandwidth < 1 || bandwidth > 5120)) {
            throw AliyunError.invalid("Bandwidth", String.valueOf(bandwidth));
        }
        Integer backendPort = request.get("BackendServerPort") == null ? null : request.integer("BackendServerPort", 80);
        if (backendPort == null && request.get("VServerGroupId") == null) {
            throw AliyunError.missing("BackendServerPort");
        }
        String certificateId = null;
        if ("https".equals(protocol)) {
            certificateId = request.required("ServerCertificateId");
            boolean known = jdbc.sql("SELECT COUNT(*) FROM sandbox_aliyun_certificate WHERE server_certificate_id = ?")
                .param(certificateId).query(Integer.class).single() > 0;
            if (!known) {
                throw AliyunError.badRequest("ServerCertificateId.NotFound",
                    "The specified ServerCertificateId does not exist.");
            }
        }
        boolean taken = jdbc.sql("SELECT COUNT(*) FROM sandbox_aliyun_listener WHERE load_balancer_id = ? AND listener_port = ?")
            .params(lb.id(), port).query(Integer.class).single() > 0;
        if (taken) {
            throw AliyunError.badRequest("ListenerAlreadyExists", "The specified port already exists.");
        }
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_listener (load_balancer_id, listener_port, protocol, backend_port, bandwidth,
                  status, server_certificate_id) VALUES (?, ?, ?, ?, ?, 'stopped', ?)""")
            .params(lb.id(), port, protocol, backendPort, bandwidth, certificateId).update();
        return new LinkedHashMap<>();
    }

    private Map<String, Object> setListenerStatus(RpcRequest request, String status) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        int port = request.integer("ListenerPort", -1);
        int updated = jdbc.sql("UPDATE sandbox_aliyun_listener SET status = ? WHERE load_balancer_id = ? AND listener_port = ?")
            .params(status, lb.id(), port).update();
        if (updated == 0) {
            throw AliyunError.badRequest("InvalidParameter", "The specified listener " + port + " does not exist.");
        }
        return new LinkedHashMap<>();
    }

    private Map<String, Object> describeListener(RpcRequest request, String protocol) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        int port = request.integer("ListenerPort", -1);
        return jdbc.sql("""
                SELECT listener_port, backend_port, bandwidth, status, server_certificate_id FROM sandbox_aliyun_listener
                WHERE load_balancer_id = ? AND listener_port = ? AND protocol = ?""")
            .params(lb.id(), port, protocol)
            .query((rs, n) -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("ListenerPort", rs.getInt(1));
                body.put("BackendServerPort", rs.getObject(2));
                body.put("Bandwidth", rs.getInt(3));
                body.put("Status", rs.getString(4));
                if (rs.getString(5) != null) {
                    body.put("ServerCertificateId", rs.getString(5));
                }
                body.put("StickySession", "off");
                body.put("HealthCheck", "off");
                body.put("XForwardedFor", "on");
                body.put("Scheduler", "wrr");
                return body;
            }).optional()
            .orElseThrow(() -> AliyunError.badRequest("InvalidParameter",
                "The specified " + protocol.toUpperCase() + " listener " + port + " does not exist."));
    }

    /**
     * One entry per backend server and listener: {@code normal} when the server's app answers its health check,
     * {@code abnormal} when not, {@code unavailable} while the listener is stopped (nothing is checked then).
     */
    private Map<String, Object> describeHealthStatus(RpcRequest request) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        Integer onlyPort = request.get("ListenerPort") == null ? null : request.integer("ListenerPort", -1);
        String onlyProtocol = request.get("ListenerProtocol");
        List<Listener> listeners = jdbc.sql("""
                SELECT listener_port, protocol, backend_port, status FROM sandbox_aliyun_listener
                WHERE load_balancer_id = ? ORDER BY listener_port""").param(lb.id())
            .query((rs, n) -> {
                int backendPort = rs.getInt(3);
                return new Listener(rs.getInt(1), rs.getString(2), rs.wasNull() ? null : backendPort,
                    "running".equals(rs.getString(4)));
            })
            .list().stream()
            .filter(l -> onlyPort == null || l.port() == onlyPort)
            .filter(l -> onlyProtocol == null || onlyProtocol.equalsIgnoreCase(l.protocol()))
            .toList();
        List<Map<String, Object>> servers = servers(lb.id());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Listener listener : listeners) {
            for (Map<String, Object> server : servers) {
                String serverId = (String) server.get("ServerId");
                String ip = (String) server.get("ServerIp");
                if (ip.isEmpty()) {
                    ip = ecs.find(serverId).map(EcsEmulator.Instance::privateIp).orElse("");
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("ServerId", serverId);
                entry.put("ServerIp", ip);
                entry.put("Port", listener.backendPort() == null ? 0 : listener.backendPort());
                entry.put("ListenerPort", listener.port());
                entry.put("Protocol", listener.protocol());
                entry.put("Type", server.get("Type"));
                entry.put("ServerHealthStatus", !listener.running() ? "unavailable"
                    : apps.answers(serverId) ? "normal" : "abnormal");
                entries.add(entry);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("BackendServers", Map.of("BackendServer", entries));
        return body;
    }

    private record Listener(int port, String protocol, Integer backendPort, boolean running) {
    }

    private Map<String, Object> setStatus(RpcRequest request) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        String status = request.required("LoadBalancerStatus");
        if (!Set.of("active", "inactive").contains(status)) {
            throw AliyunError.invalid("LoadBalancerStatus", status);
        }
        jdbc.sql("UPDATE sandbox_aliyun_load_balancer SET status = ? WHERE load_balancer_id = ?").params(status, lb.id())
            .update();
        return new LinkedHashMap<>();
    }

    private Map<String, Object> deleteLoadBalancer(RpcRequest request) {
        LoadBalancer lb = require(request.required("LoadBalancerId"));
        if ("on".equals(lb.deleteProtection())) {
            throw AliyunError.badRequest("OperationFailed.DeleteProtection",
                "The load balancer cannot be deleted while delete protection is on.");
        }
        jdbc.sql("DELETE FROM sandbox_aliyun_backend_server WHERE load_balancer_id = ?").param(lb.id()).update();
        jdbc.sql("DELETE FROM sandbox_aliyun_listener WHERE load_balancer_id = ?").param(lb.id()).update();
        jdbc.sql("DELETE FROM sandbox_aliyun_load_balancer WHERE load_balancer_id = ?").param(lb.id()).update();
        return new LinkedHashMap<>();
    }

    private LoadBalancer require(String id) {
        return jdbc.sql("SELECT * FROM sandbox_aliyun_load_balancer WHERE load_balancer_id = ?").param(id)
            .query(this::row).optional()
            .orElseThrow(() -> AliyunError.badRequest("InvalidLoadBalancerId.NotFound",
                "The specified LoadBalancerId does not exist. (" + id + ")"));
    }

    private LoadBalancer row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new LoadBalancer(rs.getString("load_balancer_id"), rs.getString("region_id"),
            rs.getString("load_balancer_name"), rs.getString("address"), rs.getString("address_type"),
            rs.getString("network_type"), rs.getString("vpc_id"), rs.getString("vswitch_id"), rs.getString("spec"),
            rs.getString("pay_type"), rs.getInt("bandwidth"), rs.getString("status"),
            rs.getString("delete_protection"), rs.getTimestamp("created_at").toInstant());
    }
}
