package io.frostbyte.server.intake;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.intake.FileStatus;
import io.frostbyte.core.intake.IntakeType;
import io.frostbyte.core.intake.MimeSniffer;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.Sniffed;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.Stage;
import io.frostbyte.core.scan.MalwareScanner;
import io.frostbyte.core.scan.ScanResult;
import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.storage.StoredObject;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import io.frostbyte.postgres.BatchFile;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresBatches;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.PostgresTenantDocuments;
import io.frostbyte.server.auth.Principal;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.ParameterParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake gateway (spec/01): reads a multipart batch as a stream, validates the manifest and the request-level
 * limits, stages every file encrypted while counting, hashing and keeping the sniffing window (phase A), checks each
 * file in the spec's order (size, SHA-256, MIME, malware), then commits (phase B): raw or quarantine objects, the
 * tenant-database claim of each new doc_id, and in one control-database transaction the batch, its signed receipts,
 * the audit events and the parse jobs. Any failure before that transaction commits removes what this request stored;
 * staging objects are always deleted.
 *
 * <p>Thread-safe. A batch id is received by one request at a time per node; a concurrent duplicate gets {@code
 * BATCH_ALREADY_EXISTS}.
 */
public final class IntakeService {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);
    private static final long GIB = 1024L * 1024 * 1024;
    private static final long MIB = 1024L * 1024;
    private static final String COMPONENT = "intake";

    /**
     * Platform settings of intake.
     *
     * @param maxRequestGb {@code intake.max_request_gb}
     * @param enabledTypes {@code intake.enabled_types}: the platform allowlist
     * @param malwareRequired {@code malware.required}: refuse batches (503) when the scanner does not answer
     * @param pipelineVersion recorded in audit details
     * @param parseKey the parse stage's idempotency-key suffix: parser version and parse configuration hash
     */
    public record Settings(
            int maxRequestGb,
            Set<String> enabledTypes,
            boolean malwareRequired,
            String pipelineVersion,
            String parseKey) {
        public Settings {
            enabledTypes = Set.copyOf(enabledTypes);
            requireNonNull(pipelineVersion, "pipelineVersion is null");
            requireNonNull(parseKey, "parseKey is null");
        }
    }

    /**
     * The answer to a batch request.
     *
     * @param batchReceipt the JSON of the 202 answer's {@code data}
     * @param replayed whether this is the stored receipt of an earlier identical submission
     */
    public record Submission(String batchReceipt, boolean replayed) {}

    private final Function<TenantId, Optional<TenantRecord>> tenants;
    private final Function<TenantId, Optional<TenantStatus>> liveStatus;
    private final ObjectStore objects;
    private final Optional<MalwareScanner> scanner;
    private final PostgresBatches batches;
    private final PostgresTenantDocuments documents;
    private final AuditLog audit;
    private final PostgresJobQueue jobs;
    private final Database control;
    private final Signer signer;
    private final Function<TenantId, Integer> kekVersion;
    private final Clock clock;
    private final Settings settings;
    private final MimeSniffer sniffer = new MimeSniffer();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final IntakeMetrics metrics;
    /** Bytes the tenant's quota counts now (object, database and index: spec/07 §7.8). */
    private final java.util.function.ToLongFunction<TenantId> usedBytes;

    public IntakeService(
            Function<TenantId, Optional<TenantRecord>> tenants,
            Function<TenantId, Optional<TenantStatus>> liveStatus,
            ObjectStore objects,
            Optional<MalwareScanner> scanner,
            PostgresBatches batches,
            PostgresTenantDocuments documents,
            AuditLog audit,
            PostgresJobQueue jobs,
            Database control,
            Signer signer,
            Function<TenantId, Integer> kekVersion,
            Clock clock,
            Settings settings,
            IntakeMetrics metrics,
            java.util.function.ToLongFunction<TenantId> usedBytes) {
        this.usedBytes = requireNonNull(usedBytes, "usedBytes is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.liveStatus = requireNonNull(liveStatus, "liveStatus is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.scanner = requireNonNull(scanner, "scanner is null");
        this.batches = requireNonNull(batches, "batches is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.control = requireNonNull(control, "control is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.kekVersion = requireNonNull(kekVersion, "kekVersion is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /**
     * Receives one batch request (spec/01 §1.2): {@code body} is the raw request body; the caller has authenticated
     * the principal for the tenant, checked the tenant is {@code ACTIVE} and applied the rate limit.
     */
    public Submission submit(
            Principal principal, TenantId tenantId, String contentType, long contentLength, InputStream body) {
        try {
            Submission submission = receive(principal, tenantId, contentType, contentLength, body);
            metrics.batch(tenantId, "accepted", "none");
            return submission;
        } catch (FrostbyteException e) {
            metrics.batch(tenantId, "rejected", e.code().name());
            throw e;
        }
    }

    private Submission receive(
            Principal principal, TenantId tenantId, String contentType, long contentLength, InputStream body) {
        byte[] boundary = boundary(contentType);
        if (contentLength > (long) settings.maxRequestGb() * GIB) {
            throw tooLarge("body", "at most " + settings.maxRequestGb() + " GiB per request");
        }
        TenantRecord tenant = tenants.apply(tenantId)
                .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "No such tenant."));
        TenantConfig config = tenant.config();
        MultipartInput multipart;
        try {
            multipart = MultipartInput.builder()
                    .setInputStream(body)
                    .setBoundary(boundary)
                    .setBufferSize(64 * 1024)
                    .get();
            multipart.setHeaderCharset(StandardCharsets.UTF_8);
            if (!multipart.skipPreamble()) {
                throw invalid("manifest", "a first part named manifest");
            }
        } catch (IOException e) {
            throw malformed(e);
        }
        Part manifestPart = nextPart(multipart, true);
        if (!manifestPart.name().equals("manifest")) {
            throw invalid("manifest", "a first part named manifest");
        }
        byte[] manifestBytes = readManifest(multipart);
        Manifest manifest = ManifestReader.read(manifestBytes, tenantId, config.maxBatchSize());

        Optional<PostgresBatches.StoredBatch> existing = batches.find(tenantId, manifest.batchId());
        if (existing.isPresent()) {
            return replayOrConflict(existing.get(), manifest);
        }
        String flightKey = tenantId.value() + "/" + manifest.batchId();
        if (!inFlight.add(flightKey)) {
            throw new FrostbyteException(
                    ErrorCode.BATCH_ALREADY_EXISTS, "A batch with this batch_id is being received right now.");
        }
        try {
            return receiveFiles(principal, tenantId, config, manifest, multipart);
        } finally {
            inFlight.remove(flightKey);
        }
    }

    private Submission receiveFiles(
            Principal principal, TenantId tenantId, TenantConfig config, Manifest manifest, MultipartInput multipart) {
        boolean scanning = scannerAnswers();
        if (!scanning && settings.malwareRequired()) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE, "The malware scanner is unavailable; retry later.");
        }
        long quotaBytes = (long) config.storageQuotaGb() * GIB;
        if (usedBytes.applyAsLong(tenantId) + manifest.totalBytes() > quotaBytes) {
            throw new FrostbyteException(
                    ErrorCode.QUOTA_EXCEEDED,
                    "The batch would exceed this tenant's storage quota.",
                    List.of(new ErrorDetail("files", null, "at most " + config.storageQuotaGb() + " GiB stored")));
        }
        long maxFileBytes = (long) config.maxFileSizeMb() * MIB;
        if (manifest.totalBytes() > (long) settings.maxRequestGb() * GIB) {
            throw tooLarge("files", "Σ size_bytes at most " + settings.maxRequestGb() + " GiB");
        }
        for (int i = 0; i < manifest.files().size(); i++) {
            if (manifest.files().get(i).sizeBytes() > maxFileBytes) {
                throw tooLarge("files[" + i + "].size_bytes", "at most " + config.maxFileSizeMb() + " MB");
            }
        }
        Instant receivedAt = clock.instant();
        List<Checked> checked = new ArrayList<>();
        List<ObjectKey> created = new ArrayList<>();
        List<ClaimedDoc> claims = new ArrayList<>();
        boolean committed = false;
        try {
            // phase A: stage and check every part
            for (int i = 0; i < manifest.files().size(); i++) {
                Manifest.Entry entry = manifest.files().get(i);
                Part part = nextPart(multipart, false);
                if (part.name().isEmpty()) {
                    throw countMismatch(manifest.fileCount(), i);
                }
                if (!part.name().equals("files")) {
                    throw invalid("files[" + i + "]", "a part named files");
                }
                if (part.filename().isPresent()
                        && !ManifestReader.basename(part.filename().get()).equals(entry.filename())) {
                    throw invalid("files[" + i + "].filename", "equal to the part's filename");
                }
                ObjectKey staging = ObjectKey.staging(manifest.batchId(), i);
                created.add(staging);
                checked.add(check(tenantId, config, entry, i, staging, multipart, maxFileBytes, scanning));
                requireActive(tenantId);
            }
            if (nextPart(multipart, false).name().length() > 0) {
                throw countMismatch(manifest.fileCount(), manifest.fileCount() + 1);
            }
            requireActive(tenantId);
            // phase B: store and commit
            List<Outcome> outcomes = store(tenantId, manifest, checked, receivedAt, created, claims);
            Submission submission = commit(principal, tenantId, manifest, outcomes, receivedAt, scanning);
            committed = true;
            if (!scanning) {
                LOG.warn(
                        "MALWARE SCAN SKIPPED: batch received without a malware scan (no scanner answered);"
                                + " tenant_id={} files={}",
                        tenantId.value(),
                        manifest.fileCount());
            }
            outcomes.forEach(outcome -> metrics.file(tenantId, outcome.fileStatus(), outcome.reason()));
            metrics.batchSize(tenantId, outcomes.size());
            return submission;
        } catch (FrostbyteException e) {
            if (e.code() == ErrorCode.BATCH_ALREADY_EXISTS) {
                Optional<PostgresBatches.StoredBatch> winner = batches.find(tenantId, manifest.batchId());
                if (winner.isPresent()) {
                    cleanUp(tenantId, created, claims, false);
                    return replayOrConflict(winner.get(), manifest);
                }
            }
            throw e;
        } finally {
            cleanUp(tenantId, created, claims, committed);
        }
    }

    // one file through steps 1-4 of spec/01 §1.3 into its staging object
    private Checked check(
            TenantId tenantId,
            TenantConfig config,
            Manifest.Entry entry,
            int position,
            ObjectKey staging,
            MultipartInput multipart,
            long maxFileBytes,
            boolean scanning) {
        MeteredPart metered =
                new MeteredPart(multipart.newInputStream(), maxFileBytes, "files[" + position + "].size_bytes");
        StoredObject stored;
        try {
            // not closed on failure: closing an item stream reads the rest of the upload
            stored = objects.put(tenantId, staging, metered, entry.sizeBytes());
            metered.close();
        } catch (IOException e) {
            throw malformed(e);
        } catch (UncheckedIOException e) {
            throw malformed(e.getCause());
        }
        String sha = stored.sha256();
        if (stored.sizeBytes() != entry.sizeBytes()) {
            return Checked.rejected(
                    entry,
                    position,
                    staging,
                    stored.sizeBytes(),
                    null,
                    Optional.empty(),
                    "CHECKSUM_MISMATCH",
                    "size",
                    "The file has " + stored.sizeBytes() + " bytes; the manifest says " + entry.sizeBytes() + ".");
        }
        if (!sha.equals(entry.sha256())) {
            return Checked.rejected(
                    entry,
                    position,
                    staging,
                    stored.sizeBytes(),
                    sha,
                    Optional.empty(),
                    "CHECKSUM_MISMATCH",
                    "checksum",
                    "SHA-256 of the received bytes does not match the manifest.");
        }
        String extension = IntakeType.extensionOf(entry.filename());
        Sniffed sniffed =
                sniffer.sniff(metered.window(), stored.sizeBytes(), extension, () -> objects.get(tenantId, staging));
        Optional<String> formatProblem = formatProblem(sniffed, entry, extension, config);
        if (formatProblem.isPresent()) {
            return Checked.rejected(
                    entry,
                    position,
                    staging,
                    stored.sizeBytes(),
                    sha,
                    Optional.of(sniffed.mimeType()),
                    "UNSUPPORTED_FORMAT",
                    "mime",
                    formatProblem.get());
        }
        IntakeType type = sniffed.type().orElseThrow();
        if (!scanning) {
            return Checked.passed(entry, position, staging, stored.sizeBytes(), sha, type, "skipped", null, null);
        }
        ScanResult scan;
        try (InputStream content = objects.get(tenantId, staging)) {
            scan = scanner.orElseThrow().scan(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String engine = scannerVersion();
        return switch (scan) {
            case ScanResult.Clean clean ->
                Checked.passed(entry, position, staging, stored.sizeBytes(), sha, type, "clean", engine, null);
            case ScanResult.Infected infected ->
                Checked.quarantined(
                        entry, position, staging, stored.sizeBytes(), sha, type, engine, infected.signature());
            case ScanResult.NotScanned notScanned -> {
                if (settings.malwareRequired()) {
                    throw new FrostbyteException(
                            ErrorCode.SERVICE_UNAVAILABLE,
                            "The malware scanner could not scan a file ("
                                    + notScanned.reason().wireName() + "); retry later.");
                }
                yield Checked.passed(entry, position, staging, stored.sizeBytes(), sha, type, "skipped", null, null);
            }
        };
    }

    private Optional<String> formatProblem(
            Sniffed sniffed, Manifest.Entry entry, String extension, TenantConfig config) {
        if (sniffed.type().isEmpty()) {
            return Optional.of(
                    sniffed.mimeType().equals("application/x-empty")
                            ? "The file is empty."
                            : "The file's content is not an accepted format.");
        }
        IntakeType type = sniffed.type().get();
        if (!settings.enabledTypes().contains(type.mimeType())) {
            return Optional.of("This deployment does not accept " + type.mimeType() + ".");
        }
        if (!config.mimeAllowlist().contains(type.mimeType())) {
            return Optional.of("This tenant does not accept " + type.mimeType() + ".");
        }
        if (!type.acceptsDeclared(entry.mimeType())) {
            return Optional.of("The declared MIME type does not match the file's content (" + type.mimeType() + ").");
        }
        if (!type.hasExtension(extension)) {
            return Optional.of("The file name's extension does not belong to its content (" + type.mimeType() + ").");
        }
        return Optional.empty();
    }

    // phase B, objects and claims: staging -> raw or quarantine; first file of a content owns its doc_id
    private List<Outcome> store(
            TenantId tenantId,
            Manifest manifest,
            List<Checked> checked,
            Instant receivedAt,
            List<ObjectKey> created,
            List<ClaimedDoc> claims) {
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, Outcome> firstOfContent = new HashMap<>();
        int kek = kekVersion.apply(tenantId);
        for (Checked file : checked) {
            UUID receiptId = Uuid7.random();
            switch (file.status()) {
                case "rejected" -> outcomes.add(new Outcome(file, receiptId, null, false, null, null, 0));
                case "quarantined" -> {
                    ObjectKey target = ObjectKey.quarantine(file.entry().fileId(), file.sha256());
                    move(tenantId, file.staging(), target, created);
                    outcomes.add(new Outcome(file, receiptId, null, false, target.value(), kek, file.size()));
                }
                default -> {
                    String docId = DocId.of(tenantId, file.sha256()).value();
                    Outcome first = firstOfContent.get(docId);
                    if (first != null) {
                        outcomes.add(new Outcome(file, receiptId, docId, true, first.storagePath(), first.kek(), 0));
                        continue;
                    }
                    ObjectKey target = ObjectKey.raw(file.entry().fileId(), file.sha256());
                    Optional<PostgresTenantDocuments.DocumentRow> owner = documents.claim(
                            tenantId,
                            new PostgresTenantDocuments.DocumentRow(
                                    docId,
                                    file.sha256(),
                                    manifest.batchId(),
                                    file.entry().fileId(),
                                    receiptId,
                                    file.entry().filename(),
                                    file.type().mimeType(),
                                    file.size(),
                                    target.value(),
                                    kek,
                                    "ingested",
                                    receivedAt));
                    Outcome outcome;
                    if (owner.isPresent()) {
                        outcome = new Outcome(
                                file,
                                receiptId,
                                docId,
                                true,
                                owner.get().storagePath(),
                                owner.get().kekVersion(),
                                0);
                    } else {
                        claims.add(new ClaimedDoc(docId, receiptId));
                        move(tenantId, file.staging(), target, created);
                        outcome = new Outcome(file, receiptId, docId, false, target.value(), kek, file.size());
                    }
                    firstOfContent.put(docId, outcome);
                    outcomes.add(outcome);
                }
            }
        }
        return outcomes;
    }

    private void move(TenantId tenantId, ObjectKey from, ObjectKey to, List<ObjectKey> created) {
        created.add(to);
        objects.copy(tenantId, from, to);
    }

    // phase B, one control-database transaction: audit events, receipts, parse jobs, batch, files, stream events
    private Submission commit(
            Principal principal,
            TenantId tenantId,
            Manifest manifest,
            List<Outcome> outcomes,
            Instant receivedAt,
            boolean scanning) {
        String actor = AuditEventDraft.user(principal.subject());
        return control.inTransaction(connection -> {
            List<PostgresBatches.NewReceipt> receipts = new ArrayList<>();
            List<BatchFile> files = new ArrayList<>();
            List<Map<String, Object>> receiptSummaries = new ArrayList<>();
            List<Map<String, Object>> rejectedFiles = new ArrayList<>();
            List<Map<String, Object>> quarantinedFiles = new ArrayList<>();
            int accepted = 0;
            int rejected = 0;
            int quarantined = 0;
            int deduplicated = 0;
            for (Outcome outcome : outcomes) {
                Checked file = outcome.file();
                AuditEvent event = audit.append(connection, auditDraft(tenantId, manifest, outcome, actor));
                Map<String, Object> receipt = receipt(tenantId, manifest, outcome, receivedAt, event);
                String receiptJson = signed(receipt);
                receipts.add(new PostgresBatches.NewReceipt(
                        outcome.receiptId(),
                        file.entry().fileId(),
                        file.position(),
                        file.status(),
                        Optional.ofNullable(outcome.docId()),
                        outcome.deduplicated(),
                        outcome.storedBytes(),
                        receiptJson));
                files.add(batchFile(outcome));
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("receipt_id", outcome.receiptId().toString());
                summary.put("file_id", file.entry().fileId());
                summary.put("status", file.status());
                summary.put("doc_id", outcome.docId());
                if (outcome.deduplicated()) {
                    summary.put("deduplicated", true);
                }
                receiptSummaries.add(summary);
                switch (file.status()) {
                    case "rejected" -> {
                        rejected++;
                        rejectedFiles.add(problem(file));
                    }
                    case "quarantined" -> {
                        quarantined++;
                        quarantinedFiles.add(problem(file));
                    }
                    default -> {
                        accepted++;
                        if (outcome.deduplicated()) {
                            deduplicated++;
                        } else {
                            jobs.enqueue(
                                    connection,
                                    new JobRequest(
                                            tenantId,
                                            Stage.PARSE,
                                            "document",
                                            outcome.docId(),
                                            "parse:" + file.sha256() + ":" + settings.parseKey(),
                                            Map.of(
                                                    "batch_id", manifest.batchId(),
                                                    "file_id", file.entry().fileId(),
                                                    "receipt_id",
                                                            outcome.receiptId().toString(),
                                                    "previous_event_id",
                                                            event.eventId().toString())));
                        }
                    }
                }
            }
            SortedMapBuilder details = new SortedMapBuilder()
                    .put("component", COMPONENT)
                    .put("pipeline_version", settings.pipelineVersion())
                    .put("status", "success")
                    .put("file_count", manifest.fileCount())
                    .put("accepted", accepted)
                    .put("rejected", rejected)
                    .put("quarantined", quarantined)
                    .put("deduplicated", deduplicated)
                    .put("manifest_sha256", manifest.sha256())
                    .put(
                            "submitter_sha256",
                            manifest.submitter()
                                    .map(s -> ManifestReader.sha256Hex(s.getBytes(StandardCharsets.UTF_8)))
                                    .orElse(null));
            audit.append(
                    connection,
                    new AuditEventDraft(
                            tenantId,
                            EventType.BATCH_RECEIVED,
                            actor,
                            "batch",
                            manifest.batchId(),
                            Optional.empty(),
                            details.build()));
            Map<String, Object> batchReceipt = new LinkedHashMap<>();
            batchReceipt.put("batch_id", manifest.batchId());
            batchReceipt.put("tenant_id", tenantId.value());
            batchReceipt.put("status", "RECEIVED");
            batchReceipt.put("manifest_sha256", manifest.sha256());
            batchReceipt.put("file_count", manifest.fileCount());
            batchReceipt.put("accepted", accepted);
            batchReceipt.put("rejected", rejected);
            batchReceipt.put("quarantined", quarantined);
            batchReceipt.put("deduplicated", deduplicated);
            batchReceipt.put("receipts", receiptSummaries);
            batchReceipt.put("rejected_files", rejectedFiles);
            batchReceipt.put("quarantined_files", quarantinedFiles);
            batchReceipt.put(
                    "warnings",
                    scanning
                            ? List.of()
                            : List.of(Map.of(
                                    "code",
                                    "MALWARE_SCAN_SKIPPED",
                                    "message",
                                    "No malware scanner answered; the files were stored without a malware scan.")));
            batchReceipt.put("received_at", Json.timestamp(receivedAt));
            batchReceipt.put(
                    "events_url", "/api/v1/ingest/" + tenantId.value() + "/batch/" + manifest.batchId() + "/events");
            String batchReceiptJson = json(batchReceipt);
            batches.insert(
                    connection,
                    new PostgresBatches.NewBatch(
                            tenantId,
                            manifest.batchId(),
                            manifest.sha256(),
                            manifest.fileCount(),
                            manifest.submittedAt(),
                            manifest.submitter(),
                            batchReceiptJson,
                            receivedAt),
                    receipts,
                    files);
            return new Submission(batchReceiptJson, false);
        });
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a batch receipt is not serializable", e);
        }
    }

    private AuditEventDraft auditDraft(TenantId tenantId, Manifest manifest, Outcome outcome, String actor) {
        Checked file = outcome.file();
        SortedMapBuilder details = new SortedMapBuilder()
                .put("component", COMPONENT)
                .put("pipeline_version", settings.pipelineVersion())
                .put("file_id", file.entry().fileId())
                .put("batch_id", manifest.batchId());
        EventType type;
        switch (file.status()) {
            case "rejected" -> {
                type = EventType.DOCUMENT_REJECTED;
                details.put("status", "failure")
                        .put("reason", file.reason())
                        .put("failed_check", file.failedCheck())
                        .put("declared_mime_type", file.entry().mimeType())
                        .put("mime_type", file.sniffedMime().orElse(null));
            }
            case "quarantined" -> {
                type = EventType.DOCUMENT_QUARANTINED;
                details.put("status", "quarantined")
                        .put("reason", "MALWARE_DETECTED")
                        .put("scan_engine", file.scanEngine())
                        .put("scan_threat", file.scanThreat())
                        .put("sha256", file.sha256());
            }
            default -> {
                type = EventType.DOCUMENT_INGESTED;
                details.put("status", "success")
                        .put("input_hash", "sha256:" + file.sha256())
                        .put("output_hash", "sha256:" + file.sha256())
                        .put("doc_id", outcome.docId())
                        .put("sha256", file.sha256())
                        .put("mime_type", file.type().mimeType())
                        .put("size_bytes", file.size())
                        .put("scan_result", file.scanResult())
                        .put("kek_version", outcome.kek())
                        .put("deduplicated", outcome.deduplicated());
            }
        }
        return new AuditEventDraft(
                tenantId, type, actor, "file", outcome.receiptId().toString(), Optional.empty(), details.build());
    }

    private Map<String, Object> receipt(
            TenantId tenantId, Manifest manifest, Outcome outcome, Instant receivedAt, AuditEvent event) {
        Checked file = outcome.file();
        boolean sizeRejected = "size".equals(file.failedCheck());
        Map<String, Object> receipt = new TreeMap<>();
        receipt.put("receipt_id", outcome.receiptId().toString());
        receipt.put("tenant_id", tenantId.value());
        receipt.put("batch_id", manifest.batchId());
        receipt.put("file_id", file.entry().fileId());
        receipt.put("original_filename", file.entry().filename());
        receipt.put("declared_mime_type", file.entry().mimeType());
        receipt.put("mime_type", file.sniffedMime().orElse(null));
        receipt.put("size_bytes", file.size());
        receipt.put("sha256", sizeRejected ? null : file.sha256());
        receipt.put("scan_result", file.scanResult());
        receipt.put("scan_engine", file.scanEngine());
        receipt.put("scan_threat", file.scanThreat());
        receipt.put("status", file.status());
        receipt.put("reason", file.reason());
        receipt.put("message", file.message());
        receipt.put("doc_id", outcome.docId());
        receipt.put("deduplicated", outcome.deduplicated());
        receipt.put("storage_path", outcome.storagePath());
        receipt.put("kek_version", outcome.kek());
        receipt.put("received_at", Json.timestamp(receivedAt));
        receipt.put("audit_event_id", event.eventId().toString());
        return receipt;
    }

    // the receipt with its Ed25519 signature over the JCS form of everything else
    private String signed(Map<String, Object> receipt) {
        SignatureValue signature = signer.sign(CanonicalJson.write(receipt).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> withSignature = new TreeMap<>(receipt);
        withSignature.put(
                "signature", Map.of("alg", signature.alg(), "key_id", signature.keyId(), "value", signature.value()));
        return CanonicalJson.write(withSignature);
    }

    private static BatchFile batchFile(Outcome outcome) {
        Checked file = outcome.file();
        Map<PipelineStage, StageState> stages = new EnumMap<>(PipelineStage.class);
        FileStatus status;
        Optional<BatchFile.FileError> error = Optional.empty();
        StageState later = StageState.SKIPPED;
        switch (file.status()) {
            case "rejected" -> {
                status = FileStatus.REJECTED;
                stages.put(PipelineStage.INTAKE, StageState.FAILED);
                error = Optional.of(new BatchFile.FileError(PipelineStage.INTAKE, file.reason(), file.message()));
            }
            case "quarantined" -> {
                status = FileStatus.QUARANTINED;
                stages.put(PipelineStage.INTAKE, StageState.QUARANTINED);
                error = Optional.of(new BatchFile.FileError(PipelineStage.INTAKE, file.reason(), file.message()));
            }
            default -> {
                status = outcome.deduplicated() ? FileStatus.DEDUPLICATED : FileStatus.QUEUED;
                stages.put(PipelineStage.INTAKE, StageState.COMPLETED);
                later = outcome.deduplicated() ? StageState.SKIPPED : StageState.QUEUED;
            }
        }
        for (PipelineStage stage : PipelineStage.values()) {
            stages.putIfAbsent(stage, later);
        }
        return new BatchFile(
                file.position(),
                file.entry().fileId(),
                outcome.receiptId(),
                file.entry().filename(),
                Optional.ofNullable(outcome.docId()),
                status,
                stages,
                error,
                0,
                Optional.empty());
    }

    private static Map<String, Object> problem(Checked file) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("file_id", file.entry().fileId());
        problem.put("reason", file.reason());
        problem.put("message", file.message());
        return problem;
    }

    private Submission replayOrConflict(PostgresBatches.StoredBatch stored, Manifest manifest) {
        if (stored.manifestSha256().equals(manifest.sha256())) {
            return new Submission(stored.batchReceipt(), true);
        }
        throw new FrostbyteException(
                ErrorCode.BATCH_ALREADY_EXISTS,
                "This tenant already has a batch with this batch_id and another manifest.",
                List.of(new ErrorDetail("batch_id", manifest.batchId(), "unused by the tenant")));
    }

    private void cleanUp(TenantId tenantId, List<ObjectKey> created, List<ClaimedDoc> claims, boolean committed) {
        for (ObjectKey key : List.copyOf(created)) {
            if (committed && !key.area().equals("staging")) {
                continue;
            }
            try {
                objects.delete(tenantId, key);
            } catch (RuntimeException e) {
                LOG.warn(
                        "intake cleanup could not delete an object: tenant_id={} area={} exception_class={}",
                        tenantId.value(),
                        key.area(),
                        e.getClass().getName());
            }
        }
        created.clear();
        if (!committed) {
            for (ClaimedDoc claim : claims) {
                try {
                    documents.release(tenantId, claim.docId(), claim.receiptId());
                } catch (RuntimeException e) {
                    LOG.warn(
                            "intake cleanup could not release a document claim: tenant_id={} doc_id={}",
                            tenantId.value(),
                            claim.docId());
                }
            }
        }
        claims.clear();
    }

    private void requireActive(TenantId tenantId) {
        TenantState state = liveStatus.apply(tenantId).map(TenantStatus::state).orElse(TenantState.DEPROVISIONED);
        if (state != TenantState.ACTIVE) {
            throw new FrostbyteException(
                    ErrorCode.TENANT_SUSPENDED, "The tenant was suspended while the batch was received.");
        }
    }

    private boolean scannerAnswers() {
        return scanner.isPresent() && scanner.get().ping();
    }

    private String scannerVersion() {
        try {
            return scanner.orElseThrow().version();
        } catch (FrostbyteException e) {
            return null;
        }
    }

    private static byte[] readManifest(MultipartInput multipart) {
        try {
            InputStream in = multipart.newInputStream();
            byte[] bytes = in.readNBytes(ManifestReader.MAX_MANIFEST_BYTES + 1);
            if (bytes.length > ManifestReader.MAX_MANIFEST_BYTES) {
                throw tooLarge("manifest", "at most 10 MB"); // the rest is never read
            }
            in.close();
            return bytes;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /**
     * The next part's headers, or a part with an empty name when the body has no more parts.
     *
     * @param afterPreamble whether the first boundary was just consumed by {@code skipPreamble}
     */
    private static Part nextPart(MultipartInput multipart, boolean afterPreamble) {
        try {
            if (!afterPreamble && !multipart.readBoundary()) {
                return new Part("", Optional.empty());
            }
            String headers = multipart.readHeaders();
            return Part.parse(headers);
        } catch (IOException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            if (e instanceof FrostbyteException frostbyte) {
                throw frostbyte;
            }
            throw malformed(e);
        }
    }

    private static byte[] boundary(String contentType) {
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new FrostbyteException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "A batch must be sent as multipart/form-data.");
        }
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        String boundary = parser.parse(contentType, new char[] {';', ','}).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new FrostbyteException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The multipart/form-data content type has no valid boundary.");
        }
        return boundary.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static FrostbyteException malformed(Throwable cause) {
        return new FrostbyteException(
                ErrorCode.MANIFEST_INVALID,
                "The multipart body is malformed or ended early.",
                List.of(new ErrorDetail("body", null, "a complete multipart/form-data body")),
                cause);
    }

    private static FrostbyteException invalid(String field, String rule) {
        return new FrostbyteException(
                ErrorCode.MANIFEST_INVALID,
                "The request does not match its manifest.",
                List.of(new ErrorDetail(field, null, rule)));
    }

    private static FrostbyteException countMismatch(int expected, int parts) {
        return new FrostbyteException(
                ErrorCode.MANIFEST_FILE_COUNT_MISMATCH,
                "The manifest lists " + expected + " files but the request "
                        + (parts > expected ? "has more file parts." : "has " + parts + " file parts."),
                List.of(new ErrorDetail("file_count", expected, "equal to the number of file parts")));
    }

    private static FrostbyteException tooLarge(String field, String rule) {
        return new FrostbyteException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The batch exceeds a size limit.",
                List.of(new ErrorDetail(field, null, rule)));
    }

    /** A part's form-field name and optional filename, from its Content-Disposition header. */
    private record Part(String name, Optional<String> filename) {
        static Part parse(String headers) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                    ParameterParser parser = new ParameterParser();
                    parser.setLowerCaseNames(true);
                    Map<String, String> params = parser.parse(line.substring(colon + 1), ';');
                    String name = params.get("name");
                    String filename =
                            params.containsKey("filename*") ? params.get("filename*") : params.get("filename");
                    return new Part(name == null ? "?" : name, Optional.ofNullable(filename));
                }
            }
            return new Part("?", Optional.empty());
        }
    }

    private record ClaimedDoc(String docId, UUID receiptId) {}

    /** A file after the checks of spec/01 §1.3 steps 1–4. */
    private record Checked(
            Manifest.Entry entry,
            int position,
            ObjectKey staging,
            long size,
            String sha256,
            String status,
            IntakeType type,
            Optional<String> sniffedMime,
            String scanResult,
            String scanEngine,
            String scanThreat,
            String reason,
            String failedCheck,
            String message) {
        static Checked rejected(
                Manifest.Entry entry,
                int position,
                ObjectKey staging,
                long size,
                String sha256,
                Optional<String> sniffedMime,
                String reason,
                String failedCheck,
                String message) {
            return new Checked(
                    entry,
                    position,
                    staging,
                    size,
                    sha256,
                    "rejected",
                    null,
                    sniffedMime,
                    null,
                    null,
                    null,
                    reason,
                    failedCheck,
                    message);
        }

        static Checked passed(
                Manifest.Entry entry,
                int position,
                ObjectKey staging,
                long size,
                String sha256,
                IntakeType type,
                String scanResult,
                String scanEngine,
                String scanThreat) {
            return new Checked(
                    entry,
                    position,
                    staging,
                    size,
                    sha256,
                    "accepted",
                    type,
                    Optional.of(type.mimeType()),
                    scanResult,
                    scanEngine,
                    scanThreat,
                    null,
                    null,
                    null);
        }

        static Checked quarantined(
                Manifest.Entry entry,
                int position,
                ObjectKey staging,
                long size,
                String sha256,
                IntakeType type,
                String scanEngine,
                String threat) {
            return new Checked(
                    entry,
                    position,
                    staging,
                    size,
                    sha256,
                    "quarantined",
                    type,
                    Optional.of(type.mimeType()),
                    "quarantined",
                    scanEngine,
                    threat,
                    "MALWARE_DETECTED",
                    null,
                    "The malware scanner found a threat; the file is quarantined and will not be processed.");
        }
    }

    /** A file after phase B's storage step. */
    private record Outcome(
            Checked file,
            UUID receiptId,
            String docId,
            boolean deduplicated,
            String storagePath,
            Integer kek,
            long storedBytes) {
        String fileStatus() {
            return deduplicated ? "deduplicated" : file.status();
        }

        String reason() {
            return file.reason() == null ? "none" : file.reason();
        }
    }

    /** A details map for audit drafts. */
    private static final class SortedMapBuilder {
        private final java.util.SortedMap<String, Object> map = new TreeMap<>();

        SortedMapBuilder put(String key, Object value) {
            map.put(key, value);
            return this;
        }

        java.util.SortedMap<String, Object> build() {
            return map;
        }
    }
}
