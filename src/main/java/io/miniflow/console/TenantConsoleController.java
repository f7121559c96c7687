package io.miniflow.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.ProcessDiagram;
import io.miniflow.shared.ProcessDiagrams;
import io.miniflow.shared.QrCodePng;
import io.miniflow.tenant.Tenant;
import io.miniflow.tenant.TenantApp;
import io.miniflow.tenant.TenantAppStage;
import io.miniflow.tenant.TenantOpened;
import io.miniflow.tenant.TenantRequests.OpenTenant;
import io.miniflow.tenant.TenantService;
import io.miniflow.tenant.TenantStatus;
import io.miniflow.tenant.TenantWebhook;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceAccess;
import io.miniflow.workspace.WorkspaceService;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Console pages of tenants: the list of the user's workspaces' tenants, one tenant with its apps (stage, reason,
 * authorization link and its QR code, process diagram, webhooks), and for workspace admins opening and closing.
 * A tenant of a workspace the user is not a member of answers 404, as one that does not exist.
 */
@Controller
class TenantConsoleController {

    static final String VIEW_LIST = "tenants/list";
    static final String VIEW_DETAIL = "tenants/detail";
    static final String VIEW_FORM = "tenants/form";
    static final String VIEW_CLOSE = "tenants/close";

    /** What the detail page shows of one tenant app. */
    record AppPanel(TenantApp app, String errorMessage, String authorizationUrl, List<TenantWebhook> webhooks,
                    ProcessDiagram diagram) {

        public boolean linkExpired() {
            return app.stage() == TenantAppStage.FAILED && "AUTHORIZATION_EXPIRED".equals(app.errorCode());
        }
    }

    private final TenantService tenants;
    private final WorkspaceAccess access;
    private final WorkspaceService workspaces;
    private final ProcessDiagrams diagrams;
    private final ObjectMapper json;
    private final ConsoleText text;

    TenantConsoleController(TenantService tenants, WorkspaceAccess access, WorkspaceService workspaces,
                            ProcessDiagrams diagrams, ObjectMapper json, ConsoleText text) {
        this.tenants = tenants;
        this.access = access;
        this.workspaces = workspaces;
        this.diagrams = diagrams;
        this.json = json;
        this.text = text;
    }

    @GetMapping("/tenants")
    String list(Authentication auth, @RequestParam(required = false) String q,
                @RequestParam(required = false) TenantStatus status, @RequestParam(required = false) Integer page,
                Model model) {
        CurrentUser user = CurrentUser.from(auth);
        List<String> names = workspaces.visibleTo(user).stream().map(Workspace::name).toList();
        model.addAttribute("tenants", tenants.search(names, q, status, PageRequest.of(page, null)));
        model.addAttribute("statuses", TenantStatus.values());
        model.addAttribute("mayOpen", !adminWorkspaces(user).isEmpty());
        model.addAttribute("filtered", (q != null && !q.isBlank()) || status != null);
        return VIEW_LIST;
    }

    @GetMapping("/tenants/{workspace}/{tenantCode}")
    String detail(Authentication auth, @PathVariable String workspace, @PathVariable String tenantCode,
                  Locale locale, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        Tenant tenant = visibleTenant(user, workspace, tenantCode);
        model.addAttribute("tenant", tenant);
        List<AppPanel> apps = tenants.appsOf(tenant).stream().map(app -> new AppPanel(app,
            app.errorCode() == null ? null : tenants.errorMessage(app, locale), tenants.authorizationUrl(app),
            tenants.webhooksOf(app),
            app.processInstanceId() == null ? null : diagrams.of(app.processInstanceId()))).toList();
        model.addAttribute("apps", apps);
        model.addAttribute("anyDiagram", apps.stream().anyMatch(p -> p.diagram() != null));
        model.addAttribute("moving", apps.stream().anyMatch(p -> moving(tenant, p.app())));
        model.addAttribute("isAdmin", mayManage(user, workspace));
        return VIEW_DETAIL;
    }

