package io.miniflow.wechat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * Miniflow's own typed client of WeChat's third-party platform: one method per documented call, tokens from
 * {@link WechatTokenManager}, errors as {@link WechatApiException} (see {@link WechatErrors}). Deliberately thin and
 * without retries: the process engine owns retrying, and every call here is a single HTTP exchange.
 */
@Component
public class WechatClient {

    private final WechatHttp http;
    private final WechatTokenManager tokens;
    private final WechatSettings settings;

    WechatClient(WechatHttp http, WechatTokenManager tokens, WechatSettings settings) {
        this.http = http;
        this.tokens = tokens;
        this.settings = settings;
    }

    // ------------------------------------------------------------------ records

    // The records that carry a code or a token leave it out of toString(): records end up in logs and messages.

    public record PreAuthCode(String code, long expiresIn) {
        @Override
        public String toString() {
            return "PreAuthCode[expiresIn=" + expiresIn + "]";
        }
    }

    public record Authorization(String appId, String accessToken, long expiresIn, String refreshToken,
                                List<Integer> funcScopes) {
        @Override
        public String toString() {
            return "Authorization[appId=" + appId + ", expiresIn=" + expiresIn + ", funcScopes=" + funcScopes + "]";
        }
    }

    public record AuthorizerInfo(String appId, String nickName, String userName, String principalName,
                                 boolean miniProgram, List<Integer> funcScopes, String refreshToken) {
        @Override
        public String toString() {
            return "AuthorizerInfo[appId=" + appId + ", nickName=" + nickName + ", userName=" + userName
                + ", principalName=" + principalName + ", miniProgram=" + miniProgram + ", funcScopes=" + funcScopes
                + "]";
        }
    }

    public record AuthorizerListItem(String appId, String refreshToken, long authTime) {
        @Override
        public String toString() {
            return "AuthorizerListItem[appId=" + appId + ", authTime=" + authTime + "]";
        }
    }

    public record AuthorizerPage(int totalCount, List<AuthorizerListItem> list) {
    }

    public record Draft(long draftId, String userVersion, String userDesc, long createTime) {
    }

    public record Template(long templateId, String userVersion, String userDesc, int templateType, long createTime) {
    }

    public record VersionInfo(String expVersion, String expDesc, long expTime, String releaseVersion,
                              String releaseDesc, long releaseTime) {
    }

    /** {@code status}: 0 passed, 1 rejected, 2 under review, 3 withdrawn, 4 delayed. */
    public record AuditStatus(long auditId, int status, String reason, List<String> screenshots, String userVersion,
                              String userDesc, long submitTime) {
    }

    public record Quota(int rest, int limit, int speedupRest, int speedupLimit) {
    }

    /** {@code status}: 0 initial, 1 running, 2 paused, 3 finished, 4 deleted. */
    public record GrayPlan(int status, int percentage, long createTimestamp, boolean experiencerFirst,
                           boolean debugerFirst) {
    }

    public record HistoryVersion(int appVersion, String userVersion, String userDesc, long commitTime) {
    }

