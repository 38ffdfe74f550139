package io.frostbyte.server.cli.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.intake.IntakeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's intake limits as {@code GET /api/v1/ingest/{tenant_id}/limits} reports them (spec/08 §8.3), and the local
 * check of a file against them in the order of spec/01 §1.2 check 15 and §1.3 step 3.
 *
 * @param maxBatchSize files per batch
 * @param maxFileSizeMb bytes per file, in MiB
 * @param maxRequestGb bytes per request, in GiB
 * @param mimeAllowlist the MIME types this tenant accepts on this deployment
 */
public record IntakeLimits(int maxBatchSize, int maxFileSizeMb, int maxRequestGb, List<String> mimeAllowlist) {
    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024L * MIB;

    public IntakeLimits {
        if (maxBatchSize < 1 || maxFileSizeMb < 1 || maxRequestGb < 1) {
            throw new IllegalArgumentException(
                    "limits must be positive: " + maxBatchSize + ", " + maxFileSizeMb + ", " + maxRequestGb);
        }
        mimeAllowlist = List.copyOf(mimeAllowlist);
    }

    /** Reads the {@code data} of the limits answer. */
    public static IntakeLimits fromJson(JsonNode data) {
        List<String> allowlist = new ArrayList<>();
        data.path("mime_allowlist").forEach(type -> allowlist.add(type.asText()));
        try {
            return new IntakeLimits(
                    data.path("max_batch_size").asInt(0),
                    data.path("max_file_size_mb").asInt(0),
                    data.path("max_request_gb").asInt(0),
                    allowlist);
        } catch (IllegalArgumentException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "The server sent unusable intake limits.", e);
        }
    }

    public long maxFileBytes() {
        return maxFileSizeMb * MIB;
    }

    public long maxRequestBytes() {
        return maxRequestGb * GIB;
    }

    /**
     * Why intake would reject a file of this size, sniffed type and name, or empty. The declared type is always the
     * sniffed one, so it cannot disagree with the content.
     */
    public Optional<LocalFile.Problem> problem(
            long sizeBytes, Optional<IntakeType> type, String sniffedMime, String filename) {
        if (sizeBytes > maxFileBytes() || sizeBytes > maxRequestBytes()) {
            return Optional.of(new LocalFile.Problem(
                    ErrorCode.PAYLOAD_TOO_LARGE.name(),
                    "The file has " + sizeBytes + " bytes; this tenant accepts at most " + maxFileSizeMb
                            + " MB per file.",
                    false));
        }
        if (type.isEmpty()) {
            return Optional.of(new LocalFile.Problem(
                    ErrorCode.UNSUPPORTED_FORMAT.name(),
                    sniffedMime.equals("application/x-empty")
                            ? "The file is empty."
                            : "The file's content is not an accepted format (" + sniffedMime + ").",
                    true));
        }
        if (!mimeAllowlist.contains(type.get().mimeType())) {
            return Optional.of(new LocalFile.Problem(
                    ErrorCode.UNSUPPORTED_FORMAT.name(),
                    "This tenant does not accept " + type.get().mimeType() + ".",
                    true));
        }
        if (!type.get().hasExtension(IntakeType.extensionOf(filename))) {
            return Optional.of(new LocalFile.Problem(
                    ErrorCode.UNSUPPORTED_FORMAT.name(),
                    "The file name's extension does not belong to its content ("
                            + type.get().mimeType() + ").",
                    true));
        }
        return Optional.empty();
    }
}
