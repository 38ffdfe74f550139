package io.frostbyte.server.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.intake.FileStatus;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.postgres.BatchFile;
import io.frostbyte.postgres.BatchView;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresBatches;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.postgres.PostgresReports;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the acceptance report of every batch that became terminal (spec/11 §11.2, spec/01 INT-9): per file its
 * intake, parsing, policy and indexing results and every issue with its remediation and escalation; stores it with its
 * sha256 and writes BATCH_COMPLETED in the same transaction. A background loop picks up terminal batches whose current
 * report is missing, so a crash between a batch's last stage and its report only delays the report.
 *
 * <p>Thread-safe.
 */
public final class AcceptanceReports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptanceReports.class);

    private final PostgresBatches batches;
    private final PostgresReports reports;
    private final PostgresDocumentStore store;
    private final ObjectStore objects;
    private final AuditLog audit;
    private final Database control;
    private final Clock clock;
    private final String embedModel;
    private final String embedVersion;
    private final int dimensions;
    private volatile Thread worker;

    public AcceptanceReports(
            PostgresBatches batches,
            PostgresReports reports,
            PostgresDocumentStore store,
            ObjectStore objects,
            AuditLog audit,
            Database control,
            Clock clock,
            String embedModel,
            String embedVersion,
            int dimensions) {
        this.batches = requireNonNull(batches, "batches is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.store = requireNonNull(store, "store is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.control = requireNonNull(control, "control is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.embedModel = requireNonNull(embedModel, "embedModel is null");
        this.embedVersion = requireNonNull(embedVersion, "embedVersion is null");
        this.dimensions = dimensions;
    }

    /** Starts the loop that builds missing reports every {@code interval}. */
    public AcceptanceReports start(Duration interval) {
        Thread thread = Thread.ofVirtual().name("acceptance-reports").unstarted(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    runOnce();
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn(
                            "acceptance report run failed: exception_class={}",
                            e.getClass().getName());
                    try {
                        Thread.sleep(interval.toMillis() * 5);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        worker = thread;
        thread.start();
        return this;
    }

    /** Builds every missing report now; returns how many were stored. */
    public int runOnce() {
        int built = 0;
        for (PostgresReports.Pending pending : reports.pending(50)) {
            if (build(pending)) {
                built++;
            }
        }
        return built;
    }

    private boolean build(PostgresReports.Pending pending) {
        Optional<BatchView> found = batches.view(pending.tenantId(), pending.batchId());
        if (found.isEmpty() || !found.get().status().terminal()) {
            return false;
        }
        BatchView view = found.get();
        Instant now = clock.instant();
        Map<String, Object> report = report(pending, view, now);
        String sha = sha256(CanonicalJson.write(report));
        report.put("report_sha256", sha);
        String json = CanonicalJson.write(report);
        return control.inTransaction(connection -> {
            if (!reports.insert(connection, pending, json, sha, now)) {
                return false;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) report.get("summary");
            @SuppressWarnings("unchecked")
            Map<String, Object> files = (Map<String, Object>) summary.get("files");
            java.util.SortedMap<String, Object> details = new TreeMap<>();
            details.put("component", "report-worker");
            details.put("status", view.status().name());
            details.putAll(files);
            details.put("indexed", count(view, FileStatus.INDEXED));
            details.put("failed", count(view, FileStatus.FAILED));
            details.put("report_id", pending.reportId().toString());
            details.put("report_version", pending.version());
            details.put("report_sha256", sha);
            audit.append(
                    connection,
                    new AuditEventDraft(
                            pending.tenantId(),
                            EventType.BATCH_COMPLETED,
                            AuditEventDraft.SYSTEM,
                            "batch",
                            pending.batchId(),
                            Optional.empty(),
                            details));
            return true;
        });
    }

    private Map<String, Object> report(PostgresReports.Pending pending, BatchView view, Instant now) {
        TenantId tenantId = pending.tenantId();
        List<JsonNode> receipts = new ArrayList<>();
        for (String receipt : batches.receipts(tenantId, pending.batchId())) {
            receipts.add(readTree(receipt));
        }
        List<Map<String, Object>> files = new ArrayList<>();
        Map<String, Long> classifications = new TreeMap<>();
        Map<String, Long> redactions = new TreeMap<>();
        long produced = 0;
        long indexedChunks = 0;
        long flagged = 0;
        long quarantinedChunks = 0;
        long parsedOk = 0;
        long parsedWithWarnings = 0;
        long parseFailed = 0;
        long checksumsPassed = 0;
        for (int i = 0; i < view.files().size(); i++) {
            BatchFile file = view.files().get(i);
            JsonNode receipt =
                    i < receipts.size() ? receipts.get(i) : Json.mapper().createObjectNode();
            List<Map<String, Object>> issues = new ArrayList<>();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file_id", file.fileId());
            entry.put("original_filename", file.originalFilename());
            entry.put("receipt_id", file.receiptId().toString());
            entry.put("doc_id", file.docId().orElse(null));
            entry.put("file_status", file.status().wire());
            Map<String, Object> intake = new LinkedHashMap<>();
            intake.put("status", text(receipt, "status"));
            intake.put("mime_type", text(receipt, "mime_type"));
            intake.put("size_bytes", receipt.path("size_bytes").asLong());
            intake.put("sha256", text(receipt, "sha256"));
            intake.put("scan_result", text(receipt, "scan_result"));
            intake.put("deduplicated", receipt.path("deduplicated").asBoolean());
            entry.put("intake", intake);
            String reason = text(receipt, "reason");
            if (!"CHECKSUM_MISMATCH".equals(reason) && receipt.has("status")) {
                checksumsPassed++;
            }
            if (reason != null) {
                issues.add(issue(
                        reason,
                        null,
                        1,
                        text(receipt, "message"),
                        Map.of("receipt_id", file.receiptId().toString())));
            }
            if ("skipped".equals(text(receipt, "scan_result"))) {
                issues.add(issue("MALWARE_SCAN_SKIPPED", null, 1, "No malware scanner checked this file.", Map.of()));
            }
            if (file.status() == FileStatus.DEDUPLICATED) {
                issues.add(issue(
                        "DEDUPLICATED",
                        null,
                        1,
                        "Identical to an earlier file.",
                        Map.of("doc_id", file.docId().orElse(""))));
            }
            boolean processed = file.docId().isPresent()
                    && file.status() != FileStatus.DEDUPLICATED
                    && file.stages().get(PipelineStage.PARSE) != StageState.SKIPPED;
            Map<String, Object> parsing = null;
            Map<String, Object> policy = null;
            Map<String, Object> indexing = null;
            if (processed) {
                String docId = file.docId().get();
                Map<String, Object> document = store.document(tenantId, docId).orElse(Map.of());
                parsing = parsing(tenantId, docId, file, issues);
                if (file.stages().get(PipelineStage.PARSE) == StageState.FAILED) {
                    parseFailed++;
                } else if (parsing != null && !((List<?>) parsing.get("dropped_content")).isEmpty()) {
                    parsedWithWarnings++;
                } else if (parsing != null) {
                    parsedOk++;
                }
                List<ChunkRow> chunks = store.chunks(tenantId, docId);
                if (!chunks.isEmpty() || file.stages().get(PipelineStage.POLICY) == StageState.QUARANTINED) {
                    policy = policy(document, chunks, issues, redactions);
                    Object label = document.get("classification");
                    if (label != null) {
                        classifications.merge(label.toString(), 1L, Long::sum);
                    }
                }
                long fileIndexed = chunks.stream()
                        .filter(chunk ->
                                !chunk.quarantined() && chunk.vectorSha256().isPresent())
                        .count();
                produced += chunks.size();
                flagged += chunks.stream()
                        .filter(chunk -> chunk.status().equals("flagged"))
                        .count();
                quarantinedChunks +=
                        chunks.stream().filter(ChunkRow::quarantined).count();
                if (file.status() == FileStatus.INDEXED) {
                    indexedChunks += fileIndexed;
                    indexing = new LinkedHashMap<>();
                    indexing.put("chunks_indexed", fileIndexed);
                    indexing.put("embed_model", embedModel);
                    indexing.put("embed_version", embedVersion);
                    indexing.put("dimensions", dimensions);
                    indexing.put("truncated", 0);
                    indexing.put(
                            "indexed_at",
                            document.get("indexed_at") == null
                                    ? null
                                    : document.get("indexed_at").toString());
                }
            }
            if (file.error().isPresent() && reason == null) {
                BatchFile.FileError error = file.error().get();
                boolean alreadyListed =
                        issues.stream().anyMatch(issue -> issue.get("type").equals(error.code()));
                if (!alreadyListed) {
                    Map<String, Object> values = new TreeMap<>();
                    values.put("receipt_id", file.receiptId().toString());
                    values.put("types", "personal data");
                    values.put("categories", "instruction-like text");
                    Map<String, Object> failure = issue(error.code(), null, 1, error.message(), values);
                    failure.put("severity", "error");
                    issues.add(failure);
                }
            }
            entry.put("parsing", parsing);
            entry.put("policy", policy);
            entry.put("indexing", indexing);
            entry.put("issues", issues);
            files.add(entry);
        }
        Map<String, Object> fileCounts = new LinkedHashMap<>();
        fileCounts.put("submitted", view.files().size());
        fileCounts.put(
                "accepted",
                view.files().stream()
                        .filter(file -> file.stages().get(PipelineStage.INTAKE) == StageState.COMPLETED)
                        .count());
        fileCounts.put("rejected", count(view, FileStatus.REJECTED));
        fileCounts.put(
                "quarantined",
                view.files().stream()
                        .filter(file -> file.stages().get(PipelineStage.INTAKE) == StageState.QUARANTINED)
                        .count());
        fileCounts.put("deduplicated", count(view, FileStatus.DEDUPLICATED));
        Map<String, Object> chunkCounts = new LinkedHashMap<>();
        chunkCounts.put("produced", produced);
        chunkCounts.put("indexed", indexedChunks);
        chunkCounts.put("flagged", flagged);
        chunkCounts.put("quarantined", quarantinedChunks);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", fileCounts);
        summary.put("parsed_ok", parsedOk);
        summary.put("parsed_with_warnings", parsedWithWarnings);
        summary.put("parse_failed", parseFailed);
        summary.put("chunks", chunkCounts);
        summary.put("classifications", classifications);
        summary.put("pii_redactions", redactions);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put(
                "manifest_sha256",
                batches.find(tenantId, pending.batchId())
                        .map(PostgresBatches.StoredBatch::manifestSha256)
                        .map(String::trim)
                        .orElse(null));
        manifest.put("files_in_manifest", view.fileCount());
        manifest.put("files_received", view.files().size());
        manifest.put("checksums_passed", checksumsPassed);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("report_id", pending.reportId().toString());
        report.put("version", pending.version());
        report.put("batch_id", pending.batchId());
        report.put("tenant_id", tenantId.value());
        report.put("generated_at", Json.timestamp(now));
        report.put("batch_status", view.status().name());
        report.put("manifest", manifest);
        report.put("summary", summary);
        report.put("files", files);
        return report;
    }

    private Map<String, Object> parsing(
            TenantId tenantId, String docId, BatchFile file, List<Map<String, Object>> issues) {
        if (file.stages().get(PipelineStage.PARSE) == StageState.FAILED) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("status", "failed");
            failed.put("dropped_content", List.of());
            return failed;
        }
        JsonNode structured;
        try (InputStream in = objects.get(tenantId, ObjectKey.normalized(docId))) {
            structured = Json.mapper().readTree(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        JsonNode stats = structured.path("stats");
        Map<String, Object> parsing = new LinkedHashMap<>();
        parsing.put("status", "completed");
        parsing.put("page_count", stats.path("page_count").asInt());
        parsing.put("table_count", stats.path("table_count").asInt());
        parsing.put("characters", stats.path("total_characters").asLong());
        parsing.put("ocr_pages", stats.path("ocr_pages").asInt());
        List<Integer> lowPages = new ArrayList<>();
        stats.path("low_ocr_confidence_pages").forEach(page -> lowPages.add(page.asInt()));
        parsing.put("low_ocr_confidence_pages", lowPages);
        List<Map<String, Object>> dropped = new ArrayList<>();
        for (JsonNode item : stats.path("dropped_content")) {
            Map<String, Object> drop = new LinkedHashMap<>();
            drop.put("element_type", item.path("element_type").asText());
            drop.put(
                    "page",
                    item.path("page").isNull() ? null : item.path("page").asInt());
            drop.put("reason", item.path("reason").asText());
            drop.put("count", item.path("count").asLong());
            dropped.add(drop);
            Map<String, Object> values = new TreeMap<>(drop);
            issues.add(issue(
                    "CONTENT_DROPPED",
                    drop.get("page"),
                    item.path("count").asLong(),
                    item.path("count").asLong() + " " + drop.get("element_type") + " item(s) dropped ("
                            + drop.get("reason") + ").",
                    values));
        }
        parsing.put("dropped_content", dropped);
        if (!lowPages.isEmpty()) {
            issues.add(issue(
                    "LOW_OCR_CONFIDENCE",
                    lowPages.getFirst(),
                    lowPages.size(),
                    "Pages " + lowPages + " have a mean OCR confidence under the threshold.",
                    Map.of(
                            "pages",
                            String.join(
                                    ", ", lowPages.stream().map(String::valueOf).toList()))));
        }
        return parsing;
    }

    private Map<String, Object> policy(
            Map<String, Object> document,
            List<ChunkRow> chunks,
            List<Map<String, Object>> issues,
            Map<String, Long> redactions) {
        TreeSet<String> piiTypes = new TreeSet<>();
        Map<String, Long> redactedByType = new TreeMap<>();
        double maxScore = 0;
        long flagged = 0;
        long quarantined = 0;
        TreeSet<String> categories = new TreeSet<>();
        for (ChunkRow chunk : chunks) {
            for (String type : chunk.piiTypes().split(",")) {
                if (!type.isEmpty()) {
                    piiTypes.add(type);
                    if (chunk.piiAction().equals("redacted")) {
                        redactedByType.merge(type, 1L, Long::sum);
                    }
                }
            }
            maxScore = Math.max(maxScore, Double.parseDouble(chunk.injectionScore()));
            flagged += chunk.status().equals("flagged") ? 1 : 0;
            if (chunk.quarantined()) {
                quarantined++;
                for (String category : chunk.injectionCategories().split(",")) {
                    if (!category.isEmpty()) {
                        categories.add(category);
                    }
                }
            }
        }
        redactedByType.forEach((type, n) -> redactions.merge(type, n, Long::sum));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("pii_types_found", List.copyOf(piiTypes));
        policy.put(
                "pii_action_taken",
                piiTypes.isEmpty()
                        ? "none"
                        : chunks.stream()
                                .map(ChunkRow::piiAction)
                                .filter(a -> !a.equals("none"))
                                .findFirst()
                                .orElse("none"));
        policy.put("classification", document.get("classification"));
        policy.put(
                "classification_confidence",
                document.get("classification_confidence") == null
                        ? null
                        : Double.valueOf(
                                document.get("classification_confidence").toString()));
        policy.put("classification_status", document.get("classification_status"));
        policy.put("injection_max_score", Double.valueOf(String.format(java.util.Locale.ROOT, "%.3f", maxScore)));
        policy.put("chunks_flagged", flagged);
        policy.put("chunks_quarantined", quarantined);
        if (!redactedByType.isEmpty()) {
            long total =
                    redactedByType.values().stream().mapToLong(Long::longValue).sum();
            issues.add(issue(
                    "PII_REDACTED",
                    null,
                    total,
                    total + " value(s) masked.",
                    Map.of("count", total, "types", String.join(", ", redactedByType.keySet()))));
        }
        if (quarantined > 0 && quarantined < chunks.size()) {
            issues.add(issue(
                    "INJECTION_HIGH_SCORE",
                    null,
                    quarantined,
                    quarantined + " chunk(s) kept out of search.",
                    Map.of("categories", String.join(", ", categories))));
        }
        if ("pending_review".equals(document.get("classification_status"))) {
            issues.add(issue("CLASSIFICATION_REVIEW", null, 1, "Document type awaits review.", Map.of()));
        }
        return policy;
    }

    private static Map<String, Object> issue(
            String type, Object page, long count, String message, Map<String, ?> values) {
        Remediation.Entry entry = Remediation.of(type);
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("type", type);
        issue.put("severity", entry.severity());
        issue.put("page", page);
        issue.put("count", count);
        issue.put("message", message);
        issue.put("remediation", Remediation.fill(entry.template(), values));
        issue.put("escalation", entry.escalation());
        return issue;
    }

    private static long count(BatchView view, FileStatus status) {
        return view.files().stream().filter(file -> file.status() == status).count();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a stored receipt is not JSON", e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    @Override
    public void close() {
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
