package io.miniflow.sandbox.wechat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.miniflow.sandbox.wechat.WechatSandboxStore.Authorizer;
import io.miniflow.sandbox.wechat.WechatSandboxStore.Rule;
import io.miniflow.sandbox.wechat.WechatSandboxStore.Stat;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox's control API (JSON): set up authorized mini programs, steer audits, inject latency and faults, expire
 * tokens, size the quota, and read what was called (so tests can prove nothing was done twice).
 */
@RestController
@RequestMapping("/sandbox/admin/wechat")
class WechatSandboxAdminController {

    private final WechatSandboxPlatform platform;
    private final WechatSandboxSettings settings;
    private final WechatSandboxStore store;
    private final WechatSandboxPusher pusher;
    private final java.time.Clock clock;
    private final WechatSandboxFrequencyLimit frequencyLimit;
    private final WechatSandboxConsent consent;
    private final WechatSandboxStats stats;

    WechatSandboxAdminController(WechatSandboxPlatform platform, WechatSandboxSettings settings,
                                 WechatSandboxStore store, WechatSandboxPusher pusher, java.time.Clock clock,
                                 WechatSandboxFrequencyLimit frequencyLimit, WechatSandboxConsent consent,
                                 WechatSandboxStats stats) {
        this.stats = stats;
        this.frequencyLimit = frequencyLimit;
        this.consent = consent;
        this.platform = platform;
        this.settings = settings;
        this.store = store;
        this.pusher = pusher;
        this.clock = clock;
    }

