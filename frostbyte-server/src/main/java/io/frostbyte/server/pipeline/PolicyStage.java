package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.chunk.Chunk;
import io.frostbyte.core.chunk.ChunkingParameters;
import io.frostbyte.core.document.Block;
import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.document.DocumentParser;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.Stage;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.policy.Chunker;
import io.frostbyte.policy.Classification;
import io.frostbyte.policy.DocumentClassifier;
import io.frostbyte.policy.DocumentPiiGate;
import io.frostbyte.policy.InjectionAction;
import io.frostbyte.policy.InjectionCategory;
import io.frostbyte.policy.InjectionScorer;
import io.frostbyte.policy.InjectionVerdict;
import io.frostbyte.policy.PiiDetector;
import io.frostbyte.policy.PiiPolicy;
import io.frostbyte.policy.PiiType;
import io.frostbyte.policy.PrototypeClassifier;
import io.frostbyte.postgres.BatchFile;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.PostgresTenantDocuments.DocumentRow;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The policy stage (spec/03): chunk → PII → injection → classification → persist, before anything is embedded. The
 * canonical document is the one the parse stage of this node left for it ({@link Handoff}, by the SHA-256 the parse
 * stage recorded), else read back from the structured.json the parse stage stored (parsed again from the raw object
 * only when that is missing; either way it must hash to what the parse stage recorded, else the job fails); PII of the
 * tenant's types is detected once over the whole canonical text and mapped to the chunks ({@link DocumentPiiGate}),
 * then redacted, flagged or blocks the whole document by the tenant's policy, with originals only in
 * {@code redactions/{doc_id}.json}; the injection gate flags
 * or quarantines chunks (or the document); classification runs last over text that passed the gates. The enriched
 * chunk set replaces any earlier one, each chunk stamped with the configuration version the job started with (POL-2)
 * and its lineage; events carry type names, counts, scores and hashes only.
 */
public final class PolicyStage implements JobHandler {
    static final String COMPONENT = "policy-worker";
    /** The policy version in idempotency keys and lineage. */
    public static final String VERSION = "fb-policy/1.0.0";

