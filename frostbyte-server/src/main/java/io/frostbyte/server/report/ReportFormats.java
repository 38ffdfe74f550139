package io.frostbyte.server.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The acceptance report rendered for people (spec/11 §11.2): Markdown, a printable HTML page and CSV (one row per
 * file), all from the stored JSON, so every form says the same. Text from the report (file names, messages) is escaped
 * for its format; format characters such as bidi overrides are shown as {@code U+XXXX}.
 */
public final class ReportFormats {
    private ReportFormats() {}

    public static String markdown(JsonNode report) {
        StringBuilder md = new StringBuilder();
        md.append("# Acceptance report: batch ")
                .append(md(report.path("batch_id").asText()))
                .append("\n\n");
        md.append("- Tenant: ").append(md(report.path("tenant_id").asText())).append('\n');
        md.append("- Status: **").append(report.path("batch_status").asText()).append("**\n");
        md.append("- Report: ")
                .append(report.path("report_id").asText())
                .append(" (version ")
                .append(report.path("version").asInt())
                .append("), generated ")
                .append(report.path("generated_at").asText())
                .append('\n');
        JsonNode files = report.path("summary").path("files");
        JsonNode chunks = report.path("summary").path("chunks");
        md.append("- Files: ")
                .append(files.path("submitted").asLong())
                .append(" submitted, ")
                .append(files.path("accepted").asLong())
                .append(" accepted, ")
                .append(files.path("rejected").asLong())
                .append(" rejected, ")
                .append(files.path("quarantined").asLong())
                .append(" quarantined, ")
                .append(files.path("deduplicated").asLong())
                .append(" deduplicated\n");
        md.append("- Chunks: ")
                .append(chunks.path("produced").asLong())
                .append(" produced, ")
                .append(chunks.path("indexed").asLong())
                .append(" indexed, ")
                .append(chunks.path("flagged").asLong())
                .append(" flagged, ")
                .append(chunks.path("quarantined").asLong())
                .append(" quarantined\n\n");
        md.append("| file | name | status | issues |\n|---|---|---|---|\n");
        for (JsonNode file : report.path("files")) {
            md.append("| ")
                    .append(md(file.path("file_id").asText()))
                    .append(" | ")
                    .append(md(file.path("original_filename").asText()))
                    .append(" | ")
                    .append(file.path("file_status").asText())
                    .append(" | ")
                    .append(md(String.join(", ", issueTypes(file))))
                    .append(" |\n");
        }
        md.append("\n## What to do\n\n");
        boolean any = false;
        for (JsonNode file : report.path("files")) {
            for (JsonNode issue : file.path("issues")) {
                any = true;
                md.append("- **")
                        .append(md(file.path("file_id").asText()))
                        .append("** ")
                        .append(issue.path("type").asText())
                        .append(" (")
                        .append(issue.path("severity").asText())
                        .append("): ")
                        .append(md(issue.path("remediation").asText()));
                if (!issue.path("escalation").isNull()) {
                    md.append(" Escalation: ")
                            .append(issue.path("escalation").asText())
                            .append('.');
                }
                md.append('\n');
            }
        }
        if (!any) {
            md.append("Nothing: every file reached the index.\n");
        }
        md.append("\nReport SHA-256: `")
                .append(report.path("report_sha256").asText())
                .append("`\n");
        return md.toString();
    }

    public static String csv(JsonNode report) {
        StringBuilder csv = new StringBuilder(
                "file_id,original_filename,receipt_id,doc_id,file_status,intake_status,chunks_indexed,chunks_quarantined,issues\r\n");
        for (JsonNode file : report.path("files")) {
            csv.append(csv(file.path("file_id").asText()))
                    .append(',')
                    .append(csv(file.path("original_filename").asText()))
                    .append(',')
                    .append(csv(file.path("receipt_id").asText()))
                    .append(',')
                    .append(csv(
                            file.path("doc_id").isNull()
                                    ? ""
                                    : file.path("doc_id").asText()))
                    .append(',')
                    .append(csv(file.path("file_status").asText()))
                    .append(',')
                    .append(csv(file.path("intake").path("status").asText("")))
                    .append(',')
                    .append(file.path("indexing").path("chunks_indexed").asLong(0))
                    .append(',')
                    .append(file.path("policy").path("chunks_quarantined").asLong(0))
                    .append(',')
                    .append(csv(String.join(";", issueTypes(file))))
                    .append("\r\n");
        }
        return csv.toString();
    }

    public static String html(JsonNode report) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Acceptance report " + html(report.path("batch_id").asText()) + "</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}"
                + "th,td{border:1px solid #ccc;padding:.4em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
                + ".error{color:#a00}.warning{color:#a60}.info{color:#06a}@media print{body{margin:0}}"
                + "</style></head><body>\n");
        html.append("<h1>Acceptance report: batch ")
                .append(html(report.path("batch_id").asText()))
                .append("</h1>\n");
        html.append("<p>Status: <strong>")
                .append(html(report.path("batch_status").asText()))
                .append("</strong> · ")
                .append("generated ")
                .append(html(report.path("generated_at").asText()))
                .append(" · version ")
                .append(report.path("version").asInt())
                .append("</p>\n");
        JsonNode files = report.path("summary").path("files");
        html.append("<p>")
                .append(files.path("submitted").asLong())
                .append(" files submitted: ")
                .append(files.path("accepted").asLong())
                .append(" accepted, ")
                .append(files.path("rejected").asLong())
                .append(" rejected, ")
                .append(files.path("quarantined").asLong())
                .append(" quarantined, ")
                .append(files.path("deduplicated").asLong())
                .append(" already known.</p>\n");
        html.append("<table><thead><tr><th>File</th><th>Name</th><th>Status</th><th>What happened and what to do</th>"
                + "</tr></thead><tbody>\n");
        for (JsonNode file : report.path("files")) {
            html.append("<tr><td>")
                    .append(html(file.path("file_id").asText()))
                    .append("</td><td>")
                    .append(html(file.path("original_filename").asText()))
                    .append("</td><td>")
                    .append(html(file.path("file_status").asText()))
                    .append("</td><td>");
            for (JsonNode issue : file.path("issues")) {
                html.append("<p class=\"")
                        .append(html(issue.path("severity").asText()))
                        .append("\"><strong>")
                        .append(html(issue.path("type").asText()))
                        .append("</strong>: ")
                        .append(html(issue.path("remediation").asText()))
                        .append("</p>");
            }
            html.append("</td></tr>\n");
        }
        html.append("</tbody></table>\n<p><small>Report ")
                .append(html(report.path("report_id").asText()))
                .append(" · SHA-256 ")
                .append(html(report.path("report_sha256").asText()))
                .append("</small></p>\n</body></html>\n");
        return html.toString();
    }

    private static List<String> issueTypes(JsonNode file) {
        List<String> types = new ArrayList<>();
        file.path("issues").forEach(issue -> types.add(issue.path("type").asText()));
        return types;
    }

    // format characters (bidi overrides, zero-width) are shown, never applied
    private static String visible(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.FORMAT || Character.isISOControl(cp)) {
                out.append(String.format("U+%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String md(String text) {
        return visible(text)
                .replace("\\", "\\\\")
                .replace("|", "\\|")
                .replace("*", "\\*")
                .replace("_", "\\_")
                .replace("<", "&lt;");
    }

    private static String html(String text) {
        return visible(text)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String csv(String text) {
        String value = visible(text);
        if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0) {
            value = "'" + value; // no formula injection in spreadsheets
        }
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
