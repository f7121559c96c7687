package io.miniflow.tenant;

import static io.miniflow.tenant.TenantVariables.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.miniflow.app.AppEnvironments;
import io.miniflow.release.CompletedReleases;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.PlatformException;
import io.miniflow.shared.ProtectedVariables;
import io.miniflow.tenant.TenantRequests.AddApp;
import io.miniflow.tenant.TenantRequests.OpenTenant;
import io.miniflow.workspace.WebhookTargets;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Opens, extends, shows and closes tenants for the OpenAPI and the console. A request is checked whole first (every
 * refused field named at once); then the tenant, its app and the tenant-provisioning instance are written in one
 * transaction. The same request again is answered with what it made; a different one for the same codes is 409.
 */
@Service
public class TenantService {

    /** tenantCode and tenantAppCode: a lowercase letter first, then letters, digits and hyphens, at most 64. */
    static final Pattern CODE = Pattern.compile("[a-z][A-Za-z0-9-]{0,63}");
    static final int MAX_EXT_JSON = 8000;

    private final TenantRepository repository;
    private final AppEnvironments environments;
    private final CompletedReleases releases;
    private final WebhookTargets webhookTargets;
    private final RuntimeService runtime;
    private final TenantLinks links;
    private final AuditLog audit;
    private final MessageSource messages;
    private final ObjectMapper canonical;
    private final TransactionTemplate transaction;
    private final Clock clock;

