package io.frostbyte.core.intake;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What {@link MimeSniffer} made of a file's bytes.
 *
 * @param type the allowed type the bytes are, or empty when they are none of them (executables, archives, OLE2,
 *     macro-enabled OOXML, binary data, empty files)
 * @param mimeType the sniffed MIME type for receipts and reports: the type's own, or a descriptive one such as {@code
 *     application/x-msdownload}
 */
public record Sniffed(Optional<IntakeType> type, String mimeType) {
    public Sniffed {
        requireNonNull(type, "type is null");
        requireNonNull(mimeType, "mimeType is null");
    }

    static Sniffed of(IntakeType type) {
        return new Sniffed(Optional.of(type), type.mimeType());
    }

    static Sniffed other(String mimeType) {
        return new Sniffed(Optional.empty(), mimeType);
    }
}
