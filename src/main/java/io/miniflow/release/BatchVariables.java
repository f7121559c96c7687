package io.miniflow.release;

import static io.miniflow.shared.ProcessVariable.count;
import static io.miniflow.shared.ProcessVariable.flag;
import static io.miniflow.shared.ProcessVariable.id;
import static io.miniflow.shared.ProcessVariable.text;

import io.miniflow.shared.ProcessVariable;

/**
 * The variables of wechat-template-release and wechat-mp-rollback, declared once with their types, and what a batch
 * passes to each wechat-mp-release (the rest of it is in {@link ReleaseVariables}).
 */
public final class BatchVariables {

    public static final String PROCESS_KEY = "wechat-template-release";
    public static final String ROLLBACK_PROCESS_KEY = "wechat-mp-rollback";
    /** Sent to the batch by the release dispatcher once every mini program's release ended. */
    public static final String ALL_ENDED_MESSAGE = "wechat-release-batch-done";

    /** How the batch ends (a {@link BatchStatus} name), the input of its closing steps. */
    public static final ProcessVariable<String> CLOSE_AS = text("closeAs");

    public static final ProcessVariable<Long> BATCH_ID = id("releaseBatchId");
    /** The batch item a wechat-mp-release (or wechat-mp-rollback) reports to. */
    public static final ProcessVariable<Long> ITEM_ID = id("releaseItemId");
    public static final ProcessVariable<Boolean> QUOTA_SHORT = flag("quotaShort");
    public static final ProcessVariable<Integer> QUOTA_REMAINING = count("quotaRemaining");
    /** Task_ConfirmOverQuota's field: CONTINUE or not. */
    public static final ProcessVariable<String> QUOTA_DECISION = text("quotaDecision");

    private BatchVariables() {
    }
}
