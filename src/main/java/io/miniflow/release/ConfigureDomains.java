package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.REQUEST_DOMAINS;
import static io.miniflow.release.ReleaseVariables.WEBVIEW_DOMAINS;

import java.util.List;

import io.miniflow.release.MiniProgramCodePort.DomainSettings;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_ConfigureDomains: server domains, then webview domains. */
@Component("configureDomains")
class ConfigureDomains implements JavaDelegate {

    private final MiniProgramRelease release;

    ConfigureDomains(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        release.configureDomains(APP_ID.from(e), new DomainSettings(REQUEST_DOMAINS.optional(e).orElse(List.of()),
            WEBVIEW_DOMAINS.optional(e).orElse(List.of())));
    }
}
