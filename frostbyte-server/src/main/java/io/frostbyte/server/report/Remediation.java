package io.frostbyte.server.report;

import java.util.Map;

/**
 * The remediation text and escalation path of every issue type of the acceptance report (spec/11 §11.2, PPL-1):
 * written for a non-engineer, never quoting document content. Templates use {@code {name}} placeholders.
 */
final class Remediation {
    private Remediation() {}

    record Entry(String severity, String template, String escalation) {}

    private static final String OUR_SIDE = "Processing failed on our side and our operations team has been alerted;"
            + " nothing needs to change in your file. If the status is still failed tomorrow, contact support with"
            + " receipt {receipt_id}.";

    static final Map<String, Entry> TYPES = Map.ofEntries(
            Map.entry(
                    "CHECKSUM_MISMATCH",
                    new Entry(
                            "error",
                            "Compute the SHA-256 of the exact file you upload (sha256sum or Get-FileHash -Algorithm"
                                    + " SHA256), make sure no tool changed line endings, and send the file again in a"
                                    + " new batch.",
                            "support")),
            Map.entry(
                    "UNSUPPORTED_FORMAT",
                    new Entry(
                            "error",
                            "Convert the file to PDF, DOCX, XLSX, TXT, CSV, PNG or TIFF, keep the extension and"
                                    + " declared type consistent, and send it again.",
                            "support")),
            Map.entry(
                    "MALWARE_DETECTED",
                    new Entry(
                            "error",
                            "Do not resend this file. Inform your IT security team. If you believe this is a false"
                                    + " alarm, contact Frostbyte support with receipt {receipt_id}.",
                            "vendor_it")),
            Map.entry(
                    "MALWARE_SCAN_SKIPPED",
                    new Entry(
                            "warning",
                            "This installation did not scan the file for malware. Do not use it for untrusted files"
                                    + " until scanning is configured.",
                            null)),
            Map.entry(
                    "FILE_CORRUPTED",
                    new Entry(
                            "error",
                            "Open the file in its original application, remove any password, save or export it again,"
                                    + " and resend it.",
                            "support")),
            Map.entry(
                    "FILE_ENCRYPTED",
                    new Entry(
                            "error",
                            "Open the file in its original application, remove any password, save or export it again,"
                                    + " and resend it.",
                            "support")),
            Map.entry(
                    "NO_TEXT_EXTRACTED",
                    new Entry(
                            "error",
                            "No readable text was found. Resend a digital original, or a scan of at least 300 dpi.",
                            "support")),
            Map.entry(
                    "LOW_OCR_CONFIDENCE",
                    new Entry(
                            "warning",
                            "Pages {pages} were hard to read, so search may miss text on them. Send a cleaner scan"
                                    + " (300 dpi, straight, good contrast) or the digital original.",
                            null)),
            Map.entry(
                    "CONTENT_DROPPED",
                    new Entry(
                            "warning",
                            "{count} {element_type} item(s) on page {page} could not be indexed ({reason}). If they"
                                    + " hold important information, send it as text (for tables: XLSX or CSV).",
                            null)),
            Map.entry(
                    "PII_REDACTED",
                    new Entry(
                            "info",
                            "{count} values of type {types} were masked as your policy requires. No action needed.",
                            null)),
            Map.entry(
                    "PII_BLOCK_POLICY",
                    new Entry(
                            "error",
                            "The document contains {types}, which your policy does not allow, so it was not indexed."
                                    + " Remove or mask these values and resend, or ask your administrator about the"
                                    + " policy.",
                            null)),
            Map.entry(
                    "INJECTION_HIGH_SCORE",
                    new Entry(
                            "warning",
                            "Parts of this document read like instructions to an AI system ({categories}) and were"
                                    + " kept out of search. If this text is legitimate (for example security"
                                    + " training), contact support to review it.",
                            "support")),
            Map.entry(
                    "CLASSIFICATION_REVIEW",
                    new Entry(
                            "info",
                            "The document type was not clear; a reviewer will confirm it. No action needed.",
                            null)),
            Map.entry(
                    "EMBED_TRUNCATED",
                    new Entry(
                            "info", "Some long passages were shortened for search indexing. No action needed.", null)),
            Map.entry(
                    "DEDUPLICATED",
                    new Entry(
                            "info",
                            "This file is identical to one you sent before (document {doc_id}); it was not processed"
                                    + " again.",
                            null)),
            Map.entry("OCR_FAILED", new Entry("error", OUR_SIDE, "support")),
            Map.entry("OCR_UNAVAILABLE", new Entry("error", OUR_SIDE, "support")),
            Map.entry("PARSER_ERROR", new Entry("error", OUR_SIDE, "support")),
            Map.entry("PARSE_TIMEOUT", new Entry("error", OUR_SIDE, "support")),
            Map.entry("POLICY_FAILED", new Entry("error", OUR_SIDE, "support")),
            Map.entry("EMBED_FAILED", new Entry("error", OUR_SIDE, "support")),
            Map.entry("INDEX_FAILED", new Entry("error", OUR_SIDE, "support")),
            Map.entry("DIMENSION_MISMATCH", new Entry("error", OUR_SIDE, "support")));

    /** The entry of {@code type}, or the on-our-side entry for a code this table does not name. */
    static Entry of(String type) {
        return TYPES.getOrDefault(type, new Entry("error", OUR_SIDE, "support"));
    }

    static String fill(String template, Map<String, ?> values) {
        String text = template;
        for (Map.Entry<String, ?> value : values.entrySet()) {
            text = text.replace("{" + value.getKey() + "}", String.valueOf(value.getValue()));
        }
        return text;
    }
}
