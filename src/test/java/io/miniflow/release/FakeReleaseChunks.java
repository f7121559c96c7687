package io.miniflow.release;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Stands in for the {@code releaseChunks} bean in process tests: the chunks of one batch and the mini programs of
 * each, as the models' expressions ask for them. Public, as the expression language calls its methods by reflection.
 */
public class FakeReleaseChunks {

    private final List<List<String>> chunks;

    public FakeReleaseChunks(List<List<String>> chunks) {
        this.chunks = chunks;
    }

    /** {@code ${releaseChunks.chunksOf(releaseBatchId)}} in wechat-template-release. */
    public List<Integer> chunksOf(Number batchId) {
        return IntStream.range(0, chunks.size()).boxed().toList();
    }

    /** {@code ${releaseChunks.appIdsOfChunk(releaseBatchId, chunkIndex)}} in wechat-release-chunk. */
    public List<String> appIdsOfChunk(Number batchId, Number chunkIndex) {
        return chunks.get(chunkIndex.intValue());
    }
}
