package io.miniflow.sandbox.wechat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.sandbox.wechat.WechatSandboxStore.Audit;
import io.miniflow.sandbox.wechat.WechatSandboxStore.Authorizer;
import io.miniflow.sandbox.wechat.WechatSandboxStore.Draft;
import io.miniflow.sandbox.wechat.WechatSandboxStore.Rule;
import io.miniflow.sandbox.wechat.WechatSandboxStore.Template;
import io.miniflow.sandbox.wechat.WechatSandboxStore.Token;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The behaviour of WeChat's third-party platform as documented (reference §1–§3): tokens, authorization, template
 * library and code management of authorized mini programs, with the documented error codes. Answers are maps that the
 * controller writes as JSON; refusals are {@link SandboxWxError}s.
 */
@Service
class WechatSandboxPlatform {

    private static final Logger log = LoggerFactory.getLogger(WechatSandboxPlatform.class);
    static final Duration TOKEN_LIFETIME = Duration.ofHours(2);
    static final Duration TICKET_LIFETIME = Duration.ofHours(12);
    static final Duration PRE_AUTH_LIFETIME = Duration.ofSeconds(600);
    static final Duration AUTH_CODE_LIFETIME = Duration.ofSeconds(600);
    static final int UNDO_PER_DAY = 5;
    static final int UNDO_PER_MONTH = 10;
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    // within MySQL TIMESTAMP's range (up to 2038)
    private static final Instant NEVER = Instant.parse("2037-12-31T00:00:00Z");

    private final WechatSandboxStore store;
    private final WechatSandboxSettings settings;
    private final WechatSandboxPusher pusher;
    private final Clock clock;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    WechatSandboxPlatform(WechatSandboxStore store, WechatSandboxSettings settings, WechatSandboxPusher pusher,
                          Clock clock, ObjectMapper json) {
        this.store = store;
        this.settings = settings;
        this.pusher = pusher;
        this.clock = clock;
        this.json = json;
    }

    // ------------------------------------------------------------------ tokens

    Token requireToken(String token, String kind) {
        if (token == null || token.isBlank()) {
            throw new SandboxWxError(41001, "access_token missing");
        }
        Token t = store.token(token).orElseThrow(() -> new SandboxWxError(40001,
            "invalid credential, access_token is invalid or not latest"));
        if (!t.kind().equals(kind)) {
            throw new SandboxWxError(40001, "invalid credential, access_token is invalid or not latest");
        }
        if (!t.expiresAt().isAfter(clock.instant())) {
            throw new SandboxWxError(42001, "access_token expired");
        }
        if ("AUTHORIZER".equals(kind)) {
            Authorizer a = store.authorizer(t.appId()).orElseThrow();
            if (!a.authorized()) {
                throw new SandboxWxError(61003, "component is not authorized by this account");
            }
        }
        return t;
    }

    private String newToken(String kind, String appId) {
        String token = randomText(kind.equals("COMPONENT") ? "ct" : "at", 48);
        store.insertToken(token, kind, appId, clock.instant().plus(TOKEN_LIFETIME));
        return token;
    }

    // ------------------------------------------------------------------ ticket

    String currentTicket() {
        return settings.get("ticket", null);
    }

    Instant currentTicketAt() {
        String at = settings.get("ticket-at", null);
        return at == null ? null : Instant.ofEpochMilli(Long.parseLong(at));
    }

    /** Makes a new ticket and pushes it (at start-up and every interval, and after api_start_push_ticket). */
    synchronized void pushNewTicket() {
        String previous = currentTicket();
        if (previous != null) {
            settings.put("ticket-prev", previous);
            settings.put("ticket-prev-at", settings.get("ticket-at", null));
        }
        String ticket = "ticket@@@" + randomText("", 64);
        Instant now = clock.instant();
        settings.put("ticket", ticket);
        settings.put("ticket-at", Long.toString(now.toEpochMilli()));
        pusher.pushComponentEvent(SandboxXml.of("AppId", settings.componentAppId(), "CreateTime",
            now.getEpochSecond(), "InfoType", "component_verify_ticket", "ComponentVerifyTicket", ticket));
    }

    Map<String, Object> startPushTicket(JsonNode body) {
        if (!settings.componentAppId().equals(text(body, "component_appid"))) {
            throw new SandboxWxError(40013, "invalid appid");
        }
        if (!settings.componentSecret().equals(text(body, "component_secret"))) {
            throw new SandboxWxError(40125, "invalid appsecret");
        }
        pushNewTicket();
        return ok();
    }

