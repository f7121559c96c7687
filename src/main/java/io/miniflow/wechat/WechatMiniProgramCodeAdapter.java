package io.miniflow.wechat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.miniflow.release.AuditStatus;
import io.miniflow.release.MiniProgramCodePort;
import io.miniflow.release.PlatformRefusal;
import io.miniflow.release.PrivacyGuide;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * The release process's port onto WeChat's third-party platform: translates its calls to {@link WechatClient} and the
 * refusals it models (61039 and 85009: wait; 85085: audit quota used up) to {@link PlatformRefusal}, whose message
 * keeps WeChat's errcode and errmsg for the people who look at a waiting release (the release itself names no WeChat
 * code). Every other WeChat error stays a {@link WechatApiException}, which the engine retries and then raises as an
 * incident.
 */
@Component
public class WechatMiniProgramCodeAdapter implements MiniProgramCodePort {

    /** What the privacy guide says each declared key is used for, when the release names no text of its own. */
    private static final String DEFAULT_PRIVACY_TEXT = "提供小程序的基本服务";

    private final WechatClient client;

    public WechatMiniProgramCodeAdapter(WechatClient client) {
        this.client = client;
    }

    @Override
    public VersionInfo versionInfo(String appId) {
        WechatClient.VersionInfo info = client.versionInfo(appId);
        return new VersionInfo(info.expVersion(), info.releaseVersion());
    }

    @Override
    public void commit(String appId, long templateId, String extJson, String userVersion, String userDesc) {
        client.commit(appId, templateId, extJson, userVersion, userDesc);
    }

    /**
     * Server domains are registered on the platform before they are set on the mini program (the other way round
     * WeChat refuses with 85017); webview domains likewise through the platform's business domains.
     */
    @Override
    public void configureDomains(String appId, DomainSettings domains) {
        if (!domains.requestDomains().isEmpty()) {
            client.modifyServerDomain("add", domains.requestDomains().stream().map(WechatMiniProgramCodeAdapter::host)
                .toList());
            client.modifyDomain(appId, "set", WechatClient.Domains.requestOnly(domains.requestDomains().stream()
                .map(WechatMiniProgramCodeAdapter::https).toList()));
        }
        if (!domains.webviewDomains().isEmpty()) {
            client.modifyJumpDomain("add", domains.webviewDomains().stream().map(WechatMiniProgramCodeAdapter::host)
                .toList());
            try {
                client.setWebviewDomain(appId, "set", domains.webviewDomains().stream()
                    .map(WechatMiniProgramCodeAdapter::https).toList());
            } catch (WechatApiException e) {
                if (e.errcode() != 89019) { // unchanged: a retry after the first attempt went through
                    throw e;
                }
            }
        }
    }

