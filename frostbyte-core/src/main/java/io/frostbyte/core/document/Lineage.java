package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

/**
 * Where a canonical document came from (spec/02 §2.3 {@code lineage}); with the same values the document is
 * byte-identical (PAR-2).
 *
 * @param parseConfigSha256 sha256 of the canonical JSON of the effective {@code parse.*} settings
 * @param engineVersion the underlying engine, e.g. {@code 3.3.1} for Tika
 * @param ocrEngine the OCR engine and version that recognized any page, e.g. {@code tesseract 5.3.0}; null without OCR
 */
public record Lineage(
        String rawSha256,
        String parser,
        String parserVersion,
        String parseConfigSha256,
        String engineVersion,
        String canonicalTextSha256,
        String ocrEngine) {
    public Lineage {
        DocId.requireSha256(rawSha256, "raw_sha256");
        requireNonNull(parser, "parser is null");
        requireNonNull(parserVersion, "parser version is null");
        DocId.requireSha256(parseConfigSha256, "parse_config_sha256");
        requireNonNull(engineVersion, "engine version is null");
        DocId.requireSha256(canonicalTextSha256, "canonical_text_sha256");
    }

    /** Lineage of a parse without OCR. */
    public Lineage(
            String rawSha256,
            String parser,
            String parserVersion,
            String parseConfigSha256,
            String engineVersion,
            String canonicalTextSha256) {
        this(rawSha256, parser, parserVersion, parseConfigSha256, engineVersion, canonicalTextSha256, null);
    }
}
