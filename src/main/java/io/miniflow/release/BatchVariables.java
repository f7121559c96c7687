package io.miniflow.release;

/** Variable names of wechat-template-release and what it passes to each wechat-mp-release. */
public final class BatchVariables {

    public static final String PROCESS_KEY = "wechat-template-release";
    public static final String ROLLBACK_PROCESS_KEY = "wechat-mp-rollback";
    public static final String CHUNK_PROCESS_KEY = "wechat-release-chunk";
    /** Which chunk of the batch a wechat-release-chunk releases. */
    public static final String CHUNK_INDEX = "chunkIndex";
    /** How the batch ends, the input of its closing steps. */
    public static final String CLOSE_AS = "closeAs";
    public static final String SLOT_MESSAGE = "wechat-release-slot";

    public static final String BATCH_ID = "releaseBatchId";
    /** Local to each mini program's scope in the batch, and passed to its wechat-mp-release. */
    public static final String ITEM_ID = "releaseItemId";
    public static final String SLOT_GRANTED = "slotGranted";
    public static final String QUOTA_SHORT = "quotaShort";
    public static final String QUOTA_REMAINING = "quotaRemaining";
    public static final String QUOTA_DECISION = "quotaDecision";

    private BatchVariables() {
    }
}
