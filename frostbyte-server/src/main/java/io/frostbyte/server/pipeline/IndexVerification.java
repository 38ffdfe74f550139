package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.postgres.ChunkRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step 4 of the three-store write (spec/04 §4.4): compares what the index holds for a document with the chunk rows
 * read back from the tenant database and the points that were written. Pure; the index stage rolls back on any
 * mismatch (EMB-5).
 */
final class IndexVerification {
    /** One disagreement between the stores, by chunk id and kind; no content. */
    record Mismatch(String chunkId, String kind) {
        Mismatch {
            requireNonNull(chunkId, "chunkId is null");
            requireNonNull(kind, "kind is null");
        }
    }

    /** What verification needs of a chunk row read back from the tenant database. */
    record RowState(String chunkId, boolean quarantined, Optional<String> vectorSha256, Optional<float[]> vector) {
        RowState {
            requireNonNull(chunkId, "chunkId is null");
            requireNonNull(vectorSha256, "vectorSha256 is null");
            requireNonNull(vector, "vector is null");
        }

        static RowState of(ChunkRow row) {
            return new RowState(row.chunkId(), row.quarantined(), row.vectorSha256(), row.vector());
        }
    }

    private IndexVerification() {}

    /**
     * @param written the points the stage wrote, one per embedded chunk that is not quarantined
     * @param rows the document's chunk rows as read back after the write
     * @param stored the points read back from the index for the written chunk ids
     * @return every disagreement, empty when the three agree
     */
    static List<Mismatch> check(List<IndexPoint> written, List<RowState> rows, List<StoredPoint> stored) {
        requireNonNull(written, "written is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(stored, "stored is null");
        Map<String, RowState> rowById = new HashMap<>();
        for (RowState row : rows) {
            rowById.put(row.chunkId(), row);
        }
        Map<String, StoredPoint> pointById = new HashMap<>();
        for (StoredPoint point : stored) {
            pointById.put(point.chunkId(), point);
        }
        List<Mismatch> mismatches = new ArrayList<>();
        for (IndexPoint point : written) {
            String id = point.chunkId();
            String expected = Vectors.sha256Hex(point.vector());
            RowState row = rowById.get(id);
            if (row == null) {
                mismatches.add(new Mismatch(id, "row_missing"));
            } else {
                if (row.quarantined()) {
                    mismatches.add(new Mismatch(id, "row_quarantined"));
                }
                Optional<String> rowSha = row.vectorSha256();
                if (rowSha.isEmpty() || !rowSha.get().equals(expected)) {
                    mismatches.add(new Mismatch(id, "row_vector_sha256"));
                }
                if (row.vector().isEmpty()
                        || !Vectors.sha256Hex(row.vector().get()).equals(expected)) {
                    mismatches.add(new Mismatch(id, "row_vector"));
                }
            }
            StoredPoint indexed = pointById.get(id);
            if (indexed == null) {
                mismatches.add(new Mismatch(id, "point_missing"));
                continue;
            }
            if (!indexed.vectorSha256().equals(expected)) {
                mismatches.add(new Mismatch(id, "point_vector_sha256"));
            }
            if (!indexed.equals(StoredPoint.of(point))) {
                mismatches.add(new Mismatch(id, "point_payload"));
            }
        }
        if (stored.size() != written.size()) {
            mismatches.add(new Mismatch("*", "point_count"));
        }
        return List.copyOf(mismatches);
    }
}
