package io.miniflow.release;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.MiniflowException;

/**
 * Reads and changes a tenant mini program's release settings (ext_json fields, domains, privacy contact), with the
 * checks a release relies on: https domains, an e-mail, an ext_json that is a JSON object. Mini-program admins and
 * workspace admins change them.
 */
@Service
@Profile("!sandbox-only")
class MiniProgramSettingsEditor {

    private final MiniProgramSettings settings;
    private final AuthorizedMiniPrograms authorized;

    MiniProgramSettingsEditor(MiniProgramSettings settings, AuthorizedMiniPrograms authorized) {
        this.settings = settings;
        this.authorized = authorized;
    }

    void save(CurrentUser user, String appId, SettingsRequest body) {
        if (!user.has(Roles.CAMUNDA_ADMIN) && user.groups().stream().noneMatch(g ->
                g.equals(Roles.MINIPROGRAM_ADMIN) || g.equals(Roles.WORKSPACE_ADMIN))) {
            throw MiniflowException.forbidden("settings.notAllowed");
        }
        requireKnown(appId);
        String ext = body.extJson() == null || body.extJson().isBlank() ? null : body.extJson().trim();
        List<String> request = clean(body.requestDomains());
        List<String> webview = clean(body.webviewDomains());
        for (String domain : concat(request, webview)) {
            if (!domain.matches("https://[A-Za-z0-9.-]{1,200}(:[0-9]{1,5})?/?")) {
                throw MiniflowException.badRequest("settings.domain", domain);
            }
        }
        String email = body.privacyContactEmail() == null || body.privacyContactEmail().isBlank() ? null
            : body.privacyContactEmail().trim();
        if (email != null && !email.matches("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[A-Za-z]{2,}")) {
            throw MiniflowException.badRequest("settings.email", email);
        }
        List<String> tags = clean(body.tags());
        for (String tag : tags) {
            if (!tag.matches("[A-Za-z0-9_-]{1,32}")) {
                throw MiniflowException.badRequest("settings.tag", tag);
            }
        }
        try {
            settings.save(appId, ext, String.join(",", request), String.join(",", webview), email);
            settings.saveTags(appId, String.join(",", tags));
        } catch (IllegalArgumentException e) {
            throw MiniflowException.badRequest("settings.extJson", e.getMessage());
        }
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
        return domains == null ? List.of() : domains.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    record SettingsRequest(String extJson, List<String> requestDomains, List<String> webviewDomains,
                           String privacyContactEmail, List<String> tags) {
    }
}
