package io.miniflow.sandbox.wechat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The emulated platform's identity (from miniflow.wechat.*, the same properties Miniflow's client reads) and its
 * adjustable behaviour (delays, latency, faults, quota), which the control API changes at runtime and which is kept in
 * {@code sandbox_wechat_setting} so it survives a restart. The emulator runs on one node: values are cached here.
 */
@Component
class WechatSandboxSettings {

    /**
     * A fault injected into a share of the calls of one API (or "*" for all), for every caller or one appid (kept
     * under "api@appid"): -1 system busy, an HTTP 502, 45009 daily quota, 45011 frequency limit, one of those four
     * at random (MIXED), or a given errcode (ERRCODE, e.g. 85013 that never passes).
     */
    record Fault(double rate, String kind, Integer errcode) {
        static final String SYSTEM_BUSY = "SYSTEM_BUSY";
        static final String HTTP_5XX = "HTTP_5XX";
        static final String QUOTA = "QUOTA";
        static final String FREQUENCY = "FREQUENCY";
        static final String MIXED = "MIXED";
        static final String ERRCODE = "ERRCODE";
        /** What a MIXED fault picks from. */
        static final java.util.List<String> TRANSIENT = java.util.List.of(SYSTEM_BUSY, HTTP_5XX, QUOTA, FREQUENCY);
        static final java.util.List<String> KINDS = java.util.List.of(SYSTEM_BUSY, HTTP_5XX, QUOTA, FREQUENCY, MIXED,
            ERRCODE);
    }

    /**
     * Faults of the message pushes (audit results), each a share 0..1 of them: not sent at all, sent a second time a
     * little later, decided at submission and pushed before submit_audit answers, held back so a later push overtakes
     * it. Authorization events (tickets, authorized) are never affected.
     */
    record PushFaults(@JsonProperty("drop_rate") double dropRate,
                      @JsonProperty("duplicate_rate") double duplicateRate,
                      @JsonProperty("early_rate") double earlyRate,
                      @JsonProperty("reorder_rate") double reorderRate) {
        static final PushFaults NONE = new PushFaults(0, 0, 0, 0);
    }

    private final JdbcClient jdbc;
    private final Environment environment;
    private final ObjectMapper json;
    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private volatile Map<String, Long> latency = Map.of();
    private volatile Map<String, Fault> faults = Map.of();
    private volatile PushFaults pushFaults = PushFaults.NONE;

    WechatSandboxSettings(JdbcClient jdbc, Environment environment, ObjectMapper json) {
        this.jdbc = jdbc;
        this.environment = environment;
        this.json = json;
        jdbc.sql("SELECT name, val FROM sandbox_wechat_setting").query((rs, n) -> {
            if (rs.getString(2) != null) {
                cache.put(rs.getString(1), rs.getString(2));
            }
            return null;
        }).list();
        latency = readJson("latency", new TypeReference<Map<String, Long>>() { }, Map.of());
        faults = readJson("faults", new TypeReference<Map<String, Fault>>() { }, Map.of());
        pushFaults = readJson("push-faults", new TypeReference<PushFaults>() { }, PushFaults.NONE);
    }

    // --- identity (properties) ---

    String componentAppId() {
        return environment.getProperty("miniflow.wechat.component-app-id", "wx0000000000sandbox");
    }

    String componentSecret() {
        return environment.getProperty("miniflow.wechat.component-app-secret", "sandbox-component-secret");
    }

    String token() {
        return environment.getProperty("miniflow.wechat.token", "miniflowsandboxtoken");
    }

