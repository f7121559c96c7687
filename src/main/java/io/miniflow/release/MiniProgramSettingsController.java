package io.miniflow.release;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.MiniProgramSettingsEditor.SettingsRequest;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;

/** The console page of a mini program's release settings (linked from the authorizers page). */
@Controller
class MiniProgramSettingsController {

    private final MiniProgramSettingsEditor editor;
    private final WorkspaceAccess access;
    private final ConsoleText text;

    MiniProgramSettingsController(MiniProgramSettingsEditor editor, WorkspaceAccess access, ConsoleText text) {
        this.editor = editor;
        this.access = access;
        this.text = text;
    }

    @GetMapping("/wechat/mini-programs/{appId}/settings")
    String page(Authentication auth, @PathVariable String appId, Model model) {
        // Mini programs belong to the platform, not to one workspace: members of any workspace release to them.
        access.requireSomeWorkspace(CurrentUser.from(auth));
        editor.requireKnown(appId);
        model.addAttribute("appId", appId);
        model.addAttribute("settings", editor.view(appId));
        return "releases/settings";
    }

    @PostMapping("/wechat/mini-programs/{appId}/settings")
    String submit(Authentication auth, @PathVariable String appId, @RequestParam(required = false) String extJson,
                  @RequestParam(required = false) String requestDomains,
                  @RequestParam(required = false) String webviewDomains,
                  @RequestParam(required = false) String privacyContactEmail,
                  @RequestParam(required = false) String tags, RedirectAttributes redirect) {
        try {
            editor.save(CurrentUser.from(auth), appId, new SettingsRequest(extJson, lines(requestDomains),
                lines(webviewDomains), privacyContactEmail, lines(tags)));
            redirect.addFlashAttribute("message", text.of("settings.saved", appId));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/wechat/mini-programs/" + appId + "/settings";
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[\\s,]+")).filter(s -> !s.isBlank()).toList();
    }

    /** {@code GET/PUT /api/wechat/mini-programs/{appId}/settings}. */
    @RestController
    static class Api {

        private final MiniProgramSettingsEditor editor;
        private final WorkspaceAccess access;

        Api(MiniProgramSettingsEditor editor, WorkspaceAccess access) {
            this.editor = editor;
            this.access = access;
        }

        @GetMapping("/api/wechat/mini-programs/{appId}/settings")
        Map<String, Object> get(Authentication auth, @PathVariable String appId) {
            access.requireSomeWorkspace(CurrentUser.from(auth));
            editor.requireKnown(appId);
            return editor.view(appId);
        }

        @PutMapping("/api/wechat/mini-programs/{appId}/settings")
        Map<String, Object> put(Authentication auth, @PathVariable String appId,
                                @jakarta.validation.Valid @RequestBody SettingsRequest body) {
            access.requireSomeWorkspace(CurrentUser.from(auth));
            editor.save(CurrentUser.from(auth), appId, body);
            return editor.view(appId);
        }
    }
}
