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
        long batchId = BatchVariables.BATCH_ID.from(execution);
        long items = batches.itemCount(batchId);
        AuditQuota quota = platform.auditQuota(batches.appIds(batchId, 0, 1).get(0));
        BatchVariables.QUOTA_REMAINING.set(execution, quota.remaining());
        BatchVariables.QUOTA_SHORT.set(execution, quota.remaining() < items);
    }
}
