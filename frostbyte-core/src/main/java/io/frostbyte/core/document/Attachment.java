package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

/**
 * An attachment of a message, listed in {@code metadata.attachments} and never parsed (spec/02 §2.2 EML).
 *
 * @param filename as declared by the message, {@code ""} when it declares none
 * @param mimeType as declared by the message
 * @param sizeBytes decoded size
 */
public record Attachment(String filename, String mimeType, long sizeBytes) {
    public Attachment {
        requireNonNull(filename, "filename is null");
        requireNonNull(mimeType, "mime type is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("attachment size must be >= 0: " + sizeBytes);
        }
    }
}
