package io.frostbyte.core.chunk;

import static java.util.Objects.requireNonNull;

/**
 * An enriched chunk's {@code lineage} (spec/03 §3.6): what produced it, so that a rerun with the same versions and
 * configuration is recognised (POL-3).
 */
public record ChunkLineage(
        String rawSha256,
        String parserVersion,
        String chunkerVersion,
        ChunkingParameters chunkerParams,
        String policyVersion,
        long configVersion) {
    public ChunkLineage {
        requireNonNull(rawSha256, "raw_sha256 is null");
        if (!rawSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("raw_sha256 must be 64 lower-case hex digits: " + rawSha256);
        }
        requireNonNull(parserVersion, "parser version is null");
        requireNonNull(chunkerVersion, "chunker version is null");
        requireNonNull(chunkerParams, "chunker params is null");
        requireNonNull(policyVersion, "policy version is null");
        if (configVersion < 1) {
            throw new IllegalArgumentException("config_version must be >= 1: " + configVersion);
        }
    }
}
