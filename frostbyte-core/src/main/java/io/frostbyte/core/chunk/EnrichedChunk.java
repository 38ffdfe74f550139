package io.frostbyte.core.chunk;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The enriched chunk of spec/03 §3.6 as stored in the tenant database: the chunk (final text, offsets, structure), the
 * policy results, when its document was received, where it came from and where it is in the pipeline.
 *
 * @param ingestedAt the receipt's commit time (used by the date filter)
 */
public record EnrichedChunk(
        Chunk chunk, ChunkMetadata metadata, Instant ingestedAt, ChunkLineage lineage, ChunkStatus status) {
    public EnrichedChunk {
        requireNonNull(chunk, "chunk is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(ingestedAt, "ingested at is null");
        requireNonNull(lineage, "lineage is null");
        requireNonNull(status, "status is null");
        if (metadata.injectionActionTaken().equals("quarantine") && status == ChunkStatus.PENDING_EMBED) {
            throw new IllegalArgumentException("quarantined chunk " + chunk.chunkId() + " can never await embedding");
        }
    }
}