    String encodingAesKey() {
        return environment.getProperty("miniflow.wechat.encoding-aes-key", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ");
    }

    /** Resolved at each use: in tests the port is only known once the server has started. */
    String callbackUrl() {
        return environment.getProperty("miniflow.wechat.callback-url");
    }

    /** Where message events (audit results) go; {@code $APPID$} is replaced with the authorizer's appid. */
    String messageCallbackUrl() {
        String url = environment.getProperty("miniflow.sandbox.wechat.message-callback-url");
        return url != null ? url : callbackUrl() == null ? null : callbackUrl() + "/$APPID$";
    }

    /**
     * Whether this emulator pushes to the callback. Alone (sandbox-only) it always does. Inside Miniflow (sandbox) it
     * does only while Miniflow's client points at it: when Miniflow is pointed at an emulator running elsewhere (e.g.
     * port 8090), a second platform pushing tickets for the same appid would spoil Miniflow's ticket.
     * {@code miniflow.sandbox.wechat.push} overrides.
     */
    boolean pushesEnabled() {
        String explicit = environment.getProperty("miniflow.sandbox.wechat.push");
        if (explicit != null && !explicit.isBlank()) {
            return Boolean.parseBoolean(explicit);
        }
        if (environment.matchesProfiles("sandbox-only")) {
            return true;
        }
        String base = environment.getProperty("miniflow.wechat.api-base-url", "");
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return base.matches("https?://(localhost|127\\.0\\.0\\.1):" + port + "/.*");
    }

    // --- behaviour (runtime, persisted) ---

    Duration auditDelay() {
        return millis("audit-delay-millis", "miniflow.sandbox.wechat.audit-delay", Duration.ofSeconds(10));
    }

    Duration privacyScanDelay() {
        return millis("privacy-scan-delay-millis", "miniflow.sandbox.wechat.privacy-scan-delay", Duration.ofSeconds(5));
    }

    Duration ticketInterval() {
        return millis("ticket-interval-millis", "miniflow.sandbox.wechat.ticket-interval", Duration.ofMinutes(10));
    }

    int quotaLimit() {
        return Integer.parseInt(get("quota-limit", environment.getProperty("miniflow.sandbox.wechat.quota-limit", "1000")));
    }

    int speedupLimit() {
        return Integer.parseInt(get("speedup-limit", "10"));
    }

    /** The platform's call frequency limit per second (0: none), see {@link WechatSandboxFrequencyLimit}. */
    int rateLimitPerSecond() {
        return Integer.parseInt(get("rate-limit-per-second", "0"));
    }

    int templateLimit() {
        return Integer.parseInt(get("template-limit", "200"));
    }

    /** Testers one mini program may have (bind_tester answers 85002 beyond it). */
    int testerLimit() {
        return Integer.parseInt(get("tester-limit", "15"));
    }

    /** Mini programs one WeChat ID may test (bind_tester answers 85003 beyond it). */
    int testerAppsLimit() {
        return Integer.parseInt(get("tester-apps-limit", "50"));
    }

    long latencyMillis(String api) {
        Long specific = latency.get(api);
        return specific != null ? specific : latency.getOrDefault("*", 0L);
    }

    Fault fault(String api) {
        Fault specific = faults.get(api);
        return specific != null ? specific : faults.get("*");
    }

    /** A fault set for this appid only, on this API or on all. */
    Fault fault(String api, String appId) {
        if (faults.isEmpty()) {
            return null;
        }
        Fault specific = faults.get(api + "@" + appId);
        return specific != null ? specific : faults.get("*@" + appId);
    }

    Map<String, Long> latencies() {
        return latency;
    }

    Map<String, Fault> faults() {
        return faults;
    }

    void setLatency(String api, long millis) {
        Map<String, Long> copy = new HashMap<>(latency);
        if (millis <= 0) {
            copy.remove(api);
        } else {
            copy.put(api, millis);
        }
        latency = Map.copyOf(copy);
        writeJson("latency", latency);
    }

    void setFault(String api, Fault fault) {
        Map<String, Fault> copy = new HashMap<>(faults);
        if (fault == null || fault.rate() <= 0) {
            copy.remove(api);
        } else {
            copy.put(api, fault);
        }
        faults = Map.copyOf(copy);
        writeJson("faults", faults);
    }

    PushFaults pushFaults() {
        return pushFaults;
    }

    void setPushFaults(PushFaults faults) {
        pushFaults = faults;
        writeJson("push-faults", faults);
    }

    void clearFaultsAndLatency() {
        faults = Map.of();
        latency = Map.of();
        writeJson("faults", faults);
        writeJson("latency", latency);
    }

    String get(String name, String fallback) {
        return cache.getOrDefault(name, fallback);
    }

    synchronized void put(String name, String value) {
        int updated = jdbc.sql("UPDATE sandbox_wechat_setting SET val = :v WHERE name = :n")
            .param("v", value).param("n", name).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO sandbox_wechat_setting (name, val) VALUES (:n, :v)")
                .param("n", name).param("v", value).update();
        }
        if (value == null) {
            cache.remove(name);
        } else {
            cache.put(name, value);
        }
    }

    private Duration millis(String setting, String property, Duration fallback) {
        String stored = cache.get(setting);
        if (stored != null) {
            return Duration.ofMillis(Long.parseLong(stored));
        }
        Duration configured = environment.getProperty(property, Duration.class);
        return configured != null ? configured : fallback;
    }

    private <T> T readJson(String name, TypeReference<T> type, T fallback) {
        String v = cache.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return json.readValue(v, type);
        } catch (Exception e) {
            return fallback;
        }
    }

    private void writeJson(String name, Object value) {
        try {
            put(name, json.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
