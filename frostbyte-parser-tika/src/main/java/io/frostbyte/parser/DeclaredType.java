package io.frostbyte.parser;

import io.frostbyte.core.intake.IntakeType;
import io.frostbyte.core.intake.MimeSniffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.tika.mime.MediaType;

/**
 * The declared type when the file's own signature confirms it, so the parser need not run Tika's whole magic registry
 * (which evaluates every pattern of ~1,500 types) on a type intake already sniffed and verified (spec/01 §1.4). The
 * answer is the one Tika's detector gives for such files: a PDF is a file that starts with {@code %PDF-} (after an
 * optional UTF-8 byte order mark, Tika's highest-priority PDF magic); a DOCX, XLSX or PPTX is a ZIP whose
 * {@code [Content_Types].xml}, among its first {@value #MAX_LEADING_ENTRIES} entries as Office writes it, names that
 * main part and no macro-enabled one. Anything else, text types included, is left to Tika. Stateless.
 */
final class DeclaredType {
    static final int MAX_LEADING_ENTRIES = 4;
    private static final int MAX_CONTENT_TYPES_BYTES = 1024 * 1024;
    private static final byte[] PDF = "%PDF-".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private DeclaredType() {}

    /** The declared type's base when the bytes confirm it; empty when detection must decide. */
    static Optional<MediaType> confirmed(byte[] bytes, String declaredMimeType) {
        if (declaredMimeType == null) {
            return Optional.empty();
        }
        Optional<IntakeType> declared = IntakeType.ofMimeType(declaredMimeType
                .strip()
                .toLowerCase(Locale.ROOT)
                .split(";", 2)[0]
                .strip());
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        boolean confirmed = switch (declared.get()) {
            case PDF -> startsWith(bytes, 0, PDF) || (startsWith(bytes, 0, UTF8_BOM) && startsWith(bytes, 3, PDF));
            case DOCX, XLSX, PPTX -> ooxmlMainPart(bytes).equals(declared);
            default -> false;
        };
        return confirmed ? Optional.of(MediaType.parse(declared.get().mimeType())) : Optional.empty();
    }

    private static Optional<IntakeType> ooxmlMainPart(byte[] bytes) {
        if (!ZipExpansionGuard.isZip(bytes)) {
            return Optional.empty();
        }
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            for (int entries = 0; entries < MAX_LEADING_ENTRIES; entries++) {
                ZipEntry entry = zip.getNextEntry();
                if (entry == null) {
                    return Optional.empty();
                }
                if (entry.getName().equals("[Content_Types].xml")) {
                    byte[] part = zip.readNBytes(MAX_CONTENT_TYPES_BYTES + 1);
                    return part.length > MAX_CONTENT_TYPES_BYTES
                            ? Optional.empty()
                            : MimeSniffer.ooxmlMainPart(new String(part, StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // a broken container: detection and the parsers report it
        }
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        if (bytes.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