    /** Lists per domain type: requestdomain, wsrequestdomain, uploaddomain, downloaddomain, udpdomain, tcpdomain. */
    public record Domains(List<String> requestDomain, List<String> wsRequestDomain, List<String> uploadDomain,
                          List<String> downloadDomain, List<String> udpDomain, List<String> tcpDomain) {

        public static Domains requestOnly(List<String> request) {
            return new Domains(request, List.of(), List.of(), List.of(), List.of(), List.of());
        }

        Map<String, Object> body(String action) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("action", action);
            m.put("requestdomain", requestDomain);
            m.put("wsrequestdomain", wsRequestDomain);
            m.put("uploaddomain", uploadDomain);
            m.put("downloaddomain", downloadDomain);
            m.put("udpdomain", udpDomain);
            m.put("tcpdomain", tcpDomain);
            return m;
        }
    }

    // ------------------------------------------------------------------ platform and authorization

    public void startPushTicket() {
        http.post("cgi-bin/component/api_start_push_ticket", Map.of(),
            Map.of("component_appid", settings.componentAppId(), "component_secret", settings.componentAppSecret()));
    }

    public PreAuthCode createPreAuthCode() {
        JsonNode r = component("cgi-bin/component/api_create_preauthcode", "component_access_token",
            Map.of("component_appid", settings.componentAppId()));
        return new PreAuthCode(r.path("pre_auth_code").asText(), r.path("expires_in").asLong());
    }

    /** The PC authorization link (componentloginpage) for a pre-auth code; authType 2 = mini programs only. */
    public String authorizationUrl(String preAuthCode, String redirectUri, int authType) {
        return settings.authorizeUrl() + "?component_appid=" + enc(settings.componentAppId()) + "&pre_auth_code="
            + enc(preAuthCode) + "&redirect_uri=" + enc(redirectUri) + "&auth_type=" + authType;
    }

    /** Redeems an auth code; the authorizer token it carries is cached right away. */
    public Authorization queryAuth(String authorizationCode) {
        JsonNode r = component("cgi-bin/component/api_query_auth", "component_access_token",
            Map.of("component_appid", settings.componentAppId(), "authorization_code", authorizationCode))
            .path("authorization_info");
        Authorization a = new Authorization(r.path("authorizer_appid").asText(),
            r.path("authorizer_access_token").asText(), r.path("expires_in").asLong(7200),
            r.path("authorizer_refresh_token").asText(), scopes(r.path("func_info")));
        tokens.accept(WechatTokenManager.AUTHORIZER, a.appId(), a.accessToken(), a.expiresIn());
        return a;
    }

    public AuthorizerInfo authorizerInfo(String appId) {
        JsonNode r = component("cgi-bin/component/api_get_authorizer_info", "component_access_token",
            Map.of("component_appid", settings.componentAppId(), "authorizer_appid", appId));
        JsonNode info = r.path("authorizer_info");
        JsonNode auth = r.path("authorization_info");
        return new AuthorizerInfo(appId, info.path("nick_name").asText(null), info.path("user_name").asText(null),
            info.path("principal_name").asText(null), info.has("MiniProgramInfo"), scopes(auth.path("func_info")),
            auth.path("authorizer_refresh_token").asText(null));
    }

    public AuthorizerPage authorizerList(int offset, int count) {
        JsonNode r = component("cgi-bin/component/api_get_authorizer_list", "component_access_token",
            Map.of("component_appid", settings.componentAppId(), "offset", offset, "count", count));
        List<AuthorizerListItem> list = new ArrayList<>();
        r.path("list").forEach(n -> list.add(new AuthorizerListItem(n.path("authorizer_appid").asText(),
            n.path("refresh_token").asText(), n.path("auth_time").asLong())));
        return new AuthorizerPage(r.path("total_count").asInt(), list);
    }

    /** Registers mini-program server domains on the platform (must precede {@link #modifyDomain}). */
    public List<String> modifyServerDomain(String action, List<String> domains) {
        JsonNode r = component("cgi-bin/component/modify_wxa_server_domain", "access_token",
            Map.of("action", action, "wxa_server_domain", String.join(";", domains)));
        return split(r.path("published_wxa_server_domain").asText(""));
    }

    /** Registers business (webview) domains on the platform (must precede {@link #setWebviewDomain}). */
    public List<String> modifyJumpDomain(String action, List<String> domains) {
        JsonNode r = component("cgi-bin/component/modify_wxa_jump_domain", "access_token",
            Map.of("action", action, "wxa_jump_h5_domain", String.join(";", domains)));
        return split(r.path("published_wxa_jump_h5_domain").asText(""));
    }

    // ------------------------------------------------------------------ template library

    public List<Draft> drafts() {
        JsonNode r = componentGet("wxa/gettemplatedraftlist", Map.of());
        List<Draft> list = new ArrayList<>();
        r.path("draft_list").forEach(n -> list.add(new Draft(n.path("draft_id").asLong(),
            n.path("user_version").asText(), n.path("user_desc").asText(), n.path("create_time").asLong())));
        return list;
    }

    public void addToTemplate(long draftId, int templateType) {
        component("wxa/addtotemplate", "access_token", Map.of("draft_id", draftId, "template_type", templateType));
    }

    public List<Template> templates(Integer templateType) {
        Map<String, String> query = new LinkedHashMap<>();
        if (templateType != null) {
            query.put("template_type", templateType.toString());
        }
        JsonNode r = componentGet("wxa/gettemplatelist", query);
        List<Template> list = new ArrayList<>();
        r.path("template_list").forEach(n -> list.add(new Template(n.path("template_id").asLong(),
            n.path("user_version").asText(), n.path("user_desc").asText(), n.path("template_type").asInt(),
            n.path("create_time").asLong())));
        return list;
    }

    public void deleteTemplate(long templateId) {
        component("wxa/deletetemplate", "access_token", Map.of("template_id", templateId));
    }

    // ------------------------------------------------------------------ code management (per authorizer)

    /** extJson is sent as a JSON string, as WeChat requires. */
    public void commit(String appId, long templateId, String extJson, String userVersion, String userDesc) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template_id", templateId);
        body.put("ext_json", extJson == null ? "{}" : extJson);
        body.put("user_version", userVersion);
        body.put("user_desc", userDesc == null ? "" : userDesc);
        post(appId, "wxa/commit", body);
    }

    /** The privacy-API scan result; throws 61039 while the scan runs. */
    public JsonNode codePrivacyInfo(String appId) {
        return get(appId, "wxa/security/get_code_privacy_info", Map.of());
    }

    public List<String> pages(String appId) {
        List<String> pages = new ArrayList<>();
        get(appId, "wxa/get_page", Map.of()).path("page_list").forEach(n -> pages.add(n.asText()));
        return pages;
    }

    public JsonNode categories(String appId) {
        return get(appId, "wxa/get_category", Map.of()).path("category_list");
    }

    /** The experience version's QR code (JPEG bytes). */
    public byte[] qrCode(String appId, String path) {
        Map<String, String> query = new LinkedHashMap<>();
        if (path != null) {
            query.put("path", path);
        }
        return withAuthorizerToken(appId, token -> {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("access_token", token);
            return http.getBytes("wxa/get_qrcode", q);
        });
    }

    public VersionInfo versionInfo(String appId) {
        JsonNode r = post(appId, "wxa/getversioninfo", Map.of());
        JsonNode exp = r.path("exp_info");
        JsonNode rel = r.path("release_info");
        return new VersionInfo(exp.path("exp_version").asText(null), exp.path("exp_desc").asText(null),
            exp.path("exp_time").asLong(), rel.path("release_version").asText(null),
            rel.path("release_desc").asText(null), rel.path("release_time").asLong());
    }

    /** submit_audit with the fields Miniflow uses; item_list is left out (the platform takes the mini program's categories). */
    public long submitAudit(String appId, String versionDesc, String feedbackInfo, boolean privacyApiNotUse) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (versionDesc != null) {
            body.put("version_desc", versionDesc);
        }
        if (feedbackInfo != null) {
            body.put("feedback_info", feedbackInfo);
        }
        if (privacyApiNotUse) {
            body.put("privacy_api_not_use", true);
        }
        return post(appId, "wxa/submit_audit", body).path("auditid").asLong();
    }

    public AuditStatus auditStatus(String appId, long auditId) {
        JsonNode r = post(appId, "wxa/get_auditstatus", Map.of("auditid", auditId));
        return new AuditStatus(auditId, r.path("status").asInt(), blankToNull(r.path("reason").asText(null)),
            split(r.path("screenshot").asText(""), "\\|"), null, null, 0);
    }

    /** The latest audit, or null when none was ever submitted (85058). */
    public AuditStatus latestAudit(String appId) {
        JsonNode r;
        try {
            r = get(appId, "wxa/get_latest_auditstatus", Map.of());
        } catch (WechatApiException e) {
            if (e.errcode() == 85058) {
                return null;
            }
            throw e;
        }
        return new AuditStatus(r.path("auditid").asLong(), r.path("status").asInt(),
            blankToNull(r.path("reason").asText(null)), split(r.path("ScreenShot").asText(""), "\\|"),
            r.path("user_version").asText(null), r.path("user_desc").asText(null),
            r.path("submit_audit_time").asLong());
    }

    public void undoAudit(String appId) {
        get(appId, "wxa/undocodeaudit", Map.of());
    }

    public void speedUpAudit(String appId, long auditId) {
        post(appId, "wxa/speedupaudit", Map.of("auditid", auditId));
    }

    public Quota queryQuota(String appId) {
        JsonNode r = get(appId, "wxa/queryquota", Map.of());
        return new Quota(r.path("rest").asInt(), r.path("limit").asInt(), r.path("speedup_rest").asInt(),
            r.path("speedup_limit").asInt());
    }

    public void release(String appId) {
        post(appId, "wxa/release", Map.of());
    }

    public void grayRelease(String appId, int percentage, boolean experiencerFirst, boolean debugerFirst) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("gray_percentage", percentage);
        if (experiencerFirst) {
            body.put("support_experiencer_first", true);
        }
        if (debugerFirst) {
            body.put("support_debuger_first", true);
        }
        post(appId, "wxa/grayrelease", body);
    }

    public void revertGrayRelease(String appId) {
        get(appId, "wxa/revertgrayrelease", Map.of());
    }

    public GrayPlan grayReleasePlan(String appId) {
        JsonNode p = get(appId, "wxa/getgrayreleaseplan", Map.of()).path("gray_release_plan");
        return new GrayPlan(p.path("status").asInt(), p.path("gray_percentage").asInt(),
            p.path("create_timestamp").asLong(), p.path("support_experiencer_first").asBoolean(),
            p.path("support_debuger_first").asBoolean());
    }

    /** Rolls back to the previous version, or to {@code appVersion} from {@link #historyVersions} when given. */
    public void revertCodeRelease(String appId, Integer appVersion) {
        get(appId, "wxa/revertcoderelease", appVersion == null ? Map.of() : Map.of("app_version",
            appVersion.toString()));
    }

    public List<HistoryVersion> historyVersions(String appId) {
        List<HistoryVersion> list = new ArrayList<>();
        get(appId, "wxa/revertcoderelease", Map.of("action", "get_history_version")).path("version_list")
            .forEach(n -> list.add(new HistoryVersion(n.path("app_version").asInt(), n.path("user_version").asText(),
                n.path("user_desc").asText(), n.path("commit_time").asLong())));
        return list;
    }

    /** "open" or "close" (pause the service). */
    public void changeVisitStatus(String appId, String action) {
        post(appId, "wxa/change_visitstatus", Map.of("action", action));
    }

    public int visitStatus(String appId) {
        return post(appId, "wxa/getvisitstatus", Map.of()).path("status").asInt();
    }

    public JsonNode modifyDomain(String appId, String action, Domains domains) {
        return post(appId, "wxa/modify_domain", domains.body(action));
    }

    public JsonNode modifyDomainDirectly(String appId, String action, Domains domains) {
        return post(appId, "wxa/modify_domain_directly", domains.body(action));
    }

    /** action null adds all business domains registered on the platform. */
    public void setWebviewDomain(String appId, String action, List<String> webviewDomains) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (action != null) {
            body.put("action", action);
            body.put("webviewdomain", webviewDomains);
        }
        post(appId, "wxa/setwebviewdomain", body);
    }

    /** privacyVer 2 = the development version's guide. settingList: privacy_key → privacy_text. */
    public void setPrivacySetting(String appId, int privacyVer, String contactEmail, int noticeMethodDays,
                                  Map<String, String> settingList) {
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("contact_email", contactEmail);
        owner.put("notice_method", "通过弹窗或邮件通知（" + noticeMethodDays + " 日内）");
        List<Map<String, String>> settings = new ArrayList<>();
        settingList.forEach((k, v) -> settings.add(Map.of("privacy_key", k, "privacy_text", v)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("privacy_ver", privacyVer);
        body.put("owner_setting", owner);
        body.put("setting_list", settings);
        post(appId, "cgi-bin/component/setprivacysetting", body);
    }

    public JsonNode getPrivacySetting(String appId, int privacyVer) {
        return post(appId, "cgi-bin/component/getprivacysetting", Map.of("privacy_ver", privacyVer));
    }

    // ------------------------------------------------------------------ testers and the full privacy guide

    /** bind_tester: makes a WeChat ID a tester of the experience version; returns the person's userstr. */
    public String bindTester(String appId, String wechatId) {
        return post(appId, "wxa/bind_tester", Map.of("wechatid", wechatId)).path("userstr").asText(null);
    }

    /** unbind_tester by the userstr memberauth lists. */
    public void unbindTester(String appId, String userstr) {
        post(appId, "wxa/unbind_tester", Map.of("userstr", userstr));
    }

    /** memberauth (get_experiencer): the testers' userstr; WeChat never lists their WeChat IDs. */
    public List<String> testers(String appId) {
        List<String> members = new ArrayList<>();
        post(appId, "wxa/memberauth", Map.of("action", "get_experiencer")).path("members")
            .forEach(n -> members.add(n.path("userstr").asText()));
        return members;
    }

    /** setprivacysetting with a body built by the caller (owner_setting, setting_list, sdk_privacy_info_list). */
    public void setPrivacySetting(String appId, Map<String, Object> body) {
        post(appId, "cgi-bin/component/setprivacysetting", body);
    }

    // ------------------------------------------------------------------ plumbing

    private JsonNode component(String api, String tokenName, Object body) {
        return tokens.withComponentToken(token -> http.post(api, Map.of(tokenName, token), body));
    }

    private JsonNode componentGet(String api, Map<String, String> query) {
        return tokens.withComponentToken(token -> {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("access_token", token);
            return http.get(api, q);
        });
    }

    private JsonNode post(String appId, String api, Object body) {
        return withAuthorizerToken(appId, token -> http.post(api, Map.of("access_token", token), body));
    }

    private JsonNode get(String appId, String api, Map<String, String> query) {
        return withAuthorizerToken(appId, token -> {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("access_token", token);
            return http.get(api, q);
        });
    }

    private <T> T withAuthorizerToken(String appId, Function<String, T> call) {
        return tokens.withAuthorizerToken(appId, call);
    }

    private static List<Integer> scopes(JsonNode funcInfo) {
        List<Integer> ids = new ArrayList<>();
        funcInfo.forEach(n -> ids.add(n.path("funcscope_category").path("id").asInt()));
        return ids;
    }

    private static List<String> split(String text) {
        return split(text, ";");
    }

    private static List<String> split(String text, String regex) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(regex)) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
