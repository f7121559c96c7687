package io.miniflow.wechat;

import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.miniflow.release.ReleaseVariables;

/**
 * Hands WeChat's audit pushes to the wechat-mp-release instance of that mini program (its business key is the
 * appid, an indexed lookup even with thousands of releases running): a result (success or failure)
 * is correlated as the message the process waits for; a delay is recorded on the instance. A push nobody waits for
 * (the poll got there first, or a replay) changes nothing, and a failed correlation is left to the poll fallback.
 */
@Component
class AuditResultCorrelator {

    private static final Logger log = LoggerFactory.getLogger(AuditResultCorrelator.class);

    private final RuntimeService runtimeService;

    AuditResultCorrelator(RuntimeService runtimeService) {
        this.runtimeService = runtimeService;
    }

    @EventListener
    void onAuditResult(AuditResultReceived result) {
        try {
            if ("DELAY".equals(result.status())) {
                for (ProcessInstance pi : runtimeService.createProcessInstanceQuery()
                        .processDefinitionKey(ReleaseVariables.PROCESS_KEY)
                        .processInstanceBusinessKey(result.appId()).active().list()) {
                    runtimeService.setVariables(pi.getId(), Map.of(ReleaseVariables.AUDIT_DELAYED.name(), true,
                        ReleaseVariables.AUDIT_REASON.name(), result.reason() == null ? "" : result.reason()));
                }
                return;
            }
            String status = "SUCCESS".equals(result.status()) ? "PASSED" : "REJECTED";
            var correlation = runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_AUDIT_RESULT)
                .processInstanceBusinessKey(result.appId())
                .setVariable(ReleaseVariables.AUDIT_STATUS.name(), status);
            if ("REJECTED".equals(status)) {
                // Only a rejection has a reason and screenshots to show; a pass carries none (as the poll does).
                correlation.setVariable(ReleaseVariables.AUDIT_REASON.name(), result.reason())
                    .setVariable(ReleaseVariables.AUDIT_SCREENSHOTS.name(), String.join("|", result.screenshots()));
            }
            var correlated = correlation.correlateAllWithResult();
            log.debug("audit result {} of {} reached {} waiting release(s)", status, result.appId(), correlated.size());
        } catch (RuntimeException e) {
            log.warn("audit result of {} not handed over now ({}); the release's poll will pick it up",
                result.appId(), e.getMessage());
        }
    }
}
