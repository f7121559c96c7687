package io.miniflow.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.context.MessageSource;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The console's WeChat platform pages: authorized mini programs (search, paging, an authorization link bound to a
 * business id, the platform's ticket and token state) and the template library (drafts → add,
 * list, delete after confirmation). Changes need a platform admin or a mini-program admin.
 */
@Controller
class WechatConsoleController {

    static final String VIEW_AUTHORIZERS = "wechat/authorizers";
    static final String VIEW_TEMPLATES = "wechat/templates";
    static final String VIEW_CONFIRM_DELETE = "wechat/confirm-delete";

    private final WechatStore store;
    private final WechatClient client;
    private final WechatTokenManager tokens;
    private final WechatSettings settings;
    private final MessageSource messages;
    private final WorkspaceAccess access;
    private final WechatAuthorizations authorizations;
    private final Clock clock;

    WechatConsoleController(WechatStore store, WechatClient client, WechatTokenManager tokens,
                            WechatSettings settings, MessageSource messages, WorkspaceAccess access,
                            WechatAuthorizations authorizations, Clock clock) {
        this.authorizations = authorizations;
        this.store = store;
        this.client = client;
        this.tokens = tokens;
        this.settings = settings;
        this.messages = messages;
        this.access = access;
        this.clock = clock;
    }

    @GetMapping("/wechat/authorizers")
    String authorizers(@RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                       Authentication auth, Model model) {
        // The platform's mini programs and its token state: for members of some workspace, not every login.
        access.requireSomeWorkspace(CurrentUser.from(auth));
        PageRequest request = PageRequest.of(page, null);
        model.addAttribute("result", new PageResult<>(store.authorizers(q, request.offset(), request.size()), request,
            store.countAuthorizers(q)));
        model.addAttribute("q", q);
        model.addAttribute("canManage", canManage(CurrentUser.from(auth)));
        model.addAttribute("componentAppId", settings.componentAppId());
        model.addAttribute("authorizedCount", store.countAuthorized());
        Instant now = clock.instant();
        store.ticket(settings.componentAppId()).ifPresent(t -> {
            model.addAttribute("ticketAt", t.receivedAt());
            model.addAttribute("ticketAgeMinutes", Duration.between(t.receivedAt(), now).toMinutes());
        });
        tokens.componentTokenExpiry().ifPresent(e -> {
            model.addAttribute("tokenExpiresAt", e);
            model.addAttribute("tokenMinutesLeft", Duration.between(now, e).toMinutes());
        });
        return VIEW_AUTHORIZERS;
    }

    /** A one-time authorization link for a tenant; WeChat sends the merchant back with the code and the business id. */
    @PostMapping("/wechat/authorizers/link")
    String link(@RequestParam("businessId") String businessId, Authentication auth, RedirectAttributes flash,
                Locale locale) {
        requireManager(auth);
        if (businessId == null || businessId.isBlank() || businessId.length() > 128) {
            flash.addFlashAttribute("error", messages.getMessage("wechat.console.business-id.invalid", null, locale));
            return "redirect:/wechat/authorizers";
        }
        try {
            String back = ServletUriComponentsBuilder.fromCurrentContextPath().path("/wechat/authorizers/bound")
                .queryParam("business_id", businessId.trim()).build().toUriString();
            String url = client.authorizationUrl(client.createPreAuthCode().code(), back, 2);
            flash.addFlashAttribute("authorizationUrl", url);
            flash.addFlashAttribute("linkBusinessId", businessId.trim());
        } catch (WechatApiException e) {
            flash.addFlashAttribute("error", WechatErrors.message(messages, e, locale));
        }
        return "redirect:/wechat/authorizers";
    }