    private final StageContext context;
    private final DocumentParser parser;
    private final ParseLimits limits;
    private final DocumentClassifier classifier;
    private final io.frostbyte.postgres.PostgresReviews reviews;
    private final CpuWork cpu;
    private final EmbeddingModel classifierModel;
    private final Handoff<CanonicalDocument> documents;
    private final Handoff<EmbedStage.HeldVector> vectors;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    /**
     * @param classifierModel the model {@code classifier}'s prototypes were embedded with
     * @param documents the canonical documents the parse stage left, by the SHA-256 of their {@code structured.json}
     * @param vectors where the prototype step's vector is left for the embed stage when it is a chunk's vector too
     */
    PolicyStage(
            StageContext context,
            DocumentParser parser,
            ParseLimits limits,
            DocumentClassifier classifier,
            io.frostbyte.postgres.PostgresReviews reviews,
            CpuWork cpu,
            EmbeddingModel classifierModel,
            Handoff<CanonicalDocument> documents,
            Handoff<EmbedStage.HeldVector> vectors,
            io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = requireNonNull(meters, "meters is null");
        this.cpu = requireNonNull(cpu, "cpu is null");
        this.classifierModel = requireNonNull(classifierModel, "classifierModel is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.vectors = requireNonNull(vectors, "vectors is null");
        this.reviews = requireNonNull(reviews, "reviews is null");
        this.context = requireNonNull(context, "context is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.classifier = requireNonNull(classifier, "classifier is null");
    }

    /** {@code frostbyte_policy_gate_duration_seconds{gate}}: one gate's work on one document (chunking with PII). */
    private void gateTime(TenantId tenantId, String gate, long startedNanos) {
        io.micrometer.core.instrument.Timer.builder("frostbyte.policy.gate.duration")
                .description("Policy gate time per document")
                .tag("tenant_id", tenantId.value())
                .tag("gate", gate)
                .register(meters)
                .record(java.time.Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /**
     * {@code frostbyte_policy_documents_total{source}}: where the policy stage got a document's canonical form: {@code
     * parse} (this node's parse stage left it), {@code stored} (structured.json read back) or {@code reparsed}.
     */
    private void documentSource(TenantId tenantId, String source) {
        io.micrometer.core.instrument.Counter.builder("frostbyte.policy.documents")
                .description("Documents through the policy stage by where their canonical form came from")
                .tag("tenant_id", tenantId.value())
                .tag("source", source)
                .register(meters)
                .increment();
    }

    @Override
    public void handle(Job job) {
        long started = System.nanoTime();
        TenantId tenantId = job.tenantId();
        String docId = job.resourceId();
        DocumentRow row = context.documents()
                .find(tenantId, docId)
                .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "document row is missing"));
        TenantRecord tenant = context.tenant(tenantId);
        TenantConfig config = tenant.config();
        context.processing(tenantId, docId, PipelineStage.POLICY);
        try {
            run(job, row, tenant, started);
        } catch (RuntimeException e) {
            if (StageContext.lastAttempt(job)) {
                quarantineOnFailure(job, started);
            }
            throw e instanceof FrostbyteException
                    ? e
                    : new FrostbyteException(ErrorCode.POLICY_FAILED, "policy gate failed", e);
        }
    }

    private void run(Job job, DocumentRow row, TenantRecord tenant, long started) {
        // POL-2: the configuration current at the job's start, for every gate and stamped on every chunk
        TenantConfig config = tenant.config();
        int configVersion = tenant.configVersion();
        TenantId tenantId = job.tenantId();
        String docId = job.resourceId();
        String expected = job.payload().get("structured_sha256");
        // computing runs on the CPU pool, the stores' I/O on the job's own thread (see CpuWork)
        Structured structured =
                handedOver(tenantId, docId, expected).orElseGet(() -> cpu.call(() -> structured(tenantId, docId, row)));
        documentSource(tenantId, structured.source());
        CanonicalDocument document = structured.document();
        String structuredSha = structured.sha256();
        if (expected != null && !expected.equals(structuredSha)) {
            throw new FrostbyteException(
                    ErrorCode.POLICY_FAILED, "the rebuilt document differs from the parsed one (parser changed)");
        }
        ChunkingParameters parameters = new ChunkingParameters(
                config.chunkMaxChars(),
                config.chunkNewAfterChars(),
                config.chunkCombineUnderChars(),
                config.chunkOverlapChars());
        // PII gate: detection once over the whole canonical text (document-level offsets), then mapped to the chunks
        Set<PiiType> enabled = EnumSet.noneOf(PiiType.class);
        for (String type : config.piiTypes()) {
            enabled.add(PiiType.valueOf(type));
        }
        long piiStarted = System.nanoTime();
        DocumentPiiGate.Result piiGate = cpu.call(() -> DocumentPiiGate.apply(
                new PiiDetector(config.piiAllowlist()),
                document.canonicalText(),
                new Chunker(parameters).chunk(document),
                PiiPolicy.fromConfig(config.piiPolicy().toLowerCase(Locale.ROOT)),
                enabled));
        gateTime(tenantId, "pii", piiStarted);
        Map<String, Long> typeCounts = new TreeMap<>();
        piiGate.counts().forEach((type, count) -> typeCounts.put(type.name(), count.longValue()));
        String piiAction = piiGate.documentAction().wireValue();
        if (piiGate.blocked()) {
            blocked(job, typeCounts, structuredSha, started);
            return;
        }
        List<Chunk> afterPii = piiGate.finalChunks();
        if (!piiGate.redacted().isEmpty()) {
            List<Map<String, Object>> originals = new ArrayList<>();
            for (DocumentPiiGate.RedactedSpan redacted : piiGate.redacted()) {
                Map<String, Object> span = new LinkedHashMap<>();
                span.put("type", redacted.type().name());
                span.put("start_char", redacted.startChar());
                span.put("end_char", redacted.endChar());
                span.put("chunk_ids", redacted.chunkIds());
                span.put("original", redacted.original());
                originals.add(span);
            }
            Map<String, Object> redactions = new LinkedHashMap<>();
            redactions.put("doc_id", docId);
            redactions.put("detector_version", PiiDetector.VERSION);
            redactions.put("config_version", configVersion);
            redactions.put("spans", originals);
            byte[] bytes = CanonicalJson.write(redactions).getBytes(StandardCharsets.UTF_8);
            context.objects().put(tenantId, ObjectKey.redactions(docId), new ByteArrayInputStream(bytes), bytes.length);
        }
        String lineage = lineage(document, parameters, configVersion);

        // injection gate
        InjectionScorer scorer =
                new InjectionScorer(config.injectionFlagThreshold(), config.injectionQuarantineThreshold());
        long injectionStarted = System.nanoTime();
        List<InjectionVerdict> verdicts = cpu.call(
                () -> afterPii.stream().map(chunk -> scorer.score(chunk.text())).toList());
        gateTime(tenantId, "injection", injectionStarted);
        boolean documentQuarantine = config.injectionPerDocumentQuarantine()
                && verdicts.stream().anyMatch(verdict -> verdict.action() == InjectionAction.QUARANTINE);

        // classification over text that passed both gates
        String passedText = passedText(afterPii, verdicts);
        long classificationStarted = System.nanoTime();
        Classification classification = cpu.call(() -> {
            List<Embedding> prototypeInput = new ArrayList<>(1);
            Classification result = classifier.classify(
                    row.originalFilename(),
                    firstHeading(document),
                    document.canonicalText(),
                    passedText,
                    config.classificationThreshold(),
                    config.classificationReviewEnabled(),
                    texts -> {
                        List<Embedding> made = classifierModel.embedDocuments(texts);
                        prototypeInput.addAll(made);
                        return made.stream().map(Embedding::vector).toArray(float[][]::new);
                    });
            if (!documentQuarantine && prototypeInput.size() == 1) {
                offerFirstPassedChunk(tenantId, docId, afterPii, verdicts, passedText, prototypeInput.getFirst());
            }
            return result;
        });
        gateTime(tenantId, "classification", classificationStarted);
        String label = classification.label().wireName();
        String status = classification.needsReview() ? "pending_review" : "final";

        List<ChunkRow> rows = new ArrayList<>();
        int quarantined = 0;
        int flagged = 0;
        double maxScore = 0;
        for (int i = 0; i < afterPii.size(); i++) {
            Chunk chunk = afterPii.get(i);
            InjectionVerdict verdict = verdicts.get(i);
            maxScore = Math.max(maxScore, verdict.score());
            String chunkStatus = documentQuarantine || verdict.action() == InjectionAction.QUARANTINE
                    ? "quarantined"
                    : verdict.action() == InjectionAction.FLAG ? "flagged" : "active";
            quarantined += chunkStatus.equals("quarantined") ? 1 : 0;
            flagged += chunkStatus.equals("flagged") ? 1 : 0;
            DocumentPiiGate.ChunkPii chunkPii = piiGate.chunks().get(i);
            String piiTypes = chunkPii.typesFound().stream().map(PiiType::name).collect(Collectors.joining(","));
            rows.add(new ChunkRow(
                    chunk.chunkId(),
                    docId,
                    i,
                    chunk.page(),
                    chunk.pageEnd(),
                    chunk.startChar(),
                    chunk.endChar(),
                    chunk.elementType(),
                    Optional.ofNullable(chunk.sectionTitle()),
                    chunk.text(),
                    chunk.textSha256(),
                    chunkStatus,
                    piiTypes,
                    chunkPii.actionTaken().wireValue(),
                    score(verdict.score()),
                    verdict.categories().stream()
                            .map(InjectionCategory::wireName)
                            .sorted()
                            .collect(Collectors.joining(",")),
                    Optional.of(label),
                    Optional.empty(),
                    Optional.empty(),
                    new ChunkRow.Enrichment(
                            chunk.sectionPath(),
                            chunk.headingLevel(),
                            chunk.headerRepeated(),
                            chunk.oversize(),
                            chunkPii.scanResult().wireValue(),
                            documentQuarantine
                                    ? InjectionAction.QUARANTINE.wireValue()
                                    : verdict.action().wireValue(),
                            Optional.of(score(classification.confidence())),
                            Optional.of(status),
                            Optional.of(classification.classifierVersion()),
                            false,
                            Optional.of(configVersion),
                            Optional.of(lineage))));
        }
        boolean allQuarantined = quarantined == rows.size();
        context.store()
                .replaceChunks(
                        tenantId,
                        docId,
                        rows,
                        Optional.of(label),
                        Optional.of(score(classification.confidence())),
                        Optional.of(status),
                        Optional.of(classification.classifierVersion()),
                        String.join(",", typeCounts.keySet()),
                        allQuarantined ? "quarantined" : "policy_passed",
                        context.clock().instant());
        int finalQuarantined = quarantined;
        int finalFlagged = flagged;
        double finalMax = maxScore;
        String finalChunkSet = chunkSetHash(rows, true, true);
        context.inTransaction(connection -> {
            Map<String, Object> pii = new LinkedHashMap<>();
            pii.put("gate", "pii");
            pii.put("input_hash", "sha256:" + structuredSha);
            pii.put("output_hash", "sha256:" + chunkSetHash(rows, false, false));
            pii.put("chunker_version", Chunker.VERSION);
            pii.put("chunk_count", rows.size());
            pii.put("pii_types_found", List.copyOf(typeCounts.keySet()));
            pii.put("pii_action_taken", piiAction);
            StageContext.PendingEvent piiEvent = context.event(
                    connection,
                    job,
                    EventType.POLICY_GATE_PASSED,
                    COMPONENT,
                    started,
                    "success",
                    StageContext.previous(job),
                    pii);
            if (!typeCounts.isEmpty()) {
                Map<String, Object> detected = new LinkedHashMap<>();
                detected.put("pii_types", List.copyOf(typeCounts.keySet()));
                detected.put("counts", new TreeMap<String, Object>(typeCounts));
                detected.put("action", piiAction);
                context.event(
                        connection,
                        job,
                        EventType.PII_DETECTED,
                        COMPONENT,
                        started,
                        "success",
                        Optional.of(piiEvent.eventId()),
                        detected);
            }
            Map<String, Object> injection = new LinkedHashMap<>();
            injection.put("gate", "injection");
            injection.put("input_hash", pii.get("output_hash"));
            injection.put("output_hash", "sha256:" + chunkSetHash(rows, true, false));
            injection.put("max_score", score(finalMax));
            injection.put("chunks_flagged", finalFlagged);
            injection.put("chunks_quarantined", finalQuarantined);
            StageContext.PendingEvent injectionEvent = context.event(
                    connection,
                    job,
                    EventType.POLICY_GATE_PASSED,
                    COMPONENT,
                    started,
                    "success",
                    Optional.of(piiEvent.eventId()),
                    injection);
            for (ChunkRow chunk : rows) {
                if (chunk.quarantined()) {
                    Map<String, Object> side = new LinkedHashMap<>();
                    side.put("reason", "INJECTION_HIGH_SCORE");
                    side.put("chunk_id", chunk.chunkId());
                    side.put("injection_score", chunk.injectionScore());
                    side.put(
                            "injection_patterns_matched",
                            chunk.injectionCategories().isEmpty()
                                    ? List.of()
                                    : List.of(chunk.injectionCategories().split(",")));
                    context.event(
                            connection,
                            job,
                            EventType.DOCUMENT_QUARANTINED,
                            COMPONENT,
                            started,
                            "quarantined",
                            Optional.of(injectionEvent.eventId()),
                            side);
                }
            }
            Map<String, Object> classified = new LinkedHashMap<>();
            classified.put("gate", "classification");
            classified.put("input_hash", injection.get("output_hash"));
            classified.put("output_hash", "sha256:" + finalChunkSet);
            classified.put("classification", label);
            classified.put("confidence", score(classification.confidence()));
            classified.put("classifier_version", classification.classifierVersion());
            classified.put("classification_status", status);
            StageContext.PendingEvent classificationEvent = context.event(
                    connection,
                    job,
                    EventType.POLICY_GATE_PASSED,
                    COMPONENT,
                    started,
                    "success",
                    Optional.of(injectionEvent.eventId()),
                    classified);
            if (classification.needsReview()) {
                reviews.open(
                        connection,
                        io.frostbyte.core.Uuid7.random(),
                        job.tenantId(),
                        docId,
                        label,
                        CanonicalJson.write(classification.candidates().stream()
                                .map(candidate -> Map.<String, Object>of(
                                        "label", candidate.label().wireName(),
                                        "confidence", score(candidate.confidence())))
                                .toList()),
                        classification.classifierVersion(),
                        context.clock().instant());
            }
            if (allQuarantined) {
                context.stageChanged(
                        connection,
                        job.tenantId(),
                        docId,
                        PipelineStage.POLICY,
                        StageState.QUARANTINED,
                        Optional.of(new BatchFile.FileError(
                                PipelineStage.POLICY,
                                "INJECTION_HIGH_SCORE",
                                "Every chunk of the document was quarantined by the injection gate.")));
            } else {
                context.stageChanged(
                        connection,
                        job.tenantId(),
                        docId,
                        PipelineStage.POLICY,
                        StageState.COMPLETED,
                        Optional.empty());
                Map<String, String> payload = new LinkedHashMap<>(job.payload());
                payload.put("previous_event_id", classificationEvent.eventId().toString());
                payload.put("chunk_set_sha256", finalChunkSet);
                context.jobs()
                        .enqueue(
                                connection,
                                new JobRequest(
                                        job.tenantId(),
                                        Stage.EMBED,
                                        "document",
                                        docId,
                                        "embed:" + finalChunkSet,
                                        payload,
                                        Optional.of(job.dueAt())));
            }
            context.jobs().complete(connection, job);
            return null;
        });
    }

    /**
     * The parsed document, the SHA-256 of its {@code structured.json} bytes and where it came from ({@code parse},
     * {@code stored}, {@code reparsed}).
     */
    private record Structured(CanonicalDocument document, String sha256, String source) {}

    /**
     * The canonical document this node's parse stage left when it stored the {@code structured.json} that hashes to
     * {@code expected}: the very document that reading those bytes back gives (reading is the exact inverse of
     * writing), without decrypting and reading them.
     */
    private Optional<Structured> handedOver(TenantId tenantId, String docId, String expected) {
        return expected == null
                ? Optional.empty()
                : documents
                        .take(tenantId, docId, expected)
                        .map(document -> new Structured(document, expected, "parse"));
    }

    /**
     * The canonical document the parse stage stored, hashed as its bytes were stored (no second serialization), or
     * the raw object parsed again when {@code structured.json} is missing.
     */
    private Structured structured(TenantId tenantId, String docId, DocumentRow row) {
        Optional<byte[]> stored = ParseStage.readStructuredBytes(tenantId, docId, context);
        if (stored.isPresent()) {
            return new Structured(
                    CanonicalDocumentJson.read(new String(stored.get(), StandardCharsets.UTF_8)),
                    StageContext.sha256(stored.get()),
                    "stored");
        }
        CanonicalDocument document = switch (ParseStage.parse(tenantId, row, parser, limits, context)) {
            case ParseOutcome.Parsed parsed -> parsed.document();
            case ParseOutcome.Failed failed ->
                throw new FrostbyteException(
                        ErrorCode.POLICY_FAILED, "the document no longer parses (" + failed.code() + ")");
        };
        return new Structured(
                document,
                StageContext.sha256(CanonicalDocumentJson.write(document).getBytes(StandardCharsets.UTF_8)),
                "reparsed");
    }

    private void blocked(Job job, Map<String, Long> typeCounts, String structuredSha, long started) {
        context.store()
                .status(
                        job.tenantId(),
                        job.resourceId(),
                        "quarantined",
                        context.clock().instant());
        context.inTransaction(connection -> {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("gate", "pii");
            failed.put("input_hash", "sha256:" + structuredSha);
            failed.put("pii_types_found", List.copyOf(typeCounts.keySet()));
            failed.put("pii_action_taken", "blocked");
            StageContext.PendingEvent gate = context.event(
                    connection,
                    job,
                    EventType.POLICY_GATE_FAILED,
                    COMPONENT,
                    started,
                    "failure",
                    StageContext.previous(job),
                    failed);
            context.event(
                    connection,
                    job,
                    EventType.DOCUMENT_QUARANTINED,
                    COMPONENT,
                    started,
                    "quarantined",
                    Optional.of(gate.eventId()),
                    Map.of("reason", "PII_BLOCK_POLICY"));
            context.stageChanged(
                    connection,
                    job.tenantId(),
                    job.resourceId(),
                    PipelineStage.POLICY,
                    StageState.QUARANTINED,
                    Optional.of(new BatchFile.FileError(
                            PipelineStage.POLICY,
                            "PII_BLOCK_POLICY",
                            "The document contains personal data this tenant's policy blocks.")));
            context.jobs().complete(connection, job);
            return null;
        });
    }

    private void quarantineOnFailure(Job job, long started) {
        try {
            context.store()
                    .status(
                            job.tenantId(),
                            job.resourceId(),
                            "quarantined",
                            context.clock().instant());
            context.inTransaction(connection -> {
                context.event(
                        connection,
                        job,
                        EventType.DOCUMENT_QUARANTINED,
                        COMPONENT,
                        started,
                        "quarantined",
                        StageContext.previous(job),
                        Map.of("reason", "POLICY_FAILED"));
                context.stageChanged(
                        connection,
                        job.tenantId(),
                        job.resourceId(),
                        PipelineStage.POLICY,
                        StageState.QUARANTINED,
                        Optional.of(new BatchFile.FileError(
                                PipelineStage.POLICY, "POLICY_FAILED", "A policy gate could not run.")));
                return null;
            });
        } catch (RuntimeException ignored) {
            // the job still fails and is dead-lettered; the next retry of the dead letter repeats this
        }
    }

    /** A score as an exact decimal string (scores never enter canonical JSON as floating point). */
    static String score(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * The chunk lineage of spec/03 §3.6 as canonical JSON: {@code raw_sha256, parser_version, chunker_version,
     * chunker_params, policy_version, config_version}.
     */
    static String lineage(CanonicalDocument document, ChunkingParameters parameters, int configVersion) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("max", parameters.maxChars());
        params.put("new_after", parameters.newAfterChars());
        params.put("combine_under", parameters.combineUnderChars());
        params.put("overlap", parameters.overlapChars());
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("raw_sha256", document.lineage().rawSha256());
        lineage.put("parser_version", document.lineage().parserVersion());
        lineage.put("chunker_version", Chunker.VERSION);
        lineage.put("chunker_params", params);
        lineage.put("policy_version", VERSION);
        lineage.put("config_version", configVersion);
        return CanonicalJson.write(lineage);
    }

    /**
     * Leaves the prototype step's vector for the embed stage when the classifier's input and the first chunk that
     * passed the gates are the same model input (the chunk is the whole passed text, or both are cut to the window at
     * the same token), so the embed stage does not embed that chunk again (see {@link Handoff}).
     */
    private void offerFirstPassedChunk(
            TenantId tenantId,
            String docId,
            List<Chunk> chunks,
            List<InjectionVerdict> verdicts,
            String passedText,
            Embedding prototypeInput) {
        for (int i = 0; i < chunks.size(); i++) {
            if (verdicts.get(i).action() != InjectionAction.QUARANTINE) {
                Chunk first = chunks.get(i);
                if (classifierModel.sameDocumentInput(PrototypeClassifier.input(passedText), first.text())) {
                    vectors.offer(
                            tenantId,
                            docId,
                            first.textSha256(),
                            new EmbedStage.HeldVector(classifierModel, prototypeInput),
                            1);
                }
                return;
            }
        }
    }

    private static String passedText(List<Chunk> chunks, List<InjectionVerdict> verdicts) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks.size() && text.length() < 4000; i++) {
            if (verdicts.get(i).action() != InjectionAction.QUARANTINE) {
                text.append(chunks.get(i).text()).append('\n');
            }
        }
        return text.toString();
    }

