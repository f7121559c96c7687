package io.miniflow.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.miniflow.release.MiniProgramCodePort.AuditQuota;

/** First step of a batch: asks the platform how many audits are left this month, and flags a batch bigger than that. */
@Component("checkAuditQuota")
class CheckAuditQuota implements JavaDelegate {

    private final ReleaseBatchRepository batches;
    private final MiniProgramCodePort platform;

    CheckAuditQuota(ReleaseBatchRepository batches, MiniProgramCodePort platform) {
        this.batches = batches;
        this.platform = platform;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long batchId = ((Number) execution.getVariable(BatchVariables.BATCH_ID)).longValue();
        long items = batches.itemCount(batchId);
        AuditQuota quota = platform.auditQuota(batches.appIds(batchId, 0, 1).get(0));
        execution.setVariable(BatchVariables.QUOTA_REMAINING, quota.remaining());
        execution.setVariable(BatchVariables.QUOTA_SHORT, quota.remaining() < items);
    }
}
