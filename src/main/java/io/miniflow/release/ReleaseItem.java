package io.miniflow.release;

import java.time.Instant;

/** One mini program of a batch: its stage, its last error, and its wechat-mp-release instance. */
public record ReleaseItem(long id, long batchId, String appId, ItemStage stage, String lastError,
                         String processInstanceId, Instant updatedAt) {
}