    Map<String, Object> componentToken(JsonNode body) {
        String appId = text(body, "component_appid");
        if (appId == null || text(body, "component_appsecret") == null || text(body, "component_verify_ticket") == null) {
            throw new SandboxWxError(41004, "appsecret missing");
        }
        if (!settings.componentAppId().equals(appId)) {
            throw new SandboxWxError(61011, "invalid component");
        }
        if (!settings.componentSecret().equals(text(body, "component_appsecret"))) {
            throw new SandboxWxError(40125, "invalid appsecret");
        }
        String ticket = text(body, "component_verify_ticket");
        Instant issued = null;
        if (ticket.equals(currentTicket())) {
            issued = currentTicketAt();
        } else if (ticket.equals(settings.get("ticket-prev", null))) {
            issued = Instant.ofEpochMilli(Long.parseLong(settings.get("ticket-prev-at", "0")));
        }
        if (issued == null) {
            throw new SandboxWxError(61006, "component ticket is invalid");
        }
        if (issued.plus(TICKET_LIFETIME).isBefore(clock.instant())) {
            throw new SandboxWxError(61005, "component ticket is expired");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("component_access_token", newToken("COMPONENT", appId));
        r.put("expires_in", TOKEN_LIFETIME.toSeconds());
        return r;
    }

    // ------------------------------------------------------------------ authorization

    Map<String, Object> createPreAuthCode(JsonNode body) {
        requireComponentAppId(body);
        String code = "preauthcode@@@" + randomText("", 40);
        store.insertCode(code, "PREAUTH", null, clock.instant().plus(PRE_AUTH_LIFETIME));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("pre_auth_code", code);
        r.put("expires_in", PRE_AUTH_LIFETIME.toSeconds());
        return r;
    }

    /** What the merchant's confirmation produced: the authorized app and the code its browser carries back. */
    record Authorization(String appId, String authCode) {

        /** Where the browser goes next: redirect_uri with auth_code and expires_in, as WeChat sends it. */
        String redirectTarget(String redirectUri) {
            return redirectUri + (redirectUri.contains("?") ? "&" : "?") + "auth_code="
                + URLEncoder.encode(authCode, StandardCharsets.UTF_8) + "&expires_in="
                + AUTH_CODE_LIFETIME.toSeconds();
        }
    }

    /**
     * The merchant confirmed on the authorization page (or the control API's consent did it for them): consumes
     * the pre-auth code and authorizes the chosen app, or a new one when none is chosen; pushes {@code authorized}
     * or {@code updateauthorized}.
     */
    Authorization confirmAuthorization(String preAuthCode, String chosenAppId, String newNickName) {
        if (preAuthCode == null || store.useCode(preAuthCode, "PREAUTH", clock.instant()).isEmpty()) {
            throw new SandboxWxError(61010, "pre_auth_code is invalid, expired or already used");
        }
        String appId = chosenAppId;
        if (appId == null || appId.isBlank()) {
            appId = createAuthorizer(newNickName == null || newNickName.isBlank() ? null : newNickName, false).appId();
            return new Authorization(appId, authorize(appId, preAuthCode, "authorized"));
        }
        Authorizer existing = store.authorizer(appId).orElseThrow(() -> new SandboxWxError(40013, "invalid appid"));
        String infoType = existing.authorized() ? "updateauthorized" : "authorized";
        store.updateAuthorization(appId, randomText("refreshtoken@@@", 40), "AUTHORIZED", clock.instant());
        return new Authorization(appId, authorize(appId, preAuthCode, infoType));
    }

    /** Whether an authorization page request names this platform (the page refuses any other). */
    boolean isThisComponent(String componentAppId) {
        return settings.componentAppId().equals(componentAppId);
    }

    private String authorize(String appId, String preAuthCode, String infoType) {
        String authCode = "queryauthcode@@@" + randomText("", 40);
        Instant now = clock.instant();
        store.insertCode(authCode, "AUTH", appId, now.plus(AUTH_CODE_LIFETIME));
        pusher.pushComponentEvent(SandboxXml.of("AppId", settings.componentAppId(), "CreateTime", now.getEpochSecond(),
            "InfoType", infoType, "AuthorizerAppid", appId, "AuthorizationCode", authCode,
            "AuthorizationCodeExpiredTime", now.plus(AUTH_CODE_LIFETIME).getEpochSecond(), "PreAuthCode",
            preAuthCode));
        return authCode;
    }

    /** Creates an authorized mini program (control API and "create" on the authorization page). */
    Authorizer createAuthorizer(String nickName, boolean pushAuthorized) {
        String appId = "wx" + HexFormat.of().formatHex(randomBytes(8));
        String userName = "gh_" + HexFormat.of().formatHex(randomBytes(6));
        Authorizer a = new Authorizer(appId, nickName != null ? nickName : "Sandbox " + appId.substring(2, 8),
            userName, randomText("refreshtoken@@@", 40), "AUTHORIZED", clock.instant());
        store.insertAuthorizer(a, new AppState());
        if (pushAuthorized) {
            authorize(appId, null, "authorized");
        }
        return a;
    }

    void revoke(String appId) {
        Authorizer a = store.authorizer(appId).orElseThrow(() -> new SandboxWxError(40013, "invalid appid"));
        store.setStatus(appId, "REVOKED");
        store.expireTokens(appId, clock.instant());
        if (a.authorized()) {
            pusher.pushComponentEvent(SandboxXml.of("AppId", settings.componentAppId(), "CreateTime",
                clock.instant().getEpochSecond(), "InfoType", "unauthorized", "AuthorizerAppid", appId));
        }
    }

    Map<String, Object> queryAuth(JsonNode body) {
        requireComponentAppId(body);
        String code = text(body, "authorization_code");
        // Reusable until it expires: the redirect page and the authorized push may both redeem it.
        String appId = code == null ? null : codeOwner(code);
        if (appId == null) {
            throw new SandboxWxError(61010, "authorization_code is invalid or expired");
        }
        Authorizer a = store.authorizer(appId).orElseThrow();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("authorizer_appid", appId);
        info.put("authorizer_access_token", newToken("AUTHORIZER", appId));
        info.put("expires_in", TOKEN_LIFETIME.toSeconds());
        info.put("authorizer_refresh_token", a.refreshToken());
        info.put("func_info", funcInfo());
        return Map.of("authorization_info", info);
    }

    private String codeOwner(String code) {
        return store.useCodeReusable(code, "AUTH", clock.instant()).orElse(null);
    }

    Map<String, Object> authorizerToken(JsonNode body) {
        requireComponentAppId(body);
        String appId = text(body, "authorizer_appid");
        Optional<Authorizer> a = appId == null ? Optional.empty() : store.authorizer(appId);
        if (a.isEmpty() || !a.get().authorized() || !a.get().refreshToken().equals(text(body, "authorizer_refresh_token"))) {
            throw new SandboxWxError(61023, "refresh_token is invalid");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("authorizer_access_token", newToken("AUTHORIZER", appId));
        r.put("expires_in", TOKEN_LIFETIME.toSeconds());
        r.put("authorizer_refresh_token", a.get().refreshToken());
        return r;
    }

    Map<String, Object> authorizerInfo(JsonNode body) {
        requireComponentAppId(body);
        String appId = text(body, "authorizer_appid");
        Authorizer a = (appId == null ? Optional.<Authorizer>empty() : store.authorizer(appId))
            .filter(Authorizer::authorized)
            .orElseThrow(() -> new SandboxWxError(61003, "component is not authorized by this account"));
        Map<String, Object> mini = read(appId, state -> {
            // copies: the answer is written after the lock is released
            Map<String, Object> network = new LinkedHashMap<>();
            network.put("RequestDomain", List.copyOf(state.domains.getOrDefault("requestdomain", List.of())));
            network.put("WsRequestDomain", List.copyOf(state.domains.getOrDefault("wsrequestdomain", List.of())));
            network.put("UploadDomain", List.copyOf(state.domains.getOrDefault("uploaddomain", List.of())));
            network.put("DownloadDomain", List.copyOf(state.domains.getOrDefault("downloaddomain", List.of())));
            network.put("BizDomain", List.copyOf(state.webviewDomains));
            network.put("UDPDomain", List.copyOf(state.domains.getOrDefault("udpdomain", List.of())));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("network", network);
            m.put("categories", List.of(Map.of("first", "工具", "second", "效率")));
            m.put("visit_status", state.visitStatus == 1 ? 0 : 1);
            return m;
        });
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("nick_name", a.nickName());
        info.put("head_img", "http://localhost/sandbox/wechat/head.png");
        info.put("service_type_info", Map.of("id", 0));
        info.put("verify_type_info", Map.of("id", 0));
        info.put("user_name", a.userName());
        info.put("principal_name", "Sandbox Merchant " + appId.substring(2, 8));
        info.put("alias", "");
        info.put("qrcode_url", "http://localhost/sandbox/wechat/qrcode/" + appId + ".jpg");
        info.put("signature", "A mini program of the Miniflow sandbox");
        info.put("MiniProgramInfo", mini);
        info.put("register_type", 0);
        info.put("account_status", 1);
        info.put("basic_config", Map.of("is_phone_configured", true, "is_email_configured", true));
        Map<String, Object> authorization = new LinkedHashMap<>();
        authorization.put("authorizer_appid", appId);
        authorization.put("authorizer_refresh_token", a.refreshToken());
        authorization.put("func_info", funcInfo());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("authorizer_info", info);
        r.put("authorization_info", authorization);
        return r;
    }

    Map<String, Object> authorizerList(JsonNode body) {
        requireComponentAppId(body);
        int offset = Math.max(0, body.path("offset").asInt(0));
        int count = Math.min(500, Math.max(0, body.path("count").asInt(500)));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Authorizer a : store.authorizers(offset, count, true)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("authorizer_appid", a.appId());
            row.put("refresh_token", a.refreshToken());
            row.put("auth_time", a.authTime().getEpochSecond());
            list.add(row);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("total_count", store.countAuthorizers(true));
        r.put("list", list);
        return r;
    }

    private static List<Map<String, Object>> funcInfo() {
        return List.of(Map.of("funcscope_category", Map.of("id", 17)),
            Map.of("funcscope_category", Map.of("id", 18)),
            Map.of("funcscope_category", Map.of("id", 19)));
    }

    // ------------------------------------------------------------------ platform domains

    Map<String, Object> modifyServerDomain(JsonNode body, String settingName, String field) {
        String action = text(body, "action");
        List<String> current = new ArrayList<>(splitDomains(settings.get(settingName, "")));
        List<String> given = splitDomains(text(body, field));
        switch (action == null ? "" : action) {
            case "add" -> given.stream().filter(d -> !current.contains(d)).forEach(current::add);
            case "delete" -> current.removeAll(given);
            case "set" -> {
                current.clear();
                current.addAll(given);
            }
            case "get" -> {
            }
            default -> throw new SandboxWxError(85022, "action is invalid");
        }
        settings.put(settingName, String.join(";", current));
        Map<String, Object> r = ok();
        r.put("published_" + field, String.join(";", current));
        r.put("testing_" + field, String.join(";", current));
        r.put("invalid_" + field, "");
        return r;
    }

    private static List<String> splitDomains(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String d : text.split(";")) {
                if (!d.isBlank()) {
                    out.add(host(d.trim()));
                }
            }
        }
        return out;
    }

