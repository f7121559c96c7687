package io.miniflow.tenant;

import java.time.Clock;

import io.miniflow.wechat.WechatAuthorizations;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Closes a tenant app, whichever way it is asked (the operator's choice, a close request while opening, or after):
 * the mini program is unbound, so it may serve another tenant app later, the link stops working, and the stage is
 * CLOSED. Nothing is called at WeChat: a third-party platform cannot withdraw a merchant's authorization; the
 * merchant does that in their own console. Running it twice changes nothing more.
 */
@Component("closeTenantApp")
class CloseTenantApp implements JavaDelegate {

    private final TenantApps apps;
    private final TenantRepository repository;
    private final WechatAuthorizations wechat;
    private final Clock clock;

    CloseTenantApp(TenantApps apps, TenantRepository repository, WechatAuthorizations wechat, Clock clock) {
        this.apps = apps;
        this.repository = repository;
        this.wechat = wechat;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TenantApp app = apps.of(execution);
        boolean holdsBinding = app.miniProgramAppId() != null
            && repository.boundTo(app.miniProgramAppId()).map(id -> id == app.id()).orElse(false);
        if (holdsBinding) {
            repository.unbind(app.miniProgramAppId(), app.id());
            wechat.bindBusiness(app.miniProgramAppId(), null);
        }
        repository.setLink(app.id(), null, null, clock.instant());
        apps.stage(app, TenantAppStage.CLOSED);
    }
}
