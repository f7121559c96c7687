package io.miniflow.release;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.MiniflowException;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Reads and changes a tenant mini program's release settings (ext_json fields, domains, privacy contact), with the
 * checks a release relies on: https domains, an e-mail, an ext_json that is a JSON object. Mini-program admins and
 * workspace admins change them.
 */
@Service
class MiniProgramSettingsEditor {

    /** ext_json's column holds 8000 characters; 20 domains of 90 fit the 2000 of each domain column, 10 tags the 500. */
    static final int EXT_JSON_MAX = 8000;
    static final int DOMAINS_MAX = 20;
    static final int DOMAIN_LENGTH_MAX = 90;
    static final int TAGS_MAX = 10;

    private final MiniProgramSettings settings;
    private final AuthorizedMiniPrograms authorized;

    MiniProgramSettingsEditor(MiniProgramSettings settings, AuthorizedMiniPrograms authorized) {
        this.settings = settings;
        this.authorized = authorized;
    }

    /**
     * Checks everything, then writes settings and tags in one transaction: a refusal of the tags once left a new
     * ext_json saved. The bounds keep each list within its column (docs/api.md, "Limits"); the console's form comes
     * here without Bean Validation, so they are checked here as well as on {@link SettingsRequest}.
     */
    @Transactional
    public void save(CurrentUser user, String appId, SettingsRequest body) {
        if (!user.has(Roles.CAMUNDA_ADMIN) && user.groups().stream().noneMatch(g ->
                g.equals(Roles.MINIPROGRAM_ADMIN) || g.equals(Roles.WORKSPACE_ADMIN))) {
            throw MiniflowException.forbidden("settings.notAllowed");
        }
        requireKnown(appId);
        String ext = body.extJson() == null || body.extJson().isBlank() ? null : body.extJson().trim();
        if (ext != null && ext.length() > EXT_JSON_MAX) {
            throw MiniflowException.badRequest("settings.extJson.size");
        }
        List<String> request = clean(body.requestDomains());
        List<String> webview = clean(body.webviewDomains());
        if (request.size() > DOMAINS_MAX || webview.size() > DOMAINS_MAX) {
            throw MiniflowException.badRequest("settings.domains.size");
        }
        for (String domain : concat(request, webview)) {
            if (domain.length() > DOMAIN_LENGTH_MAX) {
                throw MiniflowException.badRequest("settings.domain.size");
            }
            if (!domain.matches("https://[A-Za-z0-9.-]{1,200}(:[0-9]{1,5})?/?")) {
                throw MiniflowException.badRequest("settings.domain", domain);
            }
        }
        String email = body.privacyContactEmail() == null || body.privacyContactEmail().isBlank() ? null
            : body.privacyContactEmail().trim();
        if (email != null && email.length() > 255) {
            throw MiniflowException.badRequest("settings.email.size");
        }
        if (email != null && !email.matches("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[A-Za-z]{2,}")) {
            throw MiniflowException.badRequest("settings.email", email);
        }
        List<String> tags = clean(body.tags());
        if (tags.size() > TAGS_MAX) {
            throw MiniflowException.badRequest("settings.tags.size");
        }
        for (String tag : tags) {
            if (!tag.matches("[A-Za-z0-9_-]{1,32}")) {
                throw MiniflowException.badRequest("settings.tag", tag);
            }
        }
        String problem = settings.extJsonProblemOf(appId, ext);
        if (problem != null) {
            throw MiniflowException.badRequest("settings.extJson", problem);
        }
        settings.save(appId, ext, String.join(",", request), String.join(",", webview), email);
        settings.saveTags(appId, String.join(",", tags));
    }

    Map<String, Object> view(String appId) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("appId", appId);
        view.put("extJson", settings.extJson(appId));
        view.put("requestDomains", split(settings.requestDomains(appId)));
        view.put("webviewDomains", split(settings.webviewDomains(appId)));
        view.put("privacyContactEmail", settings.privacyContactEmail(appId));
        view.put("tags", split(settings.tags(appId)));
        return view;
    }

    void requireKnown(String appId) {
        if (!authorized.unknown(List.of(appId)).isEmpty()) {
            throw MiniflowException.notFound("settings.unknownAppId", appId);
        }
    }

    private static List<String> split(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isBlank() ? List.of() : Arrays.asList(commaSeparated.split(","));
    }

    private static List<String> clean(List<String> domains) {
        return domains == null ? List.of() : domains.stream().filter(java.util.Objects::nonNull).map(String::trim)
            .filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    record SettingsRequest(
        @Size(max = EXT_JSON_MAX, message = "{settings.extJson.size}") String extJson,
        @Size(max = DOMAINS_MAX, message = "{settings.domains.size}")
        List<@NotNull(message = "{error.list.nullItem}")
            @Size(max = DOMAIN_LENGTH_MAX, message = "{settings.domain.size}") String> requestDomains,
        @Size(max = DOMAINS_MAX, message = "{settings.domains.size}")
        List<@NotNull(message = "{error.list.nullItem}")
            @Size(max = DOMAIN_LENGTH_MAX, message = "{settings.domain.size}") String> webviewDomains,
        @Size(max = 255, message = "{settings.email.size}") String privacyContactEmail,
        @Size(max = TAGS_MAX, message = "{settings.tags.size}")
        List<@NotNull(message = "{error.list.nullItem}")
            @Pattern(regexp = "\\s*[A-Za-z0-9_-]{1,32}\\s*", message = "{settings.tag.pattern}") String> tags) {
    }
}
