package io.miniflow.sandbox.aliyun;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Alibaba Cloud DNS (API 2015-01-09): records of the sandbox account, which owns every domain name. AddDomainRecord
 * has no ClientToken; the platform refuses an identical record (DomainRecordDuplicate) and a CNAME next to other
 * records of the same name and line (DomainRecordConflict); an unknown record id is DomainRecordNotBelongToUser.
 */
@Component
class AlidnsEmulator implements RpcProduct {

    private static final Set<String> TYPES = Set.of("A", "AAAA", "CNAME", "TXT", "MX", "NS", "SRV", "CAA",
        "REDIRECT_URL", "FORWARD_URL");
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern RR = Pattern.compile("@|\\*|(\\*\\.)?[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
        + "(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
        + "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AliyunSandboxControl control;

    AlidnsEmulator(JdbcClient jdbc, Clock clock, AliyunSandboxControl control) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.control = control;
    }

    @Override
    public String version() {
        return "2015-01-09";
    }

    @Override
    public String hostId() {
        return "alidns.aliyuncs.com";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        return switch (request.action()) {
            case "AddDomainRecord" -> add(request);
            case "DescribeSubDomainRecords" -> describeSubDomain(request);
            case "DeleteDomainRecord" -> delete(request);
            default -> throw RpcProduct.unknownAction(request.action());
        };
    }

    record DnsRecord(String recordId, String domain, String rr, String type, String value, long ttl, String line,
                     String status) {
    }

    private Map<String, Object> add(RpcRequest request) {
        String domain = domain(request.required("DomainName"));
        String rr = request.required("RR").toLowerCase();
        if (!RR.matcher(rr).matches()) {
            throw AliyunError.badRequest("InvalidRR.Format", "The host record (RR) is not valid: " + rr);
        }
        String type = request.required("Type");
        if (!TYPES.contains(type)) {
            throw AliyunError.badRequest("InvalidType", "The record type is not supported: " + type);
        }
        String value = request.required("Value");
        if ("A".equals(type) && !IPV4.matcher(value).matches()) {
            throw AliyunError.badRequest("InvalidValue.A", "The value of an A record must be an IPv4 address: " + value);
        }
        long ttl = request.integer("TTL", 600);
        if (ttl < 1 || ttl > 86400) {
            throw AliyunError.badRequest("InvalidTTL", "The TTL is not valid: " + ttl);
        }
        String line = request.get("Line", "default");
        List<DnsRecord> same = records(domain, rr).stream().filter(r -> r.line().equals(line)).toList();
        if (same.stream().anyMatch(r -> r.type().equals(type) && r.value().equalsIgnoreCase(value))) {
            throw AliyunError.badRequest("DomainRecordDuplicate", "The DNS record already exists.");
        }
        boolean cnameClash = !same.isEmpty()
            && ("CNAME".equals(type) || same.stream().anyMatch(r -> "CNAME".equals(r.type())));
        if (cnameClash) {
            throw AliyunError.badRequest("DomainRecordConflict", "The DNS record conflicts with other records.");
        }
        String id = Ids.random("1", 17).replaceAll("[a-z]", "3");
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_dns_record (record_id, domain_name, rr, record_type, record_value, ttl, line,
                  status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'ENABLE', ?)""")
            .params(id, domain, rr, type, value, ttl, line, Timestamp.from(clock.instant())).update();
        control.stats(request.action()).created.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RecordId", id);
        return body;
    }

    private Map<String, Object> describeSubDomain(RpcRequest request) {
        String subDomain = request.required("SubDomain").toLowerCase();
        String domain = request.get("DomainName") == null ? mainDomain(subDomain) : domain(request.get("DomainName"));
        String rr;
        if (subDomain.equals(domain)) {
            rr = "@";
        } else if (subDomain.endsWith("." + domain)) {
            rr = subDomain.substring(0, subDomain.length() - domain.length() - 1);
        } else {
            throw AliyunError.badRequest("InvalidParameter.SubDomain", "The SubDomain does not belong to the domain "
                + domain + ".");
        }
        String type = request.get("Type");
        List<DnsRecord> matching = records(domain, rr).stream()
            .filter(r -> type == null || type.equals(r.type())).toList();
        int pageNumber = Math.max(1, request.integer("PageNumber", 1));
        int pageSize = request.integer("PageSize", 20);
        if (pageSize < 1 || pageSize > 500) {
            throw AliyunError.invalid("PageSize", String.valueOf(pageSize));
        }
        List<Map<String, Object>> page = new ArrayList<>();
        matching.stream().skip((long) (pageNumber - 1) * pageSize).limit(pageSize).forEach(r -> page.add(view(r)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TotalCount", matching.size());
        body.put("PageNumber", pageNumber);
        body.put("PageSize", pageSize);
        body.put("DomainRecords", Map.of("Record", page));
        return body;
    }

    private Map<String, Object> delete(RpcRequest request) {
        String id = request.required("RecordId");
        int deleted = jdbc.sql("DELETE FROM sandbox_aliyun_dns_record WHERE record_id = ?").param(id).update();
        if (deleted == 0) {
            throw AliyunError.badRequest("DomainRecordNotBelongToUser",
                "The DNS record does not exist or does not belong to the user.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RecordId", id);
        return body;
    }

    private static String domain(String name) {
        String domain = name.toLowerCase();
        if (!DOMAIN.matcher(domain).matches()) {
            throw AliyunError.badRequest("InvalidDomainName.Format", "The domain name is not valid: " + name);
        }
        return domain;
    }

    /** Without DomainName the platform takes the registrable part; here: the last two labels. */
    private static String mainDomain(String subDomain) {
        String[] labels = subDomain.split("\\.");
        if (labels.length < 2) {
            throw AliyunError.badRequest("InvalidDomainName.Format", "The domain name is not valid: " + subDomain);
        }
        return domain(labels[labels.length - 2] + "." + labels[labels.length - 1]);
    }

    private List<DnsRecord> records(String domain, String rr) {
        return jdbc.sql("SELECT * FROM sandbox_aliyun_dns_record WHERE domain_name = ? AND rr = ? ORDER BY id")
            .params(domain, rr).query(this::row).list();
    }

    private static Map<String, Object> view(DnsRecord r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("DomainName", r.domain());
        v.put("RecordId", r.recordId());
        v.put("RR", r.rr());
        v.put("Type", r.type());
        v.put("Value", r.value());
        v.put("TTL", r.ttl());
        v.put("Line", r.line());
        v.put("Status", r.status());
        v.put("Locked", false);
        v.put("Weight", 1);
        return v;
    }

    private DnsRecord row(ResultSet rs, int n) throws SQLException {
        return new DnsRecord(rs.getString("record_id"), rs.getString("domain_name"), rs.getString("rr"),
            rs.getString("record_type"), rs.getString("record_value"), rs.getLong("ttl"), rs.getString("line"),
            rs.getString("status"));
    }
}
