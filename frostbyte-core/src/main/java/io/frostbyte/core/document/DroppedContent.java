package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Set;

/**
 * Content that is not text, aggregated by {@code (elementType, page, reason)} (spec/02 §2.5).
 *
 * @param elementType what was dropped: {@code image}, {@code text}, {@code table_cell}, {@code embedded_document}, ...
 * @param page 1-based page, 0 when the content has no page
 * @param reason one of {@link #REASONS}
 * @param count at least 1
 */
public record DroppedContent(String elementType, int page, String reason, long count) {
    public static final Set<String> REASONS = Set.of(
            "image_without_text",
            "chart",
            "embedded_object",
            "comment",
            "script",
            "attachment",
            "unsupported_element",
            "ocr_failed_page",
            "limit_exceeded");

    static final Comparator<DroppedContent> ORDER = Comparator.comparing(DroppedContent::elementType)
            .thenComparingInt(DroppedContent::page)
            .thenComparing(DroppedContent::reason);

    public DroppedContent {
        requireNonNull(elementType, "element type is null");
        requireNonNull(reason, "reason is null");
        if (!REASONS.contains(reason)) {
            throw new IllegalArgumentException("unknown dropped-content reason: " + reason);
        }
        if (page < 0 || count < 1) {
            throw new IllegalArgumentException("invalid dropped content: page " + page + ", count " + count);
        }
    }
}
