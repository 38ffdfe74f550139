package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

/**
 * What an export wrote.
 *
 * @param manifestJson the manifest exactly as written into the archive
 * @param archiveSha256 hex sha256 of the archive bytes written (for AUDIT_EXPORTED {@code file_sha256})
 * @param firstSeq 0 when no event matched
 * @param lastSeq 0 when no event matched
 */
public record AuditExportResult(
        String manifestJson, String archiveSha256, long archiveBytes, long eventCount, long firstSeq, long lastSeq) {
    public AuditExportResult {
        requireNonNull(manifestJson, "manifestJson is null");
        requireNonNull(archiveSha256, "archiveSha256 is null");
    }
}
