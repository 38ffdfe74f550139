package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

/**
 * A heading and the blocks up to the next heading of the same or a higher level (spec/02 §2.3 {@code sections}).
 *
 * @param sectionId {@code s001}, {@code s002}, ... in reading order
 * @param parentId the enclosing section, null at top level
 */
public record Section(
        String sectionId, String title, int level, String parentId, int page, int startChar, int endChar) {
    public Section {
        requireNonNull(sectionId, "section id is null");
        requireNonNull(title, "title is null");
        if (level < 1 || page < 1 || startChar < 0 || endChar < startChar) {
            throw new IllegalArgumentException("invalid section " + sectionId);
        }
    }
}