    TenantService(TenantRepository repository, AppEnvironments environments, CompletedReleases releases,
                  WebhookTargets webhookTargets, RuntimeService runtime, TenantLinks links, AuditLog audit,
                  MessageSource messages, ObjectMapper json, PlatformTransactionManager transactions, Clock clock) {
        this.repository = repository;
        this.environments = environments;
        this.releases = releases;
        this.webhookTargets = webhookTargets;
        this.runtime = runtime;
        this.links = links;
        this.audit = audit;
        this.messages = messages;
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Opens a tenant with its first app; {@code actor}: the team key's appId or the console user. */
    public TenantOpened open(String workspace, String actor, OpenTenant request) {
        InvalidFields invalid = new InvalidFields();
        code(invalid, "tenantCode", request.tenantCode());
        text(invalid, "name", request.name(), true, 100);
        text(invalid, "contact", request.contact(), false, 200);
        appFields(invalid, request.firstApp());
        String notifyUrl = notifyUrl(invalid, request.notifyUrl());
        invalid.throwIfAny();
        String hash = hash(request);
        Optional<TenantOpened> again = transaction.execute(tx -> sameAgain(workspace, request.tenantCode(), hash));
        if (again.isPresent()) {
            return again.get();
        }
        existing(invalid, workspace, request.firstApp());
        invalid.throwIfAny();
        try {
            return transaction.execute(tx -> {
                long tenantId = repository.insertTenant(workspace, request.tenantCode(), request.name().trim(),
                    blankToNull(request.contact()), notifyUrl, hash, actor, clock.instant());
                audit.record(actor, "tenant.open", "tenant", request.tenantCode(), workspace, request.name().trim());
                return startApp(workspace, actor, tenantId, request.tenantCode(), request.firstApp(), hash);
            });
        } catch (DuplicateKeyException raced) {
            // The same request at the same moment on another node, or another tenant took the tenantAppCode.
            return transaction.execute(tx -> sameAgain(workspace, request.tenantCode(), hash))
                .orElseThrow(() -> MiniflowException.conflict("tenant.conflict.tenantApp", request.tenantAppCode()));
        }
    }

    /** One more tenant app for an open tenant. */
    public TenantOpened addApp(String workspace, String actor, String tenantCode, AddApp request) {
        Tenant tenant = tenant(workspace, tenantCode);
        InvalidFields invalid = new InvalidFields();
        appFields(invalid, request);
        invalid.throwIfAny();
        String hash = hash(request);
        Optional<TenantApp> same = repository.findApp(workspace, request.tenantAppCode());
        if (same.isPresent()) {
            if (same.get().tenantId() == tenant.id() && same.get().requestHash().equals(hash)) {
                return opened(tenant, same.get(), false);
            }
            throw MiniflowException.conflict("tenant.conflict.tenantApp", request.tenantAppCode());
        }
        if (tenant.status() == TenantStatus.CLOSED) {
            throw MiniflowException.conflict("tenant.conflict.closed", tenantCode);
        }
        existing(invalid, workspace, request);
        invalid.throwIfAny();
        try {
            return transaction.execute(tx -> startApp(workspace, actor, tenant.id(), tenantCode, request, hash));
        } catch (DuplicateKeyException raced) {
            throw MiniflowException.conflict("tenant.conflict.tenantApp", request.tenantAppCode());
        }
    }

    public TenantView view(String workspace, String tenantCode, Locale locale) {
        Tenant tenant = tenant(workspace, tenantCode);
        return new TenantView(tenant.tenantCode(), tenant.status().name(), repository.appsOf(tenant.id()).stream()
            .map(app -> new TenantView.AppView(app.tenantAppCode(), app.stage().name(), authorizationUrl(app),
                app.miniProgramAppId(), app.releasedVersion(),
                app.errorCode() == null ? null : new TenantView.Error(app.errorCode(), errorMessage(app, locale))))
            .toList());
    }

    /** The reason of a failed tenant app in this language. */
    public String errorMessage(TenantApp app, Locale locale) {
        return messages.getMessage("tenant.error." + app.errorCode(), app.errorArgList().toArray(), app.errorCode(),
            locale);
    }

    /**
     * Closes the tenant: no more apps; each of its apps is unbound and closed by its tenant-provisioning instance
     * (the running one, or one started to close it). Closing a closed tenant again changes nothing.
     */
    public TenantView close(String workspace, String actor, String tenantCode, Locale locale) {
        transaction.executeWithoutResult(tx -> {
            Tenant tenant = tenant(workspace, tenantCode);
            repository.lockTenant(tenant.id());
            if (repository.findTenantById(tenant.id()).orElseThrow().status() == TenantStatus.CLOSED) {
                return;
            }
            repository.setTenantStatus(tenant.id(), TenantStatus.CLOSED, null, clock.instant());
            for (TenantApp app : repository.appsOf(tenant.id())) {
                if (app.stage() != TenantAppStage.CLOSED) {
                    closeApp(tenant, app);
                }
            }
            audit.record(actor, "tenant.close", "tenant", tenantCode, workspace, null);
        });
        return view(workspace, tenantCode, locale);
    }

    /** A new authorization link for a tenant app whose link expired. */
    public TenantView renewLink(String workspace, String actor, String tenantCode, String tenantAppCode,
                                Locale locale) {
        Tenant tenant = tenant(workspace, tenantCode);
        TenantApp app = repository.findApp(workspace, tenantAppCode).filter(a -> a.tenantId() == tenant.id())
            .orElseThrow(() -> MiniflowException.notFound("tenant.app.notFound", tenantAppCode));
        if (!"AUTHORIZATION_EXPIRED".equals(app.errorCode()) || app.stage() != TenantAppStage.FAILED) {
            throw MiniflowException.conflict("tenant.conflict.notExpired", tenantAppCode);
        }
        ProtectedVariables.asMiniflow(() -> runtime.createMessageCorrelation(MESSAGE_LINK_RENEWED)
            .processInstanceId(app.processInstanceId()).correlateWithResult());
        audit.record(actor, "tenant.renewLink", "tenantApp", tenantAppCode, workspace, null);
        return view(workspace, tenantCode, locale);
    }

    public PageResult<Tenant> search(List<String> workspaces, String text, TenantStatus status, PageRequest page) {
        return repository.search(workspaces, text, status, page);
    }

    public Optional<Tenant> find(String workspace, String tenantCode) {
        return repository.findTenant(workspace, tenantCode);
    }

    public List<TenantApp> appsOf(Tenant tenant) {
        return repository.appsOf(tenant.id());
    }

    public List<TenantWebhook> webhooksOf(TenantApp app) {
        return repository.webhooksOf(app.id());
    }

    public String authorizationUrl(TenantApp app) {
        return app.stage() == TenantAppStage.WAITING_AUTHORIZATION && app.businessId() != null
            ? links.authorizationUrl(app.businessId()) : null;
    }

    // --- steps of the above

    private Tenant tenant(String workspace, String tenantCode) {
        return repository.findTenant(workspace, tenantCode)
            .orElseThrow(() -> MiniflowException.notFound("tenant.notFound", tenantCode));
    }

    private Optional<TenantOpened> sameAgain(String workspace, String tenantCode, String hash) {
        Optional<Tenant> tenant = repository.findTenant(workspace, tenantCode);
        if (tenant.isEmpty()) {
            return Optional.empty();
        }
        if (!tenant.get().requestHash().equals(hash)) {
            throw MiniflowException.conflict("tenant.conflict.exists", tenantCode);
        }
        TenantApp first = repository.appsOf(tenant.get().id()).get(0);
        return Optional.of(opened(tenant.get(), first, false));
    }

    private TenantOpened startApp(String workspace, String actor, long tenantId, String tenantCode, AddApp request,
                                  String hash) {
        long appId = repository.insertApp(tenantId, workspace, request.tenantAppCode(), request.appCode(),
            request.envCode(), request.templateId(), request.extJson() == null ? null : request.extJson().toString(),
            hash, clock.instant());
        ProcessInstance instance = ProtectedVariables.asMiniflow(() -> runtime
            .createProcessInstanceByKey(PROCESS_KEY)
            .businessKey(tenantCode + "/" + request.tenantAppCode())
            .setVariables(Variables.createVariables().putValue(WORKSPACE.name(), workspace)
                .putValue(TENANT_CODE.name(), tenantCode).putValue(TENANT_APP_CODE.name(), request.tenantAppCode())
                .putValue(TENANT_APP_ID.name(), appId))
            .execute());
        repository.setProcessInstance(appId, instance.getId(), clock.instant());
        audit.record(actor, "tenantApp.open", "tenantApp", request.tenantAppCode(), workspace,
            request.appCode() + "/" + request.envCode());
        return opened(repository.findTenantById(tenantId).orElseThrow(), repository.findAppById(appId).orElseThrow(),
            true);
    }

    private void closeApp(Tenant tenant, TenantApp app) {
        boolean running = app.processInstanceId() != null && runtime.createProcessInstanceQuery()
            .processInstanceId(app.processInstanceId()).count() > 0;
        ProtectedVariables.asMiniflow(() -> {
            if (running) {
                runtime.createMessageCorrelation(MESSAGE_CLOSE).processInstanceId(app.processInstanceId())
                    .correlateWithResult();
            } else {
                ProcessInstance closing = runtime.createMessageCorrelation(MESSAGE_CLOSE_OPENED)
                    .processInstanceBusinessKey(tenant.tenantCode() + "/" + app.tenantAppCode())
                    .setVariable(WORKSPACE.name(), app.workspace()).setVariable(TENANT_CODE.name(), tenant.tenantCode())
                    .setVariable(TENANT_APP_CODE.name(), app.tenantAppCode()).setVariable(TENANT_APP_ID.name(), app.id())
                    .correlateStartMessage();
                repository.setProcessInstance(app.id(), closing.getId(), clock.instant());
            }
        });
    }

    private TenantOpened opened(Tenant tenant, TenantApp app, boolean created) {
        return new TenantOpened(tenant.tenantCode(), app.tenantAppCode(), tenant.status().name(),
            app.processInstanceId(), "/openapi/v1/tenants/" + tenant.tenantCode(), created);
    }

    private void appFields(InvalidFields invalid, AddApp request) {
        code(invalid, "tenantAppCode", request.tenantAppCode());
        text(invalid, "appCode", request.appCode(), true, 50);
        text(invalid, "envCode", request.envCode(), true, 50);
        JsonNode ext = request.extJson();
        if (ext != null && !ext.isNull()) {
            if (!ext.isObject()) {
                invalid.add("extJson", "tenant.field.extJson.object");
            } else if (ext.toString().length() > MAX_EXT_JSON) {
                invalid.add("extJson", "tenant.field.extJson.size", MAX_EXT_JSON);
            }
        }
        if (request.templateId() != null && request.templateId() <= 0) {
            invalid.add("templateId", "tenant.field.templateId");
        }
    }

    /** What needs the database or the platform: the app and environment exist here, the template in the library. */
    private void existing(InvalidFields invalid, String workspace, AddApp request) {
        if (!environments.appExists(workspace, request.appCode())) {
            invalid.add("appCode", "tenant.field.appCode.unknown", request.appCode());
        } else if (environments.environment(workspace, request.appCode(), request.envCode()).isEmpty()) {
            invalid.add("envCode", "tenant.field.envCode.unknown", request.envCode(), request.appCode());
        }
        if (request.templateId() != null && request.templateId() > 0 && invalid.fields().isEmpty()) {
            try {
                if (!releases.templateExists(request.templateId())) {
                    invalid.add("templateId", "tenant.field.templateId.unknown", request.templateId());
                }
            } catch (PlatformException | IllegalStateException unreachable) {
                // The library cannot be asked now: the release will tell, and an operator can act on it.
            }
        }
    }

    private String notifyUrl(InvalidFields invalid, String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        if (url.length() > 500) {
            invalid.add("notifyUrl", "tenant.field.notifyUrl.size", 500);
            return null;
        }
        try {
            return webhookTargets.requireAllowed(url.trim(), true).toString();
        } catch (MiniflowException e) {
            invalid.add("notifyUrl", e.messageKey(), e.args());
            return null;
        }
    }

    private static void code(InvalidFields invalid, String field, String value) {
        if (value == null || value.isBlank()) {
            invalid.add(field, "tenant.field.required");
        } else if (!CODE.matcher(value).matches()) {
            invalid.add(field, "tenant.field.code");
        }
    }

    private static void text(InvalidFields invalid, String field, String value, boolean required, int max) {
        if (value == null || value.isBlank()) {
            if (required) {
                invalid.add(field, "tenant.field.required");
            }
        } else if (value.trim().length() > max) {
            invalid.add(field, "tenant.field.size", max);
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            invalid.add(field, "tenant.field.control");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** SHA-256 of the request as JSON with its keys sorted: the same request, however it was written, hashes alike. */
    private String hash(Object request) {
        try {
            Map<?, ?> tree = canonical.convertValue(request, Map.class);
            byte[] bytes = canonical.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
