package io.miniflow.tenant;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The steps' shared hand on tenant apps (bean {@code tenantApps}): each stage change, and the tenant's status that
 * follows from its apps. A failure is recorded with its reason before the BPMN error is thrown, so it stays.
 * Public because the model calls a method on it (the engine invokes only public classes' methods).
 */
@Component("tenantApps")
public class TenantApps {

    private final TenantRepository repository;
    private final Clock clock;
    /** Null in process tests that build this by hand: no event is announced there. */
    private final Events events;

    @Autowired
    TenantApps(TenantRepository repository, Clock clock, Events events) {
        this.repository = repository;
        this.clock = clock;
        this.events = events;
    }

    TenantApps(TenantRepository repository, Clock clock) {
        this(repository, clock, null);
    }

    /** The tenant app of this instance; it exists as long as the instance does. */
    TenantApp of(DelegateExecution execution) {
        long id = TenantVariables.TENANT_APP_ID.from(execution);
        return repository.findAppById(id).orElseThrow(() -> new IllegalStateException("tenant app " + id + " is gone"));
    }

    Tenant tenantOf(TenantApp app) {
        return repository.findTenantById(app.tenantId()).orElseThrow();
    }

    /** The gateway after the release: {@code ${tenantApps.hasNotifyUrl(execution)}}. */
    public boolean hasNotifyUrl(DelegateExecution execution) {
        return notifyUrl(of(execution)).isPresent();
    }

    Optional<String> notifyUrl(TenantApp app) {
        return Optional.ofNullable(tenantOf(app).notifyUrl()).filter(u -> !u.isBlank());
    }

    void stage(TenantApp app, TenantAppStage stage) {
        repository.setStage(app.id(), stage, null, null, clock.instant());
        refreshTenant(app.tenantId());
    }

    /** Records the failure and its reason (a tenant.error.* key with its arguments). */
    void fail(TenantApp app, String errorCode, List<String> args) {
        repository.setStage(app.id(), TenantAppStage.FAILED, errorCode, args, clock.instant());
        refreshTenant(app.tenantId());
    }

    /**
     * A step after binding failed: recorded, then the operator's task (retry this step, or close the tenant app).
     * {@code step} is where a retry goes back to (RELEASE, MIGRATION or LIVE).
     */
    BpmnError stepFailed(DelegateExecution execution, TenantApp app, String step, String errorCode,
                         List<String> args) {
        fail(app, errorCode, args);
        TenantVariables.FAILED_STEP.set(execution, step);
        return new BpmnError("STEP_FAILED", errorCode);
    }

    /**
     * A tenant is ACTIVE once one of its apps is live; FAILED when every app failed or closed; OPENING otherwise.
     * A closed tenant stays closed. Taken under the tenant's row lock, as its apps change at once.
     */
    void refreshTenant(long tenantId) {
        repository.lockTenant(tenantId);
        Tenant tenant = repository.findTenantById(tenantId).orElseThrow();
        if (tenant.status() == TenantStatus.CLOSED) {
            return;
        }
        List<TenantApp> apps = repository.appsOf(tenantId);
        TenantStatus status;
        String errorCode = null;
        if (apps.stream().anyMatch(a -> a.stage() == TenantAppStage.LIVE)) {
            status = TenantStatus.ACTIVE;
        } else if (!apps.isEmpty() && apps.stream()
                .allMatch(a -> a.stage() == TenantAppStage.FAILED || a.stage() == TenantAppStage.CLOSED)) {
            status = TenantStatus.FAILED;
            errorCode = apps.stream().filter(a -> a.errorCode() != null).map(TenantApp::errorCode).findFirst()
                .orElse(null);
        } else {
            status = TenantStatus.OPENING;
        }
        if (status != tenant.status() || !java.util.Objects.equals(errorCode, tenant.errorCode())) {
            repository.setTenantStatus(tenantId, status, errorCode, clock.instant());
            if (events != null && status != tenant.status()
                    && (status == TenantStatus.ACTIVE || status == TenantStatus.FAILED)) {
                events.publish(tenant.workspace(), status == TenantStatus.ACTIVE ? EventType.TENANT_LIVE
                    : EventType.TENANT_FAILED, tenant.tenantCode() + " " + tenant.name(), Events.data(
                    "tenantCode", tenant.tenantCode(), "name", tenant.name(), "errorCode", errorCode),
                    "/tenants/" + tenant.workspace() + "/" + tenant.tenantCode());
            }
        }
    }
}
