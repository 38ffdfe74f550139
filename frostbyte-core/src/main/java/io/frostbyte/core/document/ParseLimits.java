package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Bounds for parsing one document (spec/02 §2.1, spec/09 §9.6 {@code parse.*}); none is unlimited. Content beyond the
 * pages, characters, table cells, embedded documents or nesting depth is dropped ({@code limit_exceeded}) and parsing
 * goes on; more bytes than {@code maxBytes} or a container part expanding more than {@code maxExpansionRatio} times is
 * {@code FILE_CORRUPTED}; running past {@code timeout} is {@code PARSE_TIMEOUT}.
 *
 * @param maxBytes the raw file's size cap; the default is {@code malware.stream_max_mb} (1024 MiB), which caps every
 *     tenant's {@code max_file_size_mb}
 */
public record ParseLimits(
        long maxBytes,
        int maxPages,
        long maxCharacters,
        int maxEmbeddedDocuments,
        int maxNestingDepth,
        long maxTableCells,
        Duration timeout,
        int maxExpansionRatio) {
    public ParseLimits {
        requireNonNull(timeout, "timeout is null");
        requirePositive(maxBytes, "max_bytes");
        requirePositive(maxPages, "max_pages");
        requirePositive(maxCharacters, "max_characters");
        requirePositive(maxEmbeddedDocuments, "max_embedded_documents");
        requirePositive(maxNestingDepth, "max_nesting_depth");
        requirePositive(maxTableCells, "max_table_cells");
        requirePositive(maxExpansionRatio, "max_expansion_ratio");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("parse.timeout must be positive: " + timeout);
        }
        if (maxCharacters > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parse.max_characters must fit an int offset: " + maxCharacters);
        }
    }

    public static ParseLimits defaults() {
        return new ParseLimits(1024L * 1024 * 1024, 2000, 20_000_000, 100, 32, 1_000_000, Duration.ofSeconds(300), 100);
    }

    public ParseLimits withTimeout(Duration newTimeout) {
        return new ParseLimits(
                maxBytes,
                maxPages,
                maxCharacters,
                maxEmbeddedDocuments,
                maxNestingDepth,
                maxTableCells,
                newTimeout,
                maxExpansionRatio);
    }

    public ParseLimits withMaxCharacters(long newMaxCharacters) {
        return new ParseLimits(
                maxBytes,
                maxPages,
                newMaxCharacters,
                maxEmbeddedDocuments,
                maxNestingDepth,
                maxTableCells,
                timeout,
                maxExpansionRatio);
    }

    /** The settings by their configuration keys, sorted: the input of {@code parse_config_sha256}. */
    public SortedMap<String, Long> settings() {
        SortedMap<String, Long> settings = new TreeMap<>();
        settings.put("parse.max_bytes", maxBytes);
        settings.put("parse.max_pages", (long) maxPages);
        settings.put("parse.max_characters", maxCharacters);
        settings.put("parse.max_embedded_documents", (long) maxEmbeddedDocuments);
        settings.put("parse.max_nesting_depth", (long) maxNestingDepth);
        settings.put("parse.max_table_cells", maxTableCells);
        settings.put("parse.timeout_seconds", timeout.toSeconds());
        settings.put("parse.max_expansion_ratio", (long) maxExpansionRatio);
        return java.util.Collections.unmodifiableSortedMap(settings);
    }

    private static void requirePositive(long value, String key) {
        if (value < 1) {
            throw new IllegalArgumentException("parse." + key + " must be >= 1 (no unlimited): " + value);
        }
    }
}