    /** The authorization link as a QR code, while the app waits for the merchant; otherwise there is none (404). */
    @GetMapping(value = "/tenants/{workspace}/{tenantCode}/apps/{tenantAppCode}/qr.png",
        produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> qrCode(Authentication auth, @PathVariable String workspace,
                                  @PathVariable String tenantCode, @PathVariable String tenantAppCode) {
        Tenant tenant = visibleTenant(CurrentUser.from(auth), workspace, tenantCode);
        String link = tenants.appsOf(tenant).stream().filter(app -> app.tenantAppCode().equals(tenantAppCode))
            .findFirst().map(tenants::authorizationUrl)
            .orElseThrow(() -> MiniflowException.notFound("tenant.console.noLink", tenantAppCode));
        // The link is a bearer of the merchant's authorization: no cache keeps it after the page is gone.
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).cacheControl(CacheControl.noStore())
            .body(QrCodePng.of(link));
    }

    @GetMapping("/tenants/{workspace}/{tenantCode}/close")
    String confirmClose(Authentication auth, @PathVariable String workspace, @PathVariable String tenantCode,
                        Model model) {
        model.addAttribute("tenant", administeredTenant(CurrentUser.from(auth), workspace, tenantCode));
        return VIEW_CLOSE;
    }

    /** Closes only with the confirmation box ticked; without it the confirmation page comes back, saying why. */
    @PostMapping("/tenants/{workspace}/{tenantCode}/close")
    String close(Authentication auth, @PathVariable String workspace, @PathVariable String tenantCode,
                 @RequestParam(defaultValue = "false") boolean confirmed, Locale locale, Model model,
                 RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        Tenant tenant = administeredTenant(user, workspace, tenantCode);
        if (!confirmed) {
            model.addAttribute("tenant", tenant);
            model.addAttribute("error", text.of("tenant.console.close.unconfirmed"));
            return VIEW_CLOSE;
        }
        tenants.close(workspace, user.username(), tenantCode, locale);
        redirect.addFlashAttribute("message", text.of("tenant.console.closed", tenantCode));
        return redirectTo(tenant);
    }

    @PostMapping("/tenants/{workspace}/{tenantCode}/apps/{tenantAppCode}/renew-link")
    String renewLink(Authentication auth, @PathVariable String workspace, @PathVariable String tenantCode,
                     @PathVariable String tenantAppCode, Locale locale, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        Tenant tenant = administeredTenant(user, workspace, tenantCode);
        try {
            tenants.renewLink(workspace, user.username(), tenantCode, tenantAppCode, locale);
            redirect.addFlashAttribute("message", text.of("tenant.console.renewed", tenantAppCode));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return redirectTo(tenant);
    }

    @GetMapping("/tenants/new")
    String openForm(Authentication auth, Model model) {
        List<String> administered = requireSomeAdministered(CurrentUser.from(auth));
        TenantForm form = new TenantForm();
        form.setWorkspace(administered.get(0));
        return form(model, form, administered);
    }

    @PostMapping("/tenants/new")
    String open(Authentication auth, @ModelAttribute("form") TenantForm form, BindingResult errors, Model model,
                RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        List<String> administered = requireSomeAdministered(user);
        if (form.getWorkspace() == null || form.getWorkspace().isBlank()) {
            errors.rejectValue("workspace", "tenant.field.required");
            return form(model, form, administered);
        }
        access.requireAdmin(user, form.getWorkspace());
        // Text that is no JSON object or no number goes on as a value the service refuses for sure, so every
        // refused field is named at once and nothing is created; its message is ours.
        InvalidFields local = new InvalidFields();
        JsonNode extJson = extJson(local, form.getExtJson());
        Long templateId = templateId(local, form.getTemplateId());
        try {
            TenantOpened opened = tenants.open(form.getWorkspace(), user.username(), new OpenTenant(
                form.getTenantCode(), form.getName(), form.getContact(), form.getAppCode(), form.getEnvCode(),
                form.getTenantAppCode(), extJson, templateId, form.getNotifyUrl()));
            redirect.addFlashAttribute("message", text.of(opened.created() ? "tenant.console.opened"
                : "tenant.console.openedBefore", opened.tenantCode()));
            return redirectTo(form.getWorkspace(), opened.tenantCode());
        } catch (InvalidFields refused) {
            List<InvalidFields.Field> fields = new ArrayList<>(local.fields());
            refused.fields().stream().filter(f -> !local.has(f.field())).forEach(fields::add);
            fields.forEach(f -> errors.rejectValue(f.field(), f.key(), f.args(), f.key()));
        } catch (MiniflowException refused) {
            if (refused.status().value() == 403) {
                throw refused;
            }
            errors.reject(refused.messageKey(), refused.args(), refused.messageKey());
        }
        return form(model, form, administered);
    }

    // --- steps of the above

    private String form(Model model, TenantForm form, List<String> administered) {
        model.addAttribute("form", form);
        model.addAttribute("workspaces", administered);
        return VIEW_FORM;
    }

    private JsonNode extJson(InvalidFields invalid, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            invalid.add("extJson", "tenant.console.field.extJson.syntax", e.getLocation() == null ? 0
                : e.getLocation().getLineNr(), e.getLocation() == null ? 0 : e.getLocation().getColumnNr());
            return TextNode.valueOf(text);
        }
    }