    @Override
    public void setPrivacySetting(String appId, PrivacySettings privacy) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : privacy.privacyKeys()) {
            settings.put(key, DEFAULT_PRIVACY_TEXT);
        }
        client.setPrivacySetting(appId, 2, privacy.contactEmail(), 7, settings);
    }

    @Override
    public long submitAudit(String appId, String versionDesc, String feedback) {
        try {
            return client.submitAudit(appId, versionDesc, feedback, false);
        } catch (WechatApiException e) {
            throw refusalOr(e);
        }
    }

    @Override
    public AuditState latestAudit(String appId) {
        WechatClient.AuditStatus latest = client.latestAudit(appId);
        if (latest == null) {
            return null;
        }
        return new AuditState(latest.auditId(), AuditStatus.fromWeChat(latest.status()), latest.reason(),
            List.copyOf(latest.screenshots()), latest.userVersion());
    }

    /** What submit_audit answers while an audit runs (85009), which the release never lets it come to. */
    @Override
    public PlatformRefusal auditRunning(AuditState running) {
        return refusal(PlatformRefusal.Kind.MUST_WAIT, 85009, "audit " + running.auditId() + " of version "
            + running.userVersion() + " is still running");
    }

    /** grayrelease refuses with 85079 while no version is online; asked first, so it never has to. */
    @Override
    public Optional<String> grayReleaseRefusal(String appId) {
        return client.versionInfo(appId).releaseVersion() == null
            ? Optional.of(85079 + " no version online yet to phase against") : Optional.empty();
    }

    @Override
    public void release(String appId) {
        client.release(appId);
    }

    @Override
    public void grayRelease(String appId, int percentage) {
        client.grayRelease(appId, percentage, false, false);
    }

    @Override
    public int grayPercentage(String appId) {
        WechatClient.GrayPlan plan = client.grayReleasePlan(appId);
        return plan.status() == 1 ? plan.percentage() : 0;
    }

    @Override
    public void revertCodeRelease(String appId) {
        client.revertCodeRelease(appId, null);
    }

    @Override
    public void revertGrayRelease(String appId) {
        client.revertGrayRelease(appId);
    }

    private static RuntimeException refusalOr(WechatApiException e) {
        return switch (e.errcode()) {
            case 61039, 85009 -> refusal(PlatformRefusal.Kind.MUST_WAIT, e.errcode(), e.errmsg());
            case 85085 -> refusal(PlatformRefusal.Kind.AUDIT_QUOTA_EXHAUSTED, e.errcode(), e.errmsg());
            default -> e;
        };
    }

    /** "61039 privacy api scan is not finished": WeChat's code first, as operators search for it. */
    private static PlatformRefusal refusal(PlatformRefusal.Kind kind, int errcode, String errmsg) {
        return new PlatformRefusal(kind, errcode + " " + errmsg);
    }

    private static String host(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        int scheme = d.indexOf("://");
        if (scheme >= 0) {
            d = d.substring(scheme + 3);
        }
        int slash = d.indexOf('/');
        return slash >= 0 ? d.substring(0, slash) : d;
    }

    private static String https(String domain) {
        return domain.contains("://") ? domain.trim() : "https://" + domain.trim();
    }

    @Override
    public void undoAudit(String appId) {
        try {
            client.undoAudit(appId);
        } catch (WechatApiException e) {
            throw new WechatRefusal(e);
        }
    }

    @Override
    public void speedUpAudit(String appId, long auditId) {
        try {
            client.speedUpAudit(appId, auditId);
        } catch (WechatApiException e) {
            throw new WechatRefusal(e);
        }
    }

    @Override
    public PlatformQuotas quotas(String anyAppId) {
        WechatClient.Quota quota = client.queryQuota(anyAppId);
        return new PlatformQuotas(quota.rest(), quota.limit(), quota.speedupRest(), quota.speedupLimit());
    }

    /** change_visitstatus: "close" suspends the service, "open" restores it. */
    @Override
    public void changeService(String appId, boolean open) {
        try {
            client.changeVisitStatus(appId, open ? "open" : "close");
        } catch (WechatApiException e) {
            throw new WechatRefusal(e);
        }
    }

    /** The emulator's getvisitstatus answers 1 while the service is open (as get_account_basic_info's visit_status 0). */
    @Override
    public boolean serviceOpen(String appId) {
        return client.visitStatus(appId) == 1;
    }

    @Override
    public AuditQuota auditQuota(String anyAppId) {
        WechatClient.Quota quota = client.queryQuota(anyAppId);
        return new AuditQuota(quota.rest(), quota.limit());
    }

    @Override
    public List<ReleasedVersion> releasedVersions(String appId) {
        return client.historyVersions(appId).stream().map(v -> new ReleasedVersion(v.appVersion(), v.userVersion(),
            v.userDesc(), v.commitTime())).toList();
    }

    @Override
    public void revertCodeRelease(String appId, int appVersion) {
        client.revertCodeRelease(appId, appVersion);
    }

    /** The development version's guide (privacy_ver 2): owner_setting, setting_list, sdk_privacy_info_list. */
    @Override
    public void setPrivacyGuide(String appId, PrivacyGuide guide) {
        Map<String, Object> owner = new LinkedHashMap<>();
        putIfSet(owner, "contact_email", guide.contactEmail());
        putIfSet(owner, "contact_phone", guide.contactPhone());
        putIfSet(owner, "contact_qq", guide.contactQq());
        putIfSet(owner, "contact_weixin", guide.contactWeixin());
        putIfSet(owner, "notice_method", guide.noticeMethod());
        if (guide.storageDays() != null) {
            owner.put("store_expire_timestamp", guide.storageDays() + "天");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("privacy_ver", 2);
        body.put("owner_setting", owner);
        body.put("setting_list", items(guide.items()));
        if (!guide.sdks().isEmpty()) {
            body.put("sdk_privacy_info_list", guide.sdks().stream().map(sdk -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sdk_name", sdk.name());
                m.put("sdk_biz_name", sdk.company());
                m.put("sdk_list", items(sdk.items()));
                return m;
            }).toList());
        }
        client.setPrivacySetting(appId, body);
    }

    @Override
    public PrivacyGuide privacyGuide(String appId) {
        JsonNode r = client.getPrivacySetting(appId, 2);
        JsonNode owner = r.path("owner_setting");
        String store = owner.path("store_expire_timestamp").asText("");
        Integer days = store.matches("[0-9]{1,6}天") ? Integer.valueOf(store.substring(0, store.length() - 1)) : null;
        List<PrivacyGuide.Sdk> sdks = new ArrayList<>();
        r.path("sdk_privacy_info_list").forEach(n -> sdks.add(new PrivacyGuide.Sdk(n.path("sdk_name").asText(null),
            n.path("sdk_biz_name").asText(null), items(n.path("sdk_list")))));
        return new PrivacyGuide(owner.path("contact_email").asText(null), owner.path("contact_phone").asText(null),
            owner.path("contact_qq").asText(null), owner.path("contact_weixin").asText(null),
            owner.path("notice_method").asText(null), days, items(r.path("setting_list")), sdks);
    }

    private static List<Map<String, String>> items(List<PrivacyGuide.DataItem> items) {
        return items.stream().map(i -> Map.of("privacy_key", i.privacyKey(), "privacy_text", i.purpose())).toList();
    }

    private static List<PrivacyGuide.DataItem> items(JsonNode list) {
        List<PrivacyGuide.DataItem> out = new ArrayList<>();
        list.forEach(n -> out.add(new PrivacyGuide.DataItem(n.path("privacy_key").asText(null),
            n.path("privacy_text").asText(null))));
        return out;
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
