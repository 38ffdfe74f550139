package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The deployment settings that bound a tenant's configuration (spec/07 §7.8): tenants narrow these, never widen them.
 * Immutable.
 *
 * @param enabledTypes {@code intake.enabled_types}: the MIME types the deployment accepts, in configuration order; the
 *     default {@code mime_allowlist} and the set it must be a subset of
 * @param malwareStreamMaxMb {@code malware.stream_max_mb} (1–2047): caps {@code max_file_size_mb}
 * @param embeddingProfile the profile of the current index generation, shown read-only in a new tenant's config
 */
public record PlatformLimits(
        List<String> enabledTypes, int malwareStreamMaxMb, Optional<EmbeddingProfile> embeddingProfile) {
    /** The 7 default intake types (spec/01). */
    public static final List<String> DEFAULT_ENABLED_TYPES = List.of(
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "text/plain",
            "text/csv",
            "image/png",
            "image/tiff");

    public PlatformLimits {
        enabledTypes = List.copyOf(requireNonNull(enabledTypes, "enabledTypes is null"));
        if (enabledTypes.isEmpty()) {
            throw new IllegalArgumentException("enabledTypes must not be empty");
        }
        if (enabledTypes.stream().distinct().count() != enabledTypes.size()) {
            throw new IllegalArgumentException("enabledTypes has duplicates");
        }
        if (malwareStreamMaxMb < 1 || malwareStreamMaxMb > 2047) {
            throw new IllegalArgumentException("malwareStreamMaxMb must be 1..2047: " + malwareStreamMaxMb);
        }
        requireNonNull(embeddingProfile, "embeddingProfile is null");
    }

    /** The defaults of spec/09: the 7 types, 1024 MB, no embedding profile yet. */
    public static PlatformLimits defaults() {
        return new PlatformLimits(DEFAULT_ENABLED_TYPES, 1024, Optional.empty());
    }

    /** The embedding profile of an index generation: model, version and vector dimensions (spec/04). */
    public record EmbeddingProfile(String embedModel, String embedVersion, int dimensions) {
        public EmbeddingProfile {
            requireNonNull(embedModel, "embedModel is null");
            requireNonNull(embedVersion, "embedVersion is null");
            if (dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be >= 1: " + dimensions);
            }
        }
    }
}