    private static String firstHeading(CanonicalDocument document) {
        return document.blocks().stream()
                .filter(block -> block.type() == BlockType.HEADING)
                .map(Block::text)
                .findFirst()
                .orElse("");
    }

    /** sha256 of the JCS array of {chunk_id, text_sha256, metadata, offsets} sorted by chunk id (spec/06 §6.3). */
    static String chunkSetHash(List<ChunkRow> rows, boolean withInjection, boolean withClassification) {
        List<Object> items = new ArrayList<>();
        for (ChunkRow row :
                rows.stream().sorted(Comparator.comparing(ChunkRow::chunkId)).toList()) {
            Map<String, Object> metadata = new TreeMap<>();
            metadata.put("pii_types", row.piiTypes());
            metadata.put("pii_action_taken", row.piiAction());
            if (withInjection) {
                metadata.put("injection_score", row.injectionScore());
                metadata.put("status", row.status());
            }
            if (withClassification) {
                metadata.put("classification", row.classification().orElse(null));
            }
            Map<String, Object> item = new TreeMap<>();
            item.put("chunk_id", row.chunkId());
            item.put("text_sha256", row.textSha256());
            item.put("metadata", metadata);
            item.put("offsets", List.of(row.startChar(), row.endChar()));
            items.add(item);
        }
        return StageContext.sha256(CanonicalJson.write(items));
    }
}
