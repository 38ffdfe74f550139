package io.frostbyte.server.intake;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A validated batch manifest (spec/01 §1.1), read by {@link ManifestReader}.
 *
 * @param sha256 the SHA-256 of the manifest part's bytes as received ({@code manifest_sha256})
 */
public record Manifest(
        String batchId,
        TenantId tenantId,
        int fileCount,
        Optional<Instant> submittedAt,
        Optional<String> submitter,
        List<Entry> files,
        String sha256) {
    public Manifest {
        requireNonNull(batchId, "batchId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(submittedAt, "submittedAt is null");
        requireNonNull(submitter, "submitter is null");
        files = List.copyOf(files);
        requireNonNull(sha256, "sha256 is null");
        if (fileCount != files.size()) {
            throw new IllegalArgumentException("file_count differs from the number of entries");
        }
    }

    /** Σ {@code size_bytes}. */
    public long totalBytes() {
        return files.stream().mapToLong(Entry::sizeBytes).sum();
    }

    /**
     * One manifest entry.
     *
     * @param filename the basename of the manifest's {@code filename} (no control characters; format characters such
     *     as U+202E kept)
     * @param sha256 64 lowercase hex digits (the manifest may use any case)
     */
    public record Entry(String fileId, String filename, String mimeType, long sizeBytes, String sha256) {
        public Entry {
            requireNonNull(fileId, "fileId is null");
            requireNonNull(filename, "filename is null");
            requireNonNull(mimeType, "mimeType is null");
            requireNonNull(sha256, "sha256 is null");
            if (sizeBytes < 0) {
                throw new IllegalArgumentException("sizeBytes is negative");
            }
        }
    }
}
