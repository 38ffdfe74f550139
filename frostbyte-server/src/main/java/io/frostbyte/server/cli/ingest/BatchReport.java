package io.frostbyte.server.cli.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report files of one batch: {@code frostbyte-report-<batch_id>.json} and {@code .md}. When the server serves the
 * acceptance report ({@code GET …/batch/{id}/report}, spec/11 §11.2) it is written as served; otherwise the JSON holds
 * the batch status, every file's signed receipt and each problem with its remediation, and the Markdown is a table a
 * non-engineer can read: file, status, stage, error code and what to do, with the remediation texts of spec/11.
 */
public final class BatchReport {
    private static final Set<String> PROBLEMS = Set.of("rejected", "quarantined", "failed");
    private static final String PROCESSING_FAILED =
            "Processing failed on our side and our operations team has been alerted; nothing needs to change in your"
                    + " file. If the status is still failed tomorrow, contact support with receipt {receipt_id}.";
    private static final Map<String, Remediation> REMEDIATIONS = remediations();

    private BatchReport() {}

    /**
     * What to do about a problem, for a non-engineer (spec/11 §11.2 and §11.3).
     *
     * @param severity {@code error}, {@code warning} or {@code info}
     * @param text the remediation, placeholders filled where the values are known
     * @param escalation the §11.4 path if the remediation does not help ({@code support}, {@code vendor_it}), or null
     */
    public record Remediation(String severity, String text, String escalation) {
        public Remediation {
            requireNonNull(severity, "severity is null");
            requireNonNull(text, "text is null");
        }

        Remediation filled(String receiptId, String docId) {
            return new Remediation(
                    severity,
                    text.replace("{receipt_id}", receiptId == null ? "(see the receipt list)" : receiptId)
                            .replace("{doc_id}", docId == null ? "(unknown)" : docId),
                    escalation);
        }
    }

    /** The remediation of an issue or error code; codes the table lacks get a generic one naming the receipt. */
    public static Remediation remediation(String code, String receiptId, String docId) {
        Remediation known = REMEDIATIONS.getOrDefault(
                code,
                new Remediation(
                        "error",
                        "Contact Frostbyte support with receipt {receipt_id} and the error code " + code + ".",
                        "support"));
        return known.filled(receiptId, docId);
    }

    /** The files written. */
    public record Written(Path json, Path markdown, boolean fromServerReport) {}

    /**
     * Writes both files for a batch into {@code reportDir}.
     *
     * @param status the batch's (terminal) status
     * @param notSent files of this run left out of every batch, listed in the Markdown
     */
    public static Written write(Path reportDir, IngestClient client, JsonNode status, List<LocalFile> notSent) {
        String batchId = status.path("batch_id").asText();
        Path json = reportDir.resolve("frostbyte-report-" + batchId + ".json");
        Path markdown = reportDir.resolve("frostbyte-report-" + batchId + ".md");
        Optional<IngestClient.Reply> served = client.report(batchId, "json");
        Optional<String> servedMarkdown = served.isPresent() ? client.reportText(batchId, "md") : Optional.empty();
        List<JsonNode> receipts = new ArrayList<>();
        if (served.isEmpty() || servedMarkdown.isEmpty()) {
            for (JsonNode file : status.path("files")) {
                client.receipt(file.path("receipt_id").asText()).ifPresent(receipts::add);
            }
        }
        try {
            Files.createDirectories(reportDir);
            JsonNode document = served.isPresent() ? served.get().data() : json(status, receipts, notSent);
            Files.write(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
            Files.writeString(
                    markdown,
                    servedMarkdown.orElseGet(() -> markdown(status, receipts, notSent)),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, "Cannot write the report into " + reportDir + ".", e);
        }
        return new Written(json, markdown, served.isPresent());
    }

    /** The report JSON built from the batch status and the receipts. */
    static ObjectNode json(JsonNode status, List<JsonNode> receipts, List<LocalFile> notSent) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("report_source", "batch_status");
        root.put("generated_at", Json.timestamp(Instant.now()));
        root.put("batch_id", status.path("batch_id").asText());
        root.put("tenant_id", status.path("tenant_id").asText());
        root.put("batch_status", status.path("status").asText());
        root.set("batch", status);
        root.set("receipts", Json.mapper().valueToTree(receipts));
        ArrayNode issues = root.putArray("issues");
        for (JsonNode file : status.path("files")) {
            issue(file).ifPresent(issue -> {
                ObjectNode node = issues.addObject();
                node.put("file_id", file.path("file_id").asText());
                node.put("original_filename", file.path("original_filename").asText());
                node.put("file_status", file.path("file_status").asText());
                node.put("stage", issue.stage());
                node.put("type", issue.code());
                node.put("severity", issue.remediation().severity());
                node.put("message", issue.message());
                node.put("remediation", issue.remediation().text());
                node.put("escalation", issue.remediation().escalation());
            });
        }
        ArrayNode left = root.putArray("not_sent");
        for (LocalFile file : notSent) {
            LocalFile.Problem problem = file.problem().orElseThrow();
            Remediation remediation = remediation(problem.code(), null, null);
            left.addObject()
                    .put("path", file.relativePath())
                    .put("type", problem.code())
                    .put("message", problem.message())
                    .put("remediation", remediation.text())
                    .put("escalation", remediation.escalation());
        }
        return root;
    }

