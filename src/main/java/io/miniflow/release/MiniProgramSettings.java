package io.miniflow.release;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Each tenant's mini-program settings (mf_mp_settings): the ext_json fields, domains and privacy contact a release
 * commits with. Read once per mini program by the batch's call of wechat-mp-release ({@link ReleaseInputs}).
 * The ext_json always names the mini program itself as extAppid, as a third-party platform's ext.json does.
 */
@Component("miniProgramSettings")
public class MiniProgramSettings {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    MiniProgramSettings(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** What a release of one mini program commits with, read at once. Empty strings and a null email: not set. */
    public record ForRelease(String extJson, String requestDomains, String webviewDomains, String privacyContactEmail) {
    }

    /** This mini program's settings for a release, in one query; throws as {@link #extJson} does. */
    public ForRelease forRelease(String appId) {
        Optional<Map<String, Object>> row = row(appId);
        return new ForRelease(render(appId, row.map(r -> (String) r.get("ext_json")).orElse(null)),
            row.map(r -> (String) r.get("request_domains")).orElse(""),
            row.map(r -> (String) r.get("webview_domains")).orElse(""),
            row.map(r -> (String) r.get("privacy_contact_email")).filter(e -> !e.isEmpty()).orElse(null));
    }

    /** The ext_json to commit for this mini program; throws when the stored fields are not a JSON object. */
    public String extJson(String appId) {
        return render(appId, row(appId).map(r -> (String) r.get("ext_json")).orElse(null));
    }

    private String render(String appId, String stored) {
        ObjectNode ext = json.createObjectNode();
        if (stored != null && !stored.isBlank()) {
            JsonNode parsed = parse(appId, stored);
            if (!parsed.isObject()) {
                throw new IllegalArgumentException("ext_json of " + appId + " is not a JSON object");
            }
            ext.setAll((ObjectNode) parsed);
        }
        ext.put("extEnable", true);
        ext.put("extAppid", appId);
        if (!ext.has("ext")) {
            ext.set("ext", json.createObjectNode());
        }
        return ext.toString();
    }

    /** Null when this mini program's ext_json renders, else why not. */
    public String extJsonProblem(String appId) {
        try {
            extJson(appId);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public String requestDomains(String appId) {
        return row(appId).map(r -> (String) r.get("request_domains")).orElse("");
    }

    public String webviewDomains(String appId) {
        return row(appId).map(r -> (String) r.get("webview_domains")).orElse("");
    }

    public String privacyContactEmail(String appId) {
        return row(appId).map(r -> (String) r.get("privacy_contact_email")).orElse(null);
    }

    /** The mini program's tags ("vip,east"), empty when none. */
    public String tags(String appId) {
        return row(appId).map(r -> (String) r.get("tags")).orElse("");
    }

    /** Every mini program that carries this tag. */
    public java.util.List<String> taggedWith(String tag) {
        return jdbc.sql("SELECT app_id, tags FROM mf_mp_settings WHERE tags LIKE ? ORDER BY app_id")
            .param("%" + tag + "%")
            .query((rs, i) -> java.util.Arrays.asList(rs.getString("tags").split(",")).contains(tag)
                ? rs.getString("app_id") : null)
            .list().stream().filter(java.util.Objects::nonNull).toList();
    }

    public void saveTags(String appId, String tags) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        if (jdbc.sql("UPDATE mf_mp_settings SET tags = ?, updated_at = ? WHERE app_id = ?").params(tags, now, appId)
                .update() == 0) {
            jdbc.sql("INSERT INTO mf_mp_settings (app_id, tags, updated_at) VALUES (?, ?, ?)").params(appId, tags, now)
                .update();
        }
    }

    /** Null when this text may be stored as a mini program's ext_json fields (empty or a JSON object), else why not. */
    public String extJsonProblemOf(String appId, String extJson) {
        if (extJson == null || extJson.isBlank()) {
            return null;
        }
        try {
            return parse(appId, extJson).isObject() ? null : "ext_json of " + appId + " is not a JSON object";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public void save(String appId, String extJson, String requestDomains, String webviewDomains, String privacyEmail) {
        if (extJson != null && !extJson.isBlank() && !parse(appId, extJson).isObject()) {
            throw new IllegalArgumentException("ext_json of " + appId + " is not a JSON object");
        }
        Timestamp now = Timestamp.from(Instant.now(clock));
        int updated = jdbc.sql("UPDATE mf_mp_settings SET ext_json = ?, request_domains = ?, webview_domains = ?,"
                + " privacy_contact_email = ?, updated_at = ? WHERE app_id = ?")
            .params(extJson, requestDomains, webviewDomains, privacyEmail, now, appId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO mf_mp_settings (app_id, ext_json, request_domains, webview_domains,"
                    + " privacy_contact_email, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(appId, extJson, requestDomains, webviewDomains, privacyEmail, now).update();
        }
    }

    private JsonNode parse(String appId, String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ext_json of " + appId + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private Optional<Map<String, Object>> row(String appId) {
        return jdbc.sql("SELECT * FROM mf_mp_settings WHERE app_id = ?").param(appId)
            .query((rs, i) -> Map.<String, Object>of(
                "ext_json", nullToEmpty(rs.getString("ext_json")),
                "request_domains", nullToEmpty(rs.getString("request_domains")),
                "webview_domains", nullToEmpty(rs.getString("webview_domains")),
                "privacy_contact_email", nullToEmpty(rs.getString("privacy_contact_email")),
                "tags", nullToEmpty(rs.getString("tags"))))
            .optional();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