    /** The redirect_uri of the authorization link: redeems the code and binds the mini program to the business id. */
    @GetMapping("/wechat/authorizers/bound")
    String bound(@RequestParam("auth_code") String authCode, @RequestParam("business_id") String businessId,
                 Authentication auth, RedirectAttributes flash, Locale locale) {
        access.requireSomeWorkspace(CurrentUser.from(auth));
        try {
            String appId = authorizations.redeem(authCode, clock.instant());
            authorizations.bindBusiness(appId, businessId);
            flash.addFlashAttribute("message", messages.getMessage("wechat.console.bound",
                new Object[] {appId, businessId}, locale));
        } catch (WechatApiException e) {
            flash.addFlashAttribute("error", WechatErrors.message(messages, e, locale));
        }
        return "redirect:/wechat/authorizers?q=" + java.net.URLEncoder.encode(businessId,
            java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Learns every authorizer (and its refresh token) from api_get_authorizer_list. */
    @PostMapping("/wechat/authorizers/sync")
    String sync(Authentication auth, RedirectAttributes flash, Locale locale) {
        requireManager(auth);
        try {
            int offset = 0;
            int total;
            do {
                WechatClient.AuthorizerPage page = client.authorizerList(offset, 500);
                for (WechatClient.AuthorizerListItem item : page.list()) {
                    store.upsertAuthorizer(item.appId(), "AUTHORIZED", item.refreshToken(),
                        Instant.ofEpochSecond(item.authTime()), clock.instant());
                    if (store.authorizer(item.appId()).map(a -> a.nickName() == null).orElse(true)) {
                        authorizations.describe(item.appId()); // e.g. its authorized push came before the first ticket
                    }
                }
                offset += page.list().size();
                total = page.totalCount();
                if (page.list().isEmpty()) {
                    break;
                }
            } while (offset < total);
            flash.addFlashAttribute("message", messages.getMessage("wechat.console.synced", new Object[] {offset},
                locale));
        } catch (WechatApiException e) {
            flash.addFlashAttribute("error", WechatErrors.message(messages, e, locale));
        }
        return "redirect:/wechat/authorizers";
    }

    @GetMapping("/wechat/templates")
    String templates(Authentication auth, Model model, Locale locale) {
        access.requireSomeWorkspace(CurrentUser.from(auth));
        model.addAttribute("canManage", canManage(CurrentUser.from(auth)));
        try {
            model.addAttribute("drafts", client.drafts());
            java.util.List<WechatClient.Template> templates = client.templates(null);
            model.addAttribute("templates", templates);
            model.addAttribute("templateCount", templates.size());
            model.addAttribute("templateLimit", settings.templateLibraryLimit());
            model.addAttribute("templatesFull", templates.size() >= settings.templateLibraryLimit());
        } catch (WechatApiException e) {
            model.addAttribute("drafts", java.util.List.of());
            model.addAttribute("templates", java.util.List.of());
            model.addAttribute("error", WechatErrors.message(messages, e, locale));
        }
        return VIEW_TEMPLATES;
    }

    @PostMapping("/wechat/templates")
    String addTemplate(@RequestParam long draftId, Authentication auth, RedirectAttributes flash, Locale locale) {
        requireManager(auth);
        try {
            client.addToTemplate(draftId, 0);
            flash.addFlashAttribute("message", messages.getMessage("wechat.console.template.added",
                new Object[] {String.valueOf(draftId)}, locale));
        } catch (WechatApiException e) {
            flash.addFlashAttribute("error", WechatErrors.message(messages, e, locale));
        }
        return "redirect:/wechat/templates";
    }

    @GetMapping("/wechat/templates/{templateId}/delete")
    String confirmDelete(@PathVariable long templateId, Authentication auth, Model model) {
        requireManager(auth);
        model.addAttribute("template", client.templates(null).stream().filter(t -> t.templateId() == templateId)
            .findFirst().orElse(null));
        model.addAttribute("templateId", templateId);
        return VIEW_CONFIRM_DELETE;
    }

    @PostMapping("/wechat/templates/{templateId}/delete")
    String delete(@PathVariable long templateId, Authentication auth, RedirectAttributes flash, Locale locale) {
        requireManager(auth);
        try {
            client.deleteTemplate(templateId);
            flash.addFlashAttribute("message", messages.getMessage("wechat.console.template.deleted",
                new Object[] {String.valueOf(templateId)}, locale));
        } catch (WechatApiException e) {
            flash.addFlashAttribute("error", WechatErrors.message(messages, e, locale));
        }
        return "redirect:/wechat/templates";
    }

    /** Name, gh_ id, principal and permission sets of one authorizer; left for later when WeChat cannot answer. */
    /** Platform admins, and mini-program admins active in some workspace (the platform's mini programs are shared). */
    private boolean canManage(CurrentUser user) {
        return user.has(Roles.CAMUNDA_ADMIN)
            || access.hasRoleSomewhere(user.username(), java.util.Set.of(Roles.MINIPROGRAM_ADMIN));
    }

    private void requireManager(Authentication auth) {
        if (!canManage(CurrentUser.from(auth))) {
            throw new AccessDeniedException("platform admin or mini-program admin only");
        }
    }
}