    /** The Markdown report built from the batch status and the receipts. */
    static String markdown(JsonNode status, List<JsonNode> receipts, List<LocalFile> notSent) {
        JsonNode summary = status.path("summary");
        StringBuilder md = new StringBuilder();
        md.append("# Frostbyte ingest report: batch ")
                .append(cell(status.path("batch_id").asText()))
                .append("\n\n");
        md.append("Tenant `")
                .append(status.path("tenant_id").asText())
                .append("` · status **")
                .append(status.path("status").asText())
                .append("** · received ")
                .append(status.path("received_at").asText())
                .append(" · updated ")
                .append(status.path("updated_at").asText())
                .append("\n\n");
        md.append("| files | reached the index | still processing | rejected | quarantined | failed |\n");
        md.append("|---|---|---|---|---|---|\n");
        md.append("| ")
                .append(summary.path("total_files").asLong())
                .append(" | ")
                .append(summary.path("completed").asLong())
                .append(" | ")
                .append(summary.path("queued").asLong()
                        + summary.path("processing").asLong())
                .append(" | ")
                .append(summary.path("rejected").asLong())
                .append(" | ")
                .append(summary.path("quarantined").asLong())
                .append(" | ")
                .append(summary.path("failed").asLong())
                .append(" |\n\n");
        md.append("## Files\n\n");
        md.append("| file id | file | status | stage | error code | what to do |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (JsonNode file : status.path("files")) {
            Optional<Issue> issue = issue(file);
            md.append("| ")
                    .append(cell(file.path("file_id").asText()))
                    .append(" | ")
                    .append(cell(file.path("original_filename").asText()))
                    .append(" | ")
                    .append(cell(file.path("file_status").asText()))
                    .append(" | ")
                    .append(cell(issue.map(Issue::stage)
                            .orElse(file.path("current_stage").asText())))
                    .append(" | ")
                    .append(issue.map(i -> cell(i.code())).orElse("–"))
                    .append(" | ")
                    .append(issue.map(i -> cell(withEscalation(i.remediation())))
                            .orElse("–"))
                    .append(" |\n");
        }
        if (!receipts.isEmpty()) {
            md.append("\n## Receipts\n\n");
            md.append("| file id | receipt id | intake | SHA-256 | size (bytes) | type found | malware scan |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            for (JsonNode receipt : receipts) {
                md.append("| ")
                        .append(cell(receipt.path("file_id").asText()))
                        .append(" | ")
                        .append(cell(receipt.path("receipt_id").asText()))
                        .append(" | ")
                        .append(cell(receipt.path("status").asText()))
                        .append(" | ")
                        .append(cell(receipt.path("sha256").asText("–")))
                        .append(" | ")
                        .append(receipt.path("size_bytes").asLong())
                        .append(" | ")
                        .append(cell(receipt.path("mime_type").asText("–")))
                        .append(" | ")
                        .append(cell(receipt.path("scan_result").asText("–")))
                        .append(" |\n");
            }
            boolean unscanned = receipts.stream()
                    .anyMatch(receipt -> receipt.path("scan_result").asText().equals("skipped"));
            if (unscanned) {
                md.append("\n**MALWARE_SCAN_SKIPPED** (warning): ")
                        .append(remediation("MALWARE_SCAN_SKIPPED", null, null).text())
                        .append('\n');
            }
        }
        if (!notSent.isEmpty()) {
            md.append(
                    "\n## Not sent\n\nThese files were left out because they would have refused the whole batch.\n\n");
            md.append("| file | error code | problem | what to do |\n|---|---|---|---|\n");
            for (LocalFile file : notSent) {
                LocalFile.Problem problem = file.problem().orElseThrow();
                md.append("| ")
                        .append(cell(file.relativePath()))
                        .append(" | ")
                        .append(cell(problem.code()))
                        .append(" | ")
                        .append(cell(problem.message()))
                        .append(" | ")
                        .append(cell(withEscalation(remediation(problem.code(), null, null))))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /**
     * The summary printed on stdout: the counts, then one line per file that did not reach the index.
     */
    public static List<String> summary(JsonNode status) {
        JsonNode summary = status.path("summary");
        List<String> lines = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String state : List.of("indexed", "deduplicated", "rejected", "quarantined", "failed")) {
            counts.put(state, 0L);
        }
        for (JsonNode file : status.path("files")) {
            counts.computeIfPresent(file.path("file_status").asText(), (key, count) -> count + 1);
        }
        StringBuilder head = new StringBuilder("batch ")
                .append(status.path("batch_id").asText())
                .append(": ")
                .append(status.path("status").asText())
                .append(", ")
                .append(summary.path("total_files").asLong())
                .append(" files:");
        counts.forEach((state, count) ->
                head.append(' ').append(state).append(' ').append(count).append(','));
        head.setLength(head.length() - 1);
        lines.add(head.toString());
        for (JsonNode file : status.path("files")) {
            issue(file)
                    .filter(issue -> !issue.remediation().severity().equals("info"))
                    .ifPresent(issue -> lines.add("  " + file.path("file_id").asText() + " "
                            + shown(file.path("original_filename").asText()) + ": "
                            + file.path("file_status").asText() + " at " + issue.stage() + ", " + issue.code() + ". "
                            + withEscalation(issue.remediation())));
        }
        return lines;
    }

    /** The number of files of the batch that did not reach the index (including any still in progress). */
    public static long notIndexed(JsonNode status) {
        long count = 0;
        for (JsonNode file : status.path("files")) {
            String state = file.path("file_status").asText();
            if (!state.equals("indexed") && !state.equals("deduplicated")) {
                count++;
            }
        }
        return count;
    }

    private record Issue(String stage, String code, String message, Remediation remediation) {}

    private static Optional<Issue> issue(JsonNode file) {
        String state = file.path("file_status").asText();
        String receiptId = file.path("receipt_id").asText(null);
        String docId = file.path("doc_id").asText(null);
        JsonNode error = file.path("error");
        if (PROBLEMS.contains(state) || error.isObject()) {
            String code = error.path("code").asText(state.toUpperCase(java.util.Locale.ROOT));
            return Optional.of(new Issue(
                    error.path("stage").asText(file.path("current_stage").asText()),
                    code,
                    error.path("message").asText(""),
                    remediation(code, receiptId, docId)));
        }
        if (state.equals("deduplicated")) {
            return Optional.of(new Issue("intake", "DEDUPLICATED", "", remediation("DEDUPLICATED", receiptId, docId)));
        }
        return Optional.empty();
    }

    private static String withEscalation(Remediation remediation) {
        return remediation.escalation() == null
                ? remediation.text()
                : remediation.text() + " (escalation: " + remediation.escalation() + ")";
    }

    // a Markdown table cell: no line breaks or pipes, Markdown syntax escaped, format characters shown as escapes
    static String cell(String text) {
        StringBuilder cell = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.FORMAT) {
                cell.append(String.format("\\u%04X", cp));
            } else if (Character.isISOControl(cp)) {
                cell.append(' ');
            } else {
                if ("\\`*_[]<>|#".indexOf(cp) >= 0) {
                    cell.append('\\');
                }
                cell.appendCodePoint(cp);
            }
        });
        return cell.toString();
    }

    /** A name for the terminal: format and control characters shown as escapes, never interpreted. */
    public static String shown(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.FORMAT || Character.isISOControl(cp)) {
                shown.append(String.format("\\u%04X", cp));
            } else {
                shown.appendCodePoint(cp);
            }
        });
        return shown.toString();
    }

    private static Map<String, Remediation> remediations() {
        Map<String, Remediation> map = new LinkedHashMap<>();
        map.put(
                "CHECKSUM_MISMATCH",
                new Remediation(
                        "error",
                        "Compute the SHA-256 of the exact file you upload (sha256sum or Get-FileHash -Algorithm SHA256),"
                                + " make sure no tool changed line endings, and send the file again in a new batch.",
                        "support"));
        map.put(
                "UNSUPPORTED_FORMAT",
                new Remediation(
                        "error",
                        "Convert the file to PDF, DOCX, XLSX, TXT, CSV, PNG or TIFF, keep the extension and declared type"
                                + " consistent, and send it again.",
                        "support"));
        map.put(
                "MALWARE_DETECTED",
                new Remediation(
                        "error",
                        "Do not resend this file. Inform your IT security team. If you believe this is a false alarm,"
                                + " contact Frostbyte support with receipt {receipt_id}.",
                        "vendor_it"));
        map.put(
                "MALWARE_SCAN_SKIPPED",
                new Remediation(
                        "warning",
                        "This installation did not scan the file for malware. Do not use it for untrusted files until"
                                + " scanning is configured.",
                        null));
        Remediation resave = new Remediation(
                "error",
                "Open the file in its original application, remove any password, save or export it again, and resend"
                        + " it.",
                "support");
        map.put("FILE_CORRUPTED", resave);
        map.put("FILE_ENCRYPTED", resave);
        map.put(
                "NO_TEXT_EXTRACTED",
                new Remediation(
                        "error",
                        "No readable text was found. Resend a digital original, or a scan of at least 300 dpi.",
                        "support"));
        map.put(
                "PII_BLOCK_POLICY",
                new Remediation(
                        "error",
                        "The document contains personal data of a type your policy does not allow, so it was not"
                                + " indexed. Remove or mask these values and resend, or ask your administrator about the"
                                + " policy.",
                        null));
        map.put(
                "INJECTION_HIGH_SCORE",
                new Remediation(
                        "error",
                        "Parts of this document read like instructions to an AI system and were kept out of search. If"
                                + " this text is legitimate (for example security training), contact support to review"
                                + " it.",
                        "support"));
        map.put(
                "DEDUPLICATED",
                new Remediation(
                        "info",
                        "This file is identical to one you sent before (document {doc_id}); it was not processed again.",
                        null));
        for (String code : List.of(
                "OCR_FAILED",
                "PARSER_ERROR",
                "PARSE_TIMEOUT",
                "OCR_UNAVAILABLE",
                "POLICY_FAILED",
                "EMBED_FAILED",
                "INDEX_FAILED",
                "DIMENSION_MISMATCH")) {
            map.put(code, new Remediation("error", PROCESSING_FAILED, "support"));
        }
        map.put(
                "PAYLOAD_TOO_LARGE",
                new Remediation(
                        "error",
                        "The file is larger than this tenant accepts. Split the file, or ask your Frostbyte administrator"
                                + " for a higher max_file_size_mb.",
                        null));
        map.put(
                "MANIFEST_INVALID",
                new Remediation(
                        "error",
                        "Rename the file (at most 255 characters, no control characters or backslashes) and run"
                                + " frostbyte ingest again.",
                        "support"));
        map.put(
                "UNREADABLE",
                new Remediation(
                        "error",
                        "Make sure your user account can read the file, then run frostbyte ingest again.",
                        null));
        return Map.copyOf(map);
    }
}