    private static Long templateId(InvalidFields invalid, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            invalid.add("templateId", "tenant.field.templateId");
            return -1L;
        }
    }

    /**
     * An app on its way without waiting for anyone (the merchant, an operator): the page refreshes itself until it
     * arrives, as the release page does.
     */
    private static boolean moving(Tenant tenant, TenantApp app) {
        return switch (app.stage()) {
            case CREATED, BOUND, RELEASING -> true;
            case CLOSED -> false;
            default -> tenant.status() == TenantStatus.CLOSED;
        };
    }

    /** The tenant, if the user may see its workspace; else 404 like a tenant that does not exist. */
    private Tenant visibleTenant(CurrentUser user, String workspace, String tenantCode) {
        List<String> visible = access.visibleWorkspaces(user);
        if (visible != null && !visible.contains(workspace)) {
            throw MiniflowException.notFound("tenant.notFound", tenantCode);
        }
        return tenants.find(workspace, tenantCode)
            .orElseThrow(() -> MiniflowException.notFound("tenant.notFound", tenantCode));
    }

    /** A visible tenant (else 404) of a workspace the user administers (else 403). */
    private Tenant administeredTenant(CurrentUser user, String workspace, String tenantCode) {
        Tenant tenant = visibleTenant(user, workspace, tenantCode);
        access.requireAdmin(user, workspace);
        return tenant;
    }

    private List<String> adminWorkspaces(CurrentUser user) {
        return workspaces.visibleTo(user).stream().map(Workspace::name).filter(w -> mayManage(user, w)).toList();
    }

    private List<String> requireSomeAdministered(CurrentUser user) {
        List<String> administered = adminWorkspaces(user);
        if (administered.isEmpty()) {
            throw MiniflowException.forbidden("tenant.console.adminOnly");
        }
        return administered;
    }

    private boolean mayManage(CurrentUser user, String workspace) {
        return user.has(Roles.CAMUNDA_ADMIN) || access.isActiveAdmin(user.username(), workspace);
    }

    private static String redirectTo(Tenant tenant) {
        return redirectTo(tenant.workspace(), tenant.tenantCode());
    }

    private static String redirectTo(String workspace, String tenantCode) {
        return "redirect:" + UriComponentsBuilder.fromPath("/tenants/{workspace}/{tenantCode}")
            .buildAndExpand(workspace, tenantCode).encode().toUriString();
    }
}
