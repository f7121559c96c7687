package io.miniflow.release;

import java.util.List;
import java.util.stream.IntStream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The collections of a batch's multi-instances, for the process: its chunks ({@code ${releaseChunks.chunksOf(...)}}
 * in wechat-template-release) and the mini programs of one chunk (in wechat-release-chunk), of
 * {@code miniflow.release.chunk-size} each.
 */
@Component("releaseChunks")
public class ReleaseChunks {

    private final ReleaseBatchRepository batches;
    private final int chunkSize;

    ReleaseChunks(ReleaseBatchRepository batches, @Value("${miniflow.release.chunk-size:20}") int chunkSize) {
        this.batches = batches;
        this.chunkSize = Math.max(1, chunkSize);
    }

    /** The chunks of a batch: 0, 1, ... */
    public List<Integer> chunksOf(Number batchId) {
        long count = batches.itemCount(batchId.longValue());
        int chunks = (int) ((count + chunkSize - 1) / chunkSize);
        return IntStream.range(0, chunks).boxed().toList();
    }

    /** The mini programs of one chunk, in the order they were added to the batch. */
    public List<String> appIdsOfChunk(Number batchId, Number chunkIndex) {
        return batches.appIds(batchId.longValue(), chunkIndex.intValue() * chunkSize, chunkSize);
    }
}
