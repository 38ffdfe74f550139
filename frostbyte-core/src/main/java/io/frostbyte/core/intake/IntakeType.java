package io.frostbyte.core.intake;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The file types intake can accept (spec/01 §1.4): the seven of the default allowlist and the four a deployment may add
 * through {@code intake.enabled_types}. Each knows its MIME type, the extensions that belong to it (INT-6) and the
 * declared MIME types it accepts as consistent with itself.
 */
public enum IntakeType {
    PDF("application/pdf", Set.of("pdf"), Set.of("application/x-pdf")),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Set.of("docx"), Set.of()),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Set.of("xlsx"), Set.of()),
    TXT("text/plain", Set.of("txt", "text"), Set.of()),
    CSV("text/csv", Set.of("csv"), Set.of("text/plain", "application/csv", "application/vnd.ms-excel")),
    PNG("image/png", Set.of("png"), Set.of()),
    TIFF("image/tiff", Set.of("tif", "tiff"), Set.of("image/tif")),
    PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation", Set.of("pptx"), Set.of()),
    HTML("text/html", Set.of("html", "htm"), Set.of()),
    MARKDOWN("text/markdown", Set.of("md", "markdown"), Set.of("text/x-markdown", "text/plain")),
    EML("message/rfc822", Set.of("eml"), Set.of());

    /** The declared type that makes no claim and is consistent with every allowed type. */
    public static final String NO_CLAIM = "application/octet-stream";

    private final String mimeType;
    private final Set<String> extensions;
    private final Set<String> equivalents;

    IntakeType(String mimeType, Set<String> extensions, Set<String> equivalents) {
        this.mimeType = mimeType;
        this.extensions = extensions;
        this.equivalents = equivalents;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The type whose MIME type is {@code mimeType} exactly, if any. */
    public static Optional<IntakeType> ofMimeType(String mimeType) {
        return Arrays.stream(values())
                .filter(type -> type.mimeType.equals(mimeType))
                .findFirst();
    }

    /** Every type's MIME type, in declaration order. */
    public static List<String> mimeTypes() {
        return Arrays.stream(values()).map(IntakeType::mimeType).toList();
    }

    /**
     * Whether a file declared as {@code declared} is consistent with this sniffed type: the type itself, one of its
     * equivalents (spec/01 §1.4) or {@link #NO_CLAIM}. Parameters such as {@code ; charset=utf-8} and letter case are
     * ignored.
     */
    public boolean acceptsDeclared(String declared) {
        String bare = bare(declared);
        if (bare.equals(mimeType) || bare.equals(NO_CLAIM)) {
            return true;
        }
        if (this == CSV && bare.equals("application/vnd.ms-excel")) {
            return true; // only reached for a sniffed CSV, whose extension is checked separately
        }
        return equivalents.contains(bare);
    }

    /** Whether {@code extension} (lower case, without the dot) belongs to this type (INT-6). */
    public boolean hasExtension(String extension) {
        return extensions.contains(extension.toLowerCase(Locale.ROOT));
    }

    /** The last extension of a basename, lower case without the dot, or {@code ""}: {@code report.pdf.exe} → exe. */
    public static String extensionOf(String basename) {
        int dot = basename.lastIndexOf('.');
        if (dot < 0 || dot == basename.length() - 1) {
            return "";
        }
        return basename.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String bare(String mime) {
        int semicolon = mime.indexOf(';');
        String type = semicolon < 0 ? mime : mime.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT);
    }
}
