package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Redacted text and the originals it replaced, in text order. {@link #toString()} names counts only: neither the text
 * nor the originals may reach a log.
 */
public record Redaction(String text, List<RedactedOriginal> originals) {
    public Redaction {
        requireNonNull(text, "text is null");
        originals = List.copyOf(requireNonNull(originals, "originals is null"));
    }

    @Override
    public String toString() {
        return "Redaction[" + text.length() + " chars, " + originals.size() + " originals]";
    }
}