    private static String host(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        int scheme = d.indexOf("://");
        if (scheme >= 0) {
            d = d.substring(scheme + 3);
        }
        int slash = d.indexOf('/');
        return slash >= 0 ? d.substring(0, slash) : d;
    }

    // ------------------------------------------------------------------ template library

    Map<String, Object> draftList() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Draft d : store.drafts()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("create_time", d.createTime().getEpochSecond());
            row.put("user_version", d.userVersion());
            row.put("user_desc", d.userDesc());
            row.put("draft_id", d.draftId());
            list.add(row);
        }
        Map<String, Object> r = ok();
        r.put("draft_list", list);
        return r;
    }

    long addDraft(String userVersion, String userDesc) {
        return store.insertDraft(userVersion, userDesc, clock.instant());
    }

    synchronized Map<String, Object> addToTemplate(JsonNode body) {
        long draftId = body.path("draft_id").asLong(-1);
        int type = body.path("template_type").asInt(0);
        Draft draft = store.draft(draftId).orElseThrow(() -> new SandboxWxError(85064, "template not found"));
        if (store.countTemplates(type) >= settings.templateLimit()) {
            throw new SandboxWxError(85065, "template list is full");
        }
        store.insertTemplate(draft, type, clock.instant());
        return ok();
    }

    Map<String, Object> templateList(Integer type) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Template t : store.templates(type)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("create_time", t.createTime().getEpochSecond());
            row.put("user_version", t.userVersion());
            row.put("user_desc", t.userDesc());
            row.put("template_id", t.templateId());
            row.put("draft_id", t.draftId());
            row.put("template_type", t.templateType());
            row.put("source_miniprogram_appid", "wxdevsandbox00000");
            row.put("source_miniprogram", "Miniflow template developer");
            list.add(row);
        }
        Map<String, Object> r = ok();
        r.put("template_list", list);
        return r;
    }

    Map<String, Object> deleteTemplate(JsonNode body) {
        if (!store.deleteTemplate(body.path("template_id").asLong(-1))) {
            throw new SandboxWxError(85064, "template not found");
        }
        return ok();
    }

    /** At first start the library holds one draft and one template, so a newcomer can commit right away. */
    void seedTemplateLibrary() {
        if (store.drafts().isEmpty() && store.templates(null).isEmpty()) {
            long draft = addDraft("1.0.0", "Miniflow sandbox template");
            store.insertTemplate(store.draft(draft).orElseThrow(), 0, clock.instant());
            log.info("sandbox WeChat: seeded the template library with draft {}", draft);
        }
    }

    // ------------------------------------------------------------------ code management

    /** Runs a change of one mini program's state under its lock and saves it. */
    private <T> T change(String appId, Function<AppState, T> change) {
        synchronized (locks.computeIfAbsent(appId, k -> new Object())) {
            AppState state = store.state(appId);
            T result;
            try {
                result = change.apply(state);
            } catch (RuntimeException refused) {
                // a refusal may come after part of the change was made: the saved state stays the truth
                store.forgetState(appId);
                throw refused;
            }
            store.saveState(appId, state);
            return result;
        }
    }

    /** Runs something that reads one mini program's state (and may change its audits) under its lock. */
    private <T> T read(String appId, Function<AppState, T> read) {
        synchronized (locks.computeIfAbsent(appId, k -> new Object())) {
            return read.apply(store.state(appId));
        }
    }

    /** Whether a commit of this version repeats one that already succeeded (for the stats). */
    boolean isRepeatCommit(String appId, JsonNode body) {
        String version = text(body, "user_version");
        return version != null && read(appId, s -> version.equals(s.expVersion));
    }

    Map<String, Object> commit(String appId, JsonNode body) {
        JsonNode ext = body.get("ext_json");
        if (ext != null && !ext.isNull() && !ext.isTextual()) {
            throw new SandboxWxError(47001, "data format error: ext_json must be a JSON string");
        }
        if (ext != null && ext.isTextual() && !ext.asText().isBlank()) {
            try {
                if (!json.readTree(ext.asText()).isObject()) {
                    throw new SandboxWxError(85048, "ext_json parse failed: not a JSON object");
                }
            } catch (SandboxWxError e) {
                throw e;
            } catch (Exception e) {
                throw new SandboxWxError(85048, "ext_json parse failed");
            }
        }
        long templateId = body.path("template_id").asLong(-1);
        if (store.template(templateId).isEmpty()) {
            throw new SandboxWxError(85014, "template_id is invalid");
        }
        String version = text(body, "user_version");
        if (version == null || version.isBlank() || version.length() > 64) {
            throw new SandboxWxError(85015, "user_version is invalid");
        }
        Instant now = clock.instant();
        return change(appId, s -> {
            s.templateId = templateId;
            s.extJson = ext == null || ext.isNull() ? null : ext.asText();
            s.expVersion = version;
            s.expDesc = text(body, "user_desc");
            s.expTime = now.getEpochSecond();
            s.privacyScanDoneAtMillis = now.plus(settings.privacyScanDelay()).toEpochMilli();
            return ok();
        });
    }

    Map<String, Object> codePrivacyInfo(String appId) {
        return read(appId, s -> {
            requireCommitted(s);
            if (clock.millis() < s.privacyScanDoneAtMillis) {
                throw new SandboxWxError(61039, "privacy api scan is not finished, please wait about a minute");
            }
            Map<String, Object> r = ok();
            r.put("without_auth_list", List.of());
            r.put("without_conf_list", List.of());
            return r;
        });
    }

    Map<String, Object> pageList(String appId) {
        return read(appId, s -> {
            requireCommitted(s);
            Map<String, Object> r = ok();
            r.put("page_list", List.of("pages/index/index", "pages/detail/detail", "pages/me/me"));
            return r;
        });
    }

    Map<String, Object> categories() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("first_class", "工具");
        c.put("second_class", "效率");
        c.put("first_id", 287);
        c.put("second_id", 616);
        Map<String, Object> r = ok();
        r.put("category_list", List.of(c));
        return r;
    }

    void requireCommittedForQrCode(String appId) {
        read(appId, s -> {
            requireCommitted(s);
            return null;
        });
    }

    Map<String, Object> versionInfo(String appId) {
        return read(appId, s -> {
            Map<String, Object> r = ok();
            if (s.expVersion != null) {
                Map<String, Object> exp = new LinkedHashMap<>();
                exp.put("exp_time", s.expTime);
                exp.put("exp_version", s.expVersion);
                exp.put("exp_desc", s.expDesc);
                r.put("exp_info", exp);
            }
            if (s.online != null) {
                Map<String, Object> rel = new LinkedHashMap<>();
                rel.put("release_time", s.online.releaseTime);
                rel.put("release_version", s.online.userVersion);
                rel.put("release_desc", s.online.userDesc);
                r.put("release_info", rel);
            }
            return r;
        });
    }

    boolean isRepeatSubmit(String appId) {
        return read(appId, s -> {
            Optional<Audit> latest = store.latestAudit(appId);
            return s.expVersion != null && latest.isPresent() && s.expVersion.equals(latest.get().userVersion())
                && Set.of(0, 2, 4).contains(latest.get().status());
        });
    }

    Map<String, Object> submitAudit(String appId, JsonNode body) {
        JsonNode items = body.get("item_list");
        if (items != null && items.isArray() && (items.size() < 1 || items.size() > 5)) {
            throw new SandboxWxError(85023, "item_list count must be between 1 and 5");
        }
        Instant now = clock.instant();
        List<Runnable> pushFirst = new ArrayList<>(1);
        Map<String, Object> answer = read(appId, s -> {
            if (s.expVersion == null) {
                throw new SandboxWxError(85086, "must commit code before submitting for audit");
            }
            if (now.toEpochMilli() < s.privacyScanDoneAtMillis) {
                throw new SandboxWxError(61039, "privacy api scan is not finished, please wait about a minute");
            }
            Optional<Audit> latest = store.latestAudit(appId);
            if (latest.isPresent() && (latest.get().status() == 2 || latest.get().status() == 4)) {
                throw new SandboxWxError(85009, "already has an audit in progress");
            }
            synchronized (this) {
                if (quotaUsed() >= settings.quotaLimit()) {
                    throw new SandboxWxError(85085, "too many audit submissions recently, please wait");
                }
                settings.put("quota-used", Integer.toString(quotaUsed() + 1));
            }
            String versionDesc = text(body, "version_desc");
            Rule rule = matchingRule(appId, s.expDesc, versionDesc);
            String planned = rule == null ? "PASS" : rule.outcome();
            // The early push fault: decided at once, its push delivered before this call answers (never by the
            // scheduler meanwhile: it waits for NEVER until then).
            boolean decideNow = ("PASS".equals(planned) || "FAIL".equals(planned)) && pusher.nextIsEarly();
            Instant decideAt = "HOLD".equals(planned) || decideNow ? NEVER : now.plus(settings.auditDelay());
            long auditId = store.insertAudit(appId, s.expVersion, s.expDesc, versionDesc, now, decideAt, planned,
                rule == null ? null : rule.reason());
            if (decideNow) {
                store.audit(auditId).map(a -> decide(a, now, true)).ifPresent(pushFirst::add);
            }
            Map<String, Object> r = ok();
            r.put("auditid", auditId);
            return r;
        });
        // Outside the mini program's lock: the receiver may call the platform about it while it handles the push.
        pushFirst.forEach(Runnable::run);
        return answer;
    }

    private Rule matchingRule(String appId, String userDesc, String versionDesc) {
        for (Rule rule : store.rules()) {
            boolean appMatches = rule.appId() == null || rule.appId().equals(appId);
            boolean descMatches = rule.descContains() == null
                || (userDesc != null && userDesc.contains(rule.descContains()))
                || (versionDesc != null && versionDesc.contains(rule.descContains()));
            if (appMatches && descMatches) {
                return rule;
            }
        }
        return null;
    }

    /** Finishes the audits whose time has come and pushes their result. Called by the scheduler. */
    int decideDueAudits() {
        int decided = 0;
        Instant now = clock.instant();
        for (Audit a : store.dueAudits(now, 200)) {
            Runnable push = decide(a, now, false);
            if (push != null) {
                push.run();
                decided++;
            }
        }
        return decided;
    }

    /**
     * Decides one audit (or delays it) now; answers the push that tells of it, or null when the audit was no longer
     * there to decide. {@code early}: decided at submission, the push to be delivered before submit_audit answers.
     */
    private Runnable decide(Audit a, Instant now, boolean early) {
        Authorizer app = store.authorizer(a.appId()).orElse(null);
        if (app == null) {
            return null;
        }
        long t = now.getEpochSecond();
        String planned = a.planned();
        if ("DELAY".equals(planned) && !a.delayPushed()) {
            String reason = a.plannedReason() != null ? a.plannedReason() : "审核延后：需要更多时间核实";
            if (store.updateAudit(a, 4, reason, null, now.plus(settings.auditDelay()), true)) {
                return () -> push(app, early, "weapp_audit_delay", t, "Reason", reason, "DelayTime", t);
            }
        } else if ("FAIL".equals(planned)) {
            String reason = a.plannedReason() != null ? a.plannedReason() : "小程序内容不符合规范<br>请修改后重新提交";
            String screenshot = "sandboxmedia" + a.auditId() + "a|sandboxmedia" + a.auditId() + "b";
            if (store.updateAudit(a, 1, reason, screenshot, now, a.delayPushed())) {
                return () -> push(app, early, "weapp_audit_fail", t, "Reason", reason, "FailTime", t,
                    "ScreenShot", screenshot);
            }
        } else if (store.updateAudit(a, 0, null, null, now, a.delayPushed())) {
            return () -> push(app, early, "weapp_audit_success", t, "SuccTime", t);
        }
        return null;
    }

    private void push(Authorizer app, boolean early, String event, long createTime, Object... extra) {
        Object[] fields = new Object[10 + extra.length];
        Object[] head = {"ToUserName", app.userName(), "FromUserName", "o" + app.userName().substring(3) + "sys",
            "CreateTime", createTime, "MsgType", "event", "Event", event};
        System.arraycopy(head, 0, fields, 0, head.length);
        System.arraycopy(extra, 0, fields, head.length, extra.length);
        pusher.pushMessageEvent(app.appId(), app.userName(), SandboxXml.of(fields), early);
    }

    Map<String, Object> auditStatus(String appId, JsonNode body) {
        long auditId = body.path("auditid").asLong(-1);
        Audit a = store.audit(auditId).filter(x -> x.appId().equals(appId))
            .orElseThrow(() -> new SandboxWxError(85012, "invalid audit id"));
        Map<String, Object> r = ok();
        r.put("status", a.status());
        if (a.reason() != null) {
            r.put("reason", a.reason());
        }
        if (a.screenshot() != null) {
            r.put("screenshot", a.screenshot());
        }
        return r;
    }

    Map<String, Object> latestAuditStatus(String appId) {
        Audit a = store.latestAudit(appId).orElseThrow(() -> new SandboxWxError(85058, "no valid audit_id exist"));
        Map<String, Object> r = ok();
        r.put("auditid", a.auditId());
        r.put("status", a.status());
        r.put("reason", a.reason() == null ? "" : a.reason());
        r.put("ScreenShot", a.screenshot() == null ? "" : a.screenshot());
        r.put("user_version", a.userVersion());
        r.put("user_desc", a.userDesc());
        r.put("submit_audit_time", a.submittedAt().getEpochSecond());
        return r;
    }

    Map<String, Object> undoAudit(String appId) {
        Instant now = clock.instant();
        String day = DateTimeFormatter.ISO_LOCAL_DATE.format(now.atZone(BEIJING));
        String month = day.substring(0, 7);
        return change(appId, s -> {
            Audit a = store.latestAudit(appId).filter(x -> x.status() == 2 || x.status() == 4)
                .orElseThrow(() -> new SandboxWxError(85058, "no valid audit_id exist"));
            if (!day.equals(s.undoDay)) {
                s.undoDay = day;
                s.undoDayCount = 0;
            }
            if (!month.equals(s.undoMonth)) {
                s.undoMonth = month;
                s.undoMonthCount = 0;
            }
            if (s.undoDayCount >= UNDO_PER_DAY || s.undoMonthCount >= UNDO_PER_MONTH) {
                throw new SandboxWxError(87013, "undo quota reached: 5 per day, 10 per month");
            }
            if (!store.updateAudit(a, 3, null, null, now, a.delayPushed())) {
                throw new SandboxWxError(-1, "system error");
            }
            s.undoDayCount++;
            s.undoMonthCount++;
            return ok();
        });
    }

    Map<String, Object> speedUpAudit(String appId, JsonNode body) {
        long auditId = body.path("auditid").asLong(-1);
        String month = DateTimeFormatter.ISO_LOCAL_DATE.format(clock.instant().atZone(BEIJING)).substring(0, 7);
        return change(appId, s -> {
            Audit a = store.audit(auditId).filter(x -> x.appId().equals(appId) && (x.status() == 2 || x.status() == 4))
                .orElseThrow(() -> new SandboxWxError(89402, "the audit is not in the audit queue"));
            if (s.spedUpAudits.contains(auditId)) {
                throw new SandboxWxError(89404, "the audit was already sped up");
            }
            synchronized (this) {
                if (!month.equals(settings.get("speedup-month", ""))) {
                    settings.put("speedup-month", month);
                    settings.put("speedup-used", "0");
                }
                int used = Integer.parseInt(settings.get("speedup-used", "0"));
                if (used >= settings.speedupLimit()) {
                    throw new SandboxWxError(89405, "the monthly speed-up quota is used up");
                }
                settings.put("speedup-used", Integer.toString(used + 1));
            }
            s.spedUpAudits.add(auditId);
            Instant now = clock.instant();
            if (a.decideAt().isAfter(now) && !a.decideAt().equals(NEVER)) {
                Instant sooner = now.plus(Duration.between(now, a.decideAt()).dividedBy(2));
                store.updateAudit(a, a.status(), a.reason(), a.screenshot(), sooner, a.delayPushed());
            }
            return ok();
        });
    }

    Map<String, Object> queryQuota() {
        Map<String, Object> r = ok();
        r.put("rest", Math.max(0, settings.quotaLimit() - quotaUsed()));
        r.put("limit", settings.quotaLimit());
        int speedUsed = Integer.parseInt(settings.get("speedup-used", "0"));
        r.put("speedup_rest", Math.max(0, settings.speedupLimit() - speedUsed));
        r.put("speedup_limit", settings.speedupLimit());
        return r;
    }

    /** Audit submissions used this (Beijing) month; the month turning resets it. */
    int quotaUsed() {
        String month = DateTimeFormatter.ISO_LOCAL_DATE.format(clock.instant().atZone(BEIJING)).substring(0, 7);
        if (!month.equals(settings.get("quota-month", ""))) {
            settings.put("quota-month", month);
            settings.put("quota-used", "0");
        }
        return Integer.parseInt(settings.get("quota-used", "0"));
    }

    boolean isRepeatRelease(String appId) {
        return read(appId, s -> store.latestAudit(appId)
            .map(a -> a.status() == 0 && s.online != null && a.userVersion().equals(s.online.userVersion))
            .orElse(false));
    }

    Map<String, Object> release(String appId, String rawBody) {
        if (rawBody == null || rawBody.isBlank()) {
            throw new SandboxWxError(44002, "empty post data");
        }
        Instant now = clock.instant();
        return change(appId, s -> {
            Audit a = store.latestAudit(appId).orElseThrow(() -> new SandboxWxError(85019, "no audit version"));
            if (a.status() != 0) {
                throw new SandboxWxError(85020, "audit status does not allow release");
            }
            if (a.auditId() == s.releasedAuditId) {
                throw new SandboxWxError(85052, "app is already released");
            }
            putOnline(s, a, now);
            return ok();
        });
    }

    private static void putOnline(AppState s, Audit a, Instant now) {
        AppState.Released r = new AppState.Released();
        r.appVersion = s.nextAppVersion++;
        r.userVersion = a.userVersion();
        r.userDesc = a.userDesc();
        r.commitTime = a.submittedAt().getEpochSecond();
        r.releaseTime = now.getEpochSecond();
        s.online = r;
        s.history.add(0, r);
        while (s.history.size() > 5) {
            s.history.remove(s.history.size() - 1);
        }
        s.releasedAuditId = a.auditId();
        s.lastActionWasRevert = false;
        if (s.grayStatus == 1) {
            s.grayStatus = 3;
        }
    }

    Map<String, Object> grayRelease(String appId, JsonNode body) {
        int percentage = body.path("gray_percentage").asInt(-1);
        boolean expFirst = body.path("support_experiencer_first").asBoolean(false);
        boolean debugFirst = body.path("support_debuger_first").asBoolean(false);
        Instant now = clock.instant();
        return change(appId, s -> {
            if (s.online == null) {
                throw new SandboxWxError(85079, "no online version, cannot gray release");
            }
            Audit a = store.latestAudit(appId).orElse(null);
            if (a == null || a.status() != 0 || a.auditId() == s.releasedAuditId) {
                throw new SandboxWxError(85080, "the submitted audit has not passed");
            }
            if (percentage < 0 || percentage > 100 || (percentage == 0 && !expFirst && !debugFirst)) {
                throw new SandboxWxError(85081, "invalid gray percentage");
            }
            if (s.grayStatus == 1 && percentage <= s.grayPercentage) {
                throw new SandboxWxError(85082, "gray percentage must be higher than the previous one");
            }
            if (s.grayStatus != 1) {
                s.grayCreate = now.getEpochSecond();
                s.grayBase = s.online;
            }
            s.grayStatus = 1;
            s.grayPercentage = percentage;
            s.grayExperiencerFirst = expFirst;
            s.grayDebugerFirst = debugFirst;
            return ok();
        });
    }

    Map<String, Object> revertGrayRelease(String appId) {
        return change(appId, s -> {
            if (s.grayStatus == 1) {
                s.grayStatus = 4;
                s.grayPercentage = 0;
            }
            return ok();
        });
    }

    Map<String, Object> grayReleasePlan(String appId) {
        return read(appId, s -> {
            Map<String, Object> plan = new LinkedHashMap<>();
            plan.put("status", s.grayStatus);
            plan.put("create_timestamp", s.grayCreate);
            plan.put("gray_percentage", s.grayStatus == 1 ? s.grayPercentage : 0);
            plan.put("support_experiencer_first", s.grayExperiencerFirst);
            plan.put("support_debuger_first", s.grayDebugerFirst);
            Map<String, Object> r = ok();
            r.put("gray_release_plan", plan);
            return r;
        });
    }

    Map<String, Object> revertCodeRelease(String appId, String action, String appVersion) {
        if ("get_history_version".equals(action)) {
            return read(appId, s -> {
                List<Map<String, Object>> list = new ArrayList<>();
                for (AppState.Released r : s.history) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("app_version", r.appVersion);
                    row.put("user_version", r.userVersion);
                    row.put("user_desc", r.userDesc);
                    row.put("commit_time", r.commitTime);
                    list.add(row);
                }
                Map<String, Object> res = ok();
                res.put("version_list", list);
                return res;
            });
        }
        return change(appId, s -> {
            if (s.grayStatus == 1) {
                throw new SandboxWxError(87011, "gray release in progress, cannot roll back");
            }
            if (s.online == null || s.lastActionWasRevert) {
                throw new SandboxWxError(87012, "this version cannot be rolled back");
            }
            AppState.Released target = null;
            if (appVersion != null && !appVersion.isBlank()) {
                for (AppState.Released r : s.history) {
                    if (Integer.toString(r.appVersion).equals(appVersion.trim()) && r != s.online
                        && r.appVersion != s.online.appVersion) {
                        target = r;
                    }
                }
            } else {
                for (AppState.Released r : s.history) {
                    if (r.appVersion != s.online.appVersion) {
                        target = r;
                        break;
                    }
                }
            }
            if (target == null) {
                throw new SandboxWxError(87012, "this version cannot be rolled back");
            }
            s.online = target;
            s.lastActionWasRevert = true;
            return ok();
        });
    }

    Map<String, Object> changeVisitStatus(String appId, JsonNode body) {
        String action = text(body, "action");
        if (!"open".equals(action) && !"close".equals(action)) {
            throw new SandboxWxError(85022, "action is invalid");
        }
        return change(appId, s -> {
            if (s.online == null) {
                throw new SandboxWxError(85021, "status does not allow this change");
            }
            s.visitStatus = "open".equals(action) ? 1 : 0;
            return ok();
        });
    }

    Map<String, Object> visitStatus(String appId, String rawBody) {
        if (rawBody == null || rawBody.isBlank()) {
            throw new SandboxWxError(44002, "empty post data");
        }
        return read(appId, s -> {
            Map<String, Object> r = ok();
            r.put("status", s.visitStatus);
            return r;
        });
    }

    private static final List<String> DOMAIN_TYPES =
        List.of("requestdomain", "wsrequestdomain", "uploaddomain", "downloaddomain", "udpdomain", "tcpdomain");

    Map<String, Object> modifyDomain(String appId, JsonNode body, boolean directly) {
        String action = text(body, "action");
        if (action == null || !Set.of("add", "delete", "set", "get").contains(action)) {
            throw new SandboxWxError(85022, "action is invalid");
        }
        Set<String> registered = new LinkedHashSet<>(splitDomains(settings.get("server-domains", "")));
        return change(appId, s -> {
            Map<String, List<String>> target = directly ? s.directDomains : s.domains;
            if (!"get".equals(action)) {
                Map<String, List<String>> next = new LinkedHashMap<>();
                for (String type : DOMAIN_TYPES) {
                    List<String> given = new ArrayList<>();
                    body.path(type).forEach(n -> given.add(n.asText()));
                    if (!directly && !"delete".equals(action)) {
                        for (String d : given) {
                            if (!registered.contains(host(d))) {
                                throw new SandboxWxError(85017,
                                    "no domain to modify, or " + d + " is not set on the third-party platform");
                            }
                        }
                    }
                    List<String> current = new ArrayList<>(target.getOrDefault(type, List.of()));
                    switch (action) {
                        case "add" -> given.stream().filter(d -> !current.contains(d)).forEach(current::add);
                        case "delete" -> current.removeAll(given);
                        default -> {
                            current.clear();
                            current.addAll(given);
                        }
                    }
                    next.put(type, current);
                }
                target.clear();
                target.putAll(next);
            }
            Map<String, Object> r = ok();
            for (String type : DOMAIN_TYPES) {
                r.put(type, target.getOrDefault(type, List.of()));
            }
            return r;
        });
    }

    Map<String, Object> setWebviewDomain(String appId, JsonNode body) {
        List<String> platform = splitDomains(settings.get("jump-domains", ""));
        String action = text(body, "action");
        List<String> given = new ArrayList<>();
        body.path("webviewdomain").forEach(n -> given.add(n.asText()));
        return change(appId, s -> {
            if (action == null) {
                if (platform.isEmpty()) {
                    throw new SandboxWxError(89020, "no business domain is set on the third-party platform");
                }
                List<String> all = platform.stream().map(d -> "https://" + d).toList();
                s.webviewDomains.clear();
                s.webviewDomains.addAll(all);
                return ok();
            }
            if (!"get".equals(action)) {
                for (String d : given) {
                    if (!platform.contains(host(d)) && platform.stream().noneMatch(p -> host(d).endsWith("." + p))) {
                        throw new SandboxWxError(89021, d + " is not a business domain of the third-party platform");
                    }
                }
            }
            List<String> next = new ArrayList<>(s.webviewDomains);
            switch (action) {
                case "add" -> given.stream().filter(d -> !next.contains(d)).forEach(next::add);
                case "delete" -> next.removeAll(given);
                case "set" -> {
                    next.clear();
                    next.addAll(given);
                }
                case "get" -> {
                }
                default -> throw new SandboxWxError(85022, "action is invalid");
            }
            if (!"get".equals(action) && next.equals(s.webviewDomains)) {
                throw new SandboxWxError(89019, "business domains unchanged");
            }
            s.webviewDomains.clear();
            s.webviewDomains.addAll(next);
            Map<String, Object> r = ok();
            r.put("webviewdomain", next);
            return r;
        });
    }

    Map<String, Object> setPrivacySetting(String appId, JsonNode body) {
        int ver = body.path("privacy_ver").asInt(2);
        checkPrivacySetting(ver, body);
        return change(appId, s -> {
            if (ver == 1) {
                if (s.online == null) {
                    throw new SandboxWxError(86074, "no online version exists");
                }
                if (hasText(body.path("owner_setting"), "ext_file_media_id")) {
                    throw new SandboxWxError(86075, "ext_file_media_id of the live privacy setting cannot be changed");
                }
                s.privacyLive = body.deepCopy();
            } else {
                s.privacyDev = body.deepCopy();
            }
            return ok();
        });
    }

    Map<String, Object> getPrivacySetting(String appId, JsonNode body) {
        int ver = body.path("privacy_ver").asInt(2);
        return read(appId, s -> {
            JsonNode setting = ver == 1 ? s.privacyLive : s.privacyDev;
            Map<String, Object> r = ok();
            r.put("code_exist", s.expVersion != null ? 1 : 0);
            r.put("privacy_list", List.of("UserInfo", "Location"));
            r.put("setting_list", setting == null ? List.of() : setting.path("setting_list"));
            r.put("owner_setting", setting == null ? Map.of() : setting.path("owner_setting"));
            r.put("sdk_privacy_info_list", setting == null || !setting.path("sdk_privacy_info_list").isArray()
                ? List.of() : setting.path("sdk_privacy_info_list"));
            r.put("update_time", clock.instant().getEpochSecond());
            return r;
        });
    }

    /**
     * The platform's checks of setprivacysetting, in its order: the owner settings with at least one contact (86069)
     * and a notice method (86070), a storage time written as days ("30天", 86072), no custom file this emulator never
     * issued (86073, it has no upload API); the data items and third-party SDKs each complete (47001).
     */
    private static void checkPrivacySetting(int ver, JsonNode body) {
        JsonNode owner = body.path("owner_setting");
        if (!owner.isObject() || !(hasText(owner, "contact_email") || hasText(owner, "contact_phone")
                || hasText(owner, "contact_qq") || hasText(owner, "contact_weixin"))) {
            throw new SandboxWxError(86069, "owner_setting required field missing");
        }
        if (!hasText(owner, "notice_method")) {
            throw new SandboxWxError(86070, "notice_method required field missing");
        }
        if (hasText(owner, "store_expire_timestamp")
                && !owner.path("store_expire_timestamp").asText().matches("[1-9][0-9]{0,4}天")) {
            throw new SandboxWxError(86072, "store_expire_timestamp is invalid");
        }
        if (ver != 1 && hasText(owner, "ext_file_media_id")) {
            throw new SandboxWxError(86073, "ext_file_media_id is invalid");
        }
        if (ver == 1 && body.has("setting_list")) {
            throw new SandboxWxError(47001, "data format error: setting_list must not be sent for privacy_ver 1");
        }
        if (ver != 1 && !body.path("setting_list").isArray()) {
            throw new SandboxWxError(47001, "data format error: setting_list is required for privacy_ver 2");
        }
        for (JsonNode item : body.path("setting_list")) {
            if (!hasText(item, "privacy_key") || !hasText(item, "privacy_text")) {
                throw new SandboxWxError(47001, "data format error: setting_list needs privacy_key and privacy_text");
            }
        }
        JsonNode sdks = body.path("sdk_privacy_info_list");
        if (!sdks.isMissingNode() && !sdks.isNull() && !sdks.isArray()) {
            throw new SandboxWxError(47001, "data format error: sdk_privacy_info_list must be an array");
        }
        for (JsonNode sdk : sdks) {
            if (!hasText(sdk, "sdk_name") || !hasText(sdk, "sdk_biz_name") || !sdk.path("sdk_list").isArray()) {
                throw new SandboxWxError(47001,
                    "data format error: sdk_privacy_info_list needs sdk_name, sdk_biz_name and sdk_list");
            }
            for (JsonNode item : sdk.path("sdk_list")) {
                if (!hasText(item, "privacy_key") || !hasText(item, "privacy_text")) {
                    throw new SandboxWxError(47001, "data format error: sdk_list needs privacy_key and privacy_text");
                }
            }
        }
    }

    private static boolean hasText(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.isTextual() && !n.asText().isBlank();
    }

    // ------------------------------------------------------------------ testers

    /** A WeChat ID as the platform allows one: 6–20 letters, digits, '_' or '-', starting with a letter. */
    private static final java.util.regex.Pattern WECHAT_ID = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]{5,19}");

    /**
     * bind_tester. The emulator's WeChat users: every well-formed WeChat ID exists, except those starting with
     * "hidden" (set not to be found by search): both answer 85001.
     */
    Map<String, Object> bindTester(String appId, JsonNode body) {
        String wechatId = text(body, "wechatid");
        if (wechatId == null || !WECHAT_ID.matcher(wechatId).matches() || wechatId.toLowerCase(Locale.ROOT)
                .startsWith("hidden")) {
            throw new SandboxWxError(85001, "user not exist or user cannot be searched");
        }
        String userstr = userstr(wechatId);
        synchronized (locks.computeIfAbsent("testers", k -> new Object())) {
            return change(appId, s -> {
                if (s.testers.containsKey(wechatId)) {
                    throw new SandboxWxError(85004, "user already bind");
                }
                if (s.testers.size() >= settings.testerLimit()) {
                    throw new SandboxWxError(85002, "number of tester reach bind limit");
                }
                if (testedAppsOf(wechatId) >= settings.testerAppsLimit()) {
                    throw new SandboxWxError(85003, "user bind too many weapp");
                }
                s.testers.put(wechatId, userstr);
                Map<String, Object> r = ok();
                r.put("userstr", userstr);
                return r;
            });
        }
    }

    /** unbind_tester by wechatid or userstr; unbinding someone who is no tester changes nothing. */
    Map<String, Object> unbindTester(String appId, JsonNode body) {
        String wechatId = text(body, "wechatid");
        String userstr = text(body, "userstr");
        if ((wechatId == null || wechatId.isBlank()) && (userstr == null || userstr.isBlank())) {
            throw new SandboxWxError(47001, "data format error: wechatid or userstr is required");
        }
        return change(appId, s -> {
            s.testers.entrySet().removeIf(t -> t.getKey().equals(wechatId) || t.getValue().equals(userstr));
            return ok();
        });
    }

    /** memberauth with action get_experiencer: the testers' userstr only (WeChat never lists their IDs). */
    Map<String, Object> testers(String appId, JsonNode body) {
        if (!"get_experiencer".equals(text(body, "action"))) {
            throw new SandboxWxError(85022, "action is invalid");
        }
        return read(appId, s -> {
            Map<String, Object> r = ok();
            r.put("members", s.testers.values().stream().map(u -> Map.of("userstr", u)).toList());
            return r;
        });
    }

    private long testedAppsOf(String wechatId) {
        long count = 0;
        int total = store.countAuthorizers(false);
        for (Authorizer a : store.authorizers(0, Math.max(total, 1), false)) {
            if (store.state(a.appId()).testers.containsKey(wechatId)) {
                count++;
            }
        }
        return count;
    }

    /** The same person gets the same userstr from every mini program of this platform. */
    private String userstr(String wechatId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest((settings.componentAppId() + "|" + wechatId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireCommitted(AppState s) {
        if (s.expVersion == null) {
            throw new SandboxWxError(86001, "no code committed by the third party");
        }
    }

    // ------------------------------------------------------------------ helpers

    private void requireComponentAppId(JsonNode body) {
        if (!settings.componentAppId().equals(text(body, "component_appid"))) {
            throw new SandboxWxError(61011, "invalid component");
        }
    }

    static Map<String, Object> ok() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errcode", 0);
        r.put("errmsg", "ok");
        return r;
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String randomText(String prefix, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