    /** {"count": N, "push": true} → the new appids with their refresh tokens. */
    @PostMapping("/authorizers")
    List<Map<String, Object>> createAuthorizers(@RequestBody Map<String, Object> request) {
        int count = number(request.get("count"), 1);
        if (count < 1 || count > 10_000) {
            throw new IllegalArgumentException("count must be 1..10000");
        }
        boolean push = !Boolean.FALSE.equals(request.get("push"));
        String nick = (String) request.get("nick_name");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Authorizer a = platform.createAuthorizer(nick == null ? null : count == 1 ? nick : nick + " " + (i + 1), push);
            out.add(describe(a));
        }
        return out;
    }

    /**
     * {"url": authorization page URL or a link that redirects to it, "appId": optional, "nickName": optional}: the
     * merchant's scan and confirm, then the browser's call of redirect_uri → {"appId", "redirectUri", "callbackStatus"}.
     */
    @PostMapping("/consent")
    Map<String, Object> consent(@RequestBody(required = false) Map<String, Object> request) {
        Map<String, Object> body = request == null ? Map.of() : request;
        WechatSandboxConsent.Result result = consent.consent((String) body.get("url"), (String) body.get("appId"),
            (String) body.get("nickName"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("appId", result.appId());
        r.put("redirectUri", result.redirectUri());
        r.put("callbackStatus", result.callbackStatus());
        if (result.callbackError() != null) {
            r.put("callbackError", result.callbackError());
        }
        return r;
    }

    @GetMapping("/authorizers")
    Map<String, Object> authorizers(@RequestParam(defaultValue = "0") int offset,
                                    @RequestParam(defaultValue = "100") int count) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("total", store.countAuthorizers(false));
        r.put("list", store.authorizers(offset, Math.min(count, 1000), false).stream().map(this::describe).toList());
        return r;
    }

    @PostMapping("/authorizers/{appId}/revoke")
    Map<String, Object> revoke(@PathVariable String appId) {
        platform.revoke(appId);
        return WechatSandboxPlatform.ok();
    }

    /** A new upload of the development mini program: {"user_version": "...", "user_desc": "..."}. */
    @PostMapping("/drafts")
    Map<String, Object> addDraft(@RequestBody Map<String, Object> request) {
        long id = platform.addDraft(String.valueOf(request.getOrDefault("user_version", "1.0.0")),
            String.valueOf(request.getOrDefault("user_desc", "sandbox draft")));
        Map<String, Object> r = WechatSandboxPlatform.ok();
        r.put("draft_id", id);
        return r;
    }

    /**
     * {"outcome": "PASS|FAIL|DELAY|HOLD", "appid": optional, "desc_contains": optional, "reason": optional}. The first
     * matching rule decides an audit; none means pass. HOLD keeps the audit under review until it is undone.
     */
    @PostMapping("/audit-rules")
    Map<String, Object> addRule(@RequestBody Map<String, Object> request) {
        String outcome = String.valueOf(request.getOrDefault("outcome", "PASS")).toUpperCase(java.util.Locale.ROOT);
        if (!List.of("PASS", "FAIL", "DELAY", "HOLD").contains(outcome)) {
            throw new IllegalArgumentException("outcome must be PASS, FAIL, DELAY or HOLD");
        }
        long id = store.insertRule(outcome, (String) request.get("appid"), (String) request.get("desc_contains"),
            (String) request.get("reason"));
        Map<String, Object> r = WechatSandboxPlatform.ok();
        r.put("id", id);
        return r;
    }

    @GetMapping("/audit-rules")
    List<Rule> rules() {
        return store.rules();
    }

    @DeleteMapping("/audit-rules")
    Map<String, Object> deleteRules() {
        store.deleteRules();
        return WechatSandboxPlatform.ok();
    }

    /**
     * {"audit_delay_millis", "privacy_scan_delay_millis", "ticket_interval_millis", "template_limit",
     * "speedup_limit", "rate_limit_per_second", "tester_limit", "tester_apps_limit"}; any subset.
     */
    @PostMapping("/settings")
    Map<String, Object> changeSettings(@RequestBody Map<String, Object> request) {
        for (String key : List.of("audit_delay_millis", "privacy_scan_delay_millis", "ticket_interval_millis",
            "template_limit", "speedup_limit", "rate_limit_per_second", "tester_limit", "tester_apps_limit")) {
            if (request.containsKey(key)) {
                settings.put(key.replace("_millis", "-millis").replace('_', '-'),
                    Long.toString(number(request.get(key), 0)));
            }
        }
        return settings();
    }

    @GetMapping("/settings")
    Map<String, Object> settings() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("audit_delay_millis", settings.auditDelay().toMillis());
        r.put("privacy_scan_delay_millis", settings.privacyScanDelay().toMillis());
        r.put("ticket_interval_millis", settings.ticketInterval().toMillis());
        r.put("template_limit", settings.templateLimit());
        r.put("rate_limit_per_second", settings.rateLimitPerSecond());
        r.put("tester_limit", settings.testerLimit());
        r.put("tester_apps_limit", settings.testerAppsLimit());
        r.put("latency", settings.latencies());
        r.put("faults", settings.faults());
        r.put("push_faults", settings.pushFaults());
        r.putAll(platform.queryQuota());
        r.remove("errcode");
        r.remove("errmsg");
        return r;
    }

    /** {"api": "wxa/commit" or "*", "millis": 200}; 0 removes it. */
    @PostMapping("/latency")
    Map<String, Object> latency(@RequestBody Map<String, Object> request) {
        settings.setLatency(String.valueOf(request.getOrDefault("api", "*")), number(request.get("millis"), 0));
        return settings();
    }

    /**
     * {"api": "wxa/submit_audit" or "*", "rate": 0.0..1.0, "kind": "SYSTEM_BUSY|HTTP_5XX|QUOTA|FREQUENCY|MIXED|ERRCODE",
     * "errcode": 85013 (ERRCODE only), "appid": one mini program only (optional)}; rate 0 removes it.
     */
    @PostMapping("/faults")
    Map<String, Object> fault(@RequestBody Map<String, Object> request) {
        double rate = ((Number) request.getOrDefault("rate", 0)).doubleValue();
        String kind = String.valueOf(request.getOrDefault("kind", WechatSandboxSettings.Fault.SYSTEM_BUSY));
        if (!WechatSandboxSettings.Fault.KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + WechatSandboxSettings.Fault.KINDS);
        }
        Integer errcode = request.get("errcode") instanceof Number n ? n.intValue() : null;
        if (WechatSandboxSettings.Fault.ERRCODE.equals(kind) && (errcode == null || errcode == 0)) {
            throw new IllegalArgumentException("kind ERRCODE needs a non-zero errcode");
        }
        String api = String.valueOf(request.getOrDefault("api", "*"));
        Object appId = request.get("appid");
        settings.setFault(appId == null || appId.toString().isBlank() ? api : api + "@" + appId,
            new WechatSandboxSettings.Fault(rate, kind, errcode));
        return settings();
    }

    /** Removes every injected fault and latency. */
    @DeleteMapping("/faults")
    Map<String, Object> clearFaults() {
        settings.clearFaultsAndLatency();
        return settings();
    }

    /**
     * {"drop_rate", "duplicate_rate", "early_rate", "reorder_rate"}: shares 0..1 of the message pushes (audit results)
     * that are not sent, sent twice, decided at submission and pushed before submit_audit answers, or overtaken by a
     * later push; any subset, the others stay. {@code "early": true} is {@code "early_rate": 1}. Nothing changes when
     * a value is not a share or a name is unknown.
     */
    @PostMapping("/push-faults")
    Map<String, Object> pushFaults(@RequestBody Map<String, Object> request) {
        WechatSandboxSettings.PushFaults now = settings.pushFaults();
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("drop_rate", now.dropRate());
        rates.put("duplicate_rate", now.duplicateRate());
        rates.put("early_rate", now.earlyRate());
        rates.put("reorder_rate", now.reorderRate());
        for (Map.Entry<String, Object> e : request.entrySet()) {
            if ("early".equals(e.getKey())) {
                if (!(e.getValue() instanceof Boolean early)) {
                    throw new IllegalArgumentException("early must be true or false");
                }
                rates.put("early_rate", early ? 1.0 : 0.0);
            } else if (rates.containsKey(e.getKey())) {
                if (!(e.getValue() instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
                    throw new IllegalArgumentException(e.getKey() + " must be a number from 0 to 1");
                }
                rates.put(e.getKey(), n.doubleValue());
            } else {
                throw new IllegalArgumentException("unknown push fault " + e.getKey()
                    + ": drop_rate, duplicate_rate, early_rate, reorder_rate or early");
            }
        }
        settings.setPushFaults(new WechatSandboxSettings.PushFaults(rates.get("drop_rate"), rates.get("duplicate_rate"),
            rates.get("early_rate"), rates.get("reorder_rate")));
        pusher.faultsChanged();
        return settings();
    }

    /** Every push is delivered once and in order again. */
    @DeleteMapping("/push-faults")
    Map<String, Object> clearPushFaults() {
        settings.setPushFaults(WechatSandboxSettings.PushFaults.NONE);
        pusher.faultsChanged();
        return settings();
    }

    /** {"appid": optional}: every token (of that app, or all) expires now; the next call answers 42001. */
    @PostMapping("/tokens/expire")
    Map<String, Object> expireTokens(@RequestBody(required = false) Map<String, Object> request) {
        int n = store.expireTokens(request == null ? null : (String) request.get("appid"), clock.instant());
        Map<String, Object> r = WechatSandboxPlatform.ok();
        r.put("expired", n);
        return r;
    }

    /** {"limit": N, "used": M}: the provider's monthly audit quota (85085 when used up). */
    @PostMapping("/quota")
    Map<String, Object> quota(@RequestBody Map<String, Object> request) {
        platform.quotaUsed();
        if (request.containsKey("limit")) {
            settings.put("quota-limit", Long.toString(number(request.get("limit"), 0)));
        }
        if (request.containsKey("used")) {
            settings.put("quota-used", Long.toString(number(request.get("used"), 0)));
        }
        return platform.queryQuota();
    }

    /** Calls per API and per appid, and how many repeated an already-successful commit/submit/release. */
    @GetMapping("/stats")
    Map<String, Object> stats() {
        Map<String, Map<String, Long>> perApi = new TreeMap<>();
        Map<String, Map<String, Long>> perApp = new TreeMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Stat s : stats.all()) {
            add(perApi, s.api(), s);
            add(perApp, s.appId(), s);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("api", s.api());
            row.put("appid", s.appId());
            row.put("calls", s.calls());
            row.put("repeats", s.repeats());
            rows.add(row);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("per_api", perApi);
        r.put("per_appid", perApp);
        r.put("rows", rows);
        Map<String, Object> pushes = new LinkedHashMap<>();
        pushes.put("delivered", pusher.delivered.get());
        pushes.put("failed", pusher.failed.get());
        pushes.put("dropped", pusher.dropped.get());
        pushes.put("duplicated", pusher.duplicated.get());
        pushes.put("early", pusher.early.get());
        pushes.put("reordered", pusher.reordered.get());
        r.put("pushes", pushes);
        r.put("rate_limited", frequencyLimit.refused());
        return r;
    }

    @DeleteMapping("/stats")
    Map<String, Object> resetStats() {
        stats.reset();
        frequencyLimit.resetRefused();
        pusher.resetCounts();
        return WechatSandboxPlatform.ok();
    }

    /** What a test client needs when it does not receive pushes: the platform's secrets and the current ticket. */
    @GetMapping("/platform")
    Map<String, Object> platformInfo() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("component_appid", settings.componentAppId());
        r.put("component_appsecret", settings.componentSecret());
        r.put("token", settings.token());
        r.put("encoding_aes_key", settings.encodingAesKey());
        r.put("component_verify_ticket", platform.currentTicket());
        java.time.Instant at = platform.currentTicketAt();
        r.put("ticket_time", at == null ? null : at.getEpochSecond());
        r.put("callback_url", settings.callbackUrl());
        r.put("message_callback_url", settings.messageCallbackUrl());
        return r;
    }

    /** Pushes a fresh component_verify_ticket now. */
    @PostMapping("/ticket")
    Map<String, Object> pushTicket() {
        platform.pushNewTicket();
        return platformInfo();
    }

    /** Finishes due audits now instead of at the next scheduler tick. */
    @PostMapping("/audits/decide")
    Map<String, Object> decideNow() {
        Map<String, Object> r = WechatSandboxPlatform.ok();
        r.put("decided", platform.decideDueAudits());
        return r;
    }

    @ExceptionHandler({IllegalArgumentException.class, SandboxWxError.class, ClassCastException.class})
    ResponseEntity<Map<String, Object>> badRequest(RuntimeException e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errcode", e instanceof SandboxWxError w ? w.code : 400);
        r.put("errmsg", String.valueOf(e.getMessage()));
        return ResponseEntity.badRequest().body(r);
    }

    private Map<String, Object> describe(Authorizer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appid", a.appId());
        m.put("refresh_token", a.refreshToken());
        m.put("user_name", a.userName());
        m.put("nick_name", a.nickName());
        m.put("status", a.status());
        m.put("auth_time", a.authTime().getEpochSecond());
        return m;
    }

    private static void add(Map<String, Map<String, Long>> into, String key, Stat s) {
        Map<String, Long> m = into.computeIfAbsent(key, k -> new LinkedHashMap<>(Map.of("calls", 0L, "repeats", 0L)));
        m.merge("calls", s.calls(), Long::sum);
        m.merge("repeats", s.repeats(), Long::sum);
    }

    private static int number(Object value, int fallback) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            return Integer.parseInt(s.trim());
        }
        return fallback;
    }
}
