package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Replaces detected spans with {@code [REDACTED:TYPE]}. Pure and thread-safe. */
public final class PiiRedactor {
    private PiiRedactor() {}

    /**
     * @param spans non-overlapping code-point spans of {@code text}, as {@link PiiDetector#detect} returns them
     * @param types the tenant's enabled types; spans of other types are left in place
     * @throws IllegalArgumentException if a span lies outside the text or spans overlap
     */
    public static Redaction redact(String text, List<PiiSpan> spans, Set<PiiType> types) {
        requireNonNull(text, "text is null");
        requireNonNull(types, "types is null");
        List<PiiSpan> sorted = new ArrayList<>(requireNonNull(spans, "spans is null"));
        sorted.sort(PiiSpan.IN_TEXT_ORDER);
        StringBuilder out = new StringBuilder(text.length());
        List<RedactedOriginal> originals = new ArrayList<>();
        int utf16 = 0;
        int codePoint = 0;
        int previousEnd = 0;
        for (PiiSpan span : sorted) {
            if (span.start() < previousEnd) {
                throw new IllegalArgumentException("spans overlap at code point " + span.start());
            }
            previousEnd = span.end();
            if (!types.contains(span.type())) {
                continue;
            }
            int start = advance(text, utf16, span.start() - codePoint);
            int end = advance(text, start, span.end() - span.start());
            out.append(text, utf16, start)
                    .append("[REDACTED:")
                    .append(span.type().name())
                    .append(']');
            originals.add(new RedactedOriginal(span.type(), span.start(), span.end(), text.substring(start, end)));
            utf16 = end;
            codePoint = span.end();
        }
        out.append(text, utf16, text.length());
        return new Redaction(out.toString(), originals);
    }

    private static int advance(String text, int from, int codePoints) {
        try {
            return text.offsetByCodePoints(from, codePoints);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("span ends beyond the text", e);
        }
    }
}
