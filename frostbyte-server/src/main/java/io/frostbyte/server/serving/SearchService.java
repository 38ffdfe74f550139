package io.frostbyte.server.serving;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.answer.AnswerModel;
import io.frostbyte.core.answer.AnswerRequest;
import io.frostbyte.core.answer.AnswerSettings;
import io.frostbyte.core.answer.CheckedAnswer;
import io.frostbyte.core.answer.CiteOnlyCheck;
import io.frostbyte.core.answer.RetrievedChunk;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.SearchHit;
import io.frostbyte.core.index.SearchMode;
import io.frostbyte.core.index.SearchRequest;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.proof.ProofChunk;
import io.frostbyte.core.proof.ProofFilters;
import io.frostbyte.core.proof.ProofScore;
import io.frostbyte.core.proof.ProofStatement;
import io.frostbyte.core.proof.RetrievalProof;
import io.frostbyte.core.sign.Signer;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.postgres.PostgresTenantDocuments;
import io.frostbyte.postgres.audit.PostgresAuditLog;
import io.frostbyte.server.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Tenant-scoped retrieval with a signed proof (spec/05): embeds the query with the index's model, runs the hybrid (or
 * single-leg) search inside the caller's tenant index only, loads text and lineage from the tenant database keeping
 * only indexed, non-quarantined chunks, signs the proof with the deployment key, optionally answers with cite-only
 * enforcement, and writes RETRIEVAL_EXECUTED (and GENERATION_EXECUTED) holding ids, counts and hashes, never the query
 * or the answer. The proof names its audit event, whose id is allocated before signing.
 */
public final class SearchService {
    private final VectorIndex index;
    private final PostgresDocumentStore store;
    private final PostgresTenantDocuments documents;
    private final PostgresAuditLog audit;
    private final Database control;
    private final Signer signer;
    private final AnswerModel answerer;
    private final AnswerSettings answerSettings;
    private final Clock clock;
    private final io.frostbyte.server.index.IndexGenerations generations;
    private final Uuid7 ids;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public SearchService(
            VectorIndex index,
            PostgresDocumentStore store,
            PostgresTenantDocuments documents,
            PostgresAuditLog audit,
            Database control,
            Signer signer,
            AnswerModel answerer,
            AnswerSettings answerSettings,
            Clock clock,
            io.frostbyte.server.index.IndexGenerations generations,
            io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = requireNonNull(meters, "meters is null");
        this.index = requireNonNull(index, "index is null");
        this.store = requireNonNull(store, "store is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.control = requireNonNull(control, "control is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.answerer = requireNonNull(answerer, "answerer is null");
        this.answerSettings = requireNonNull(answerSettings, "answerSettings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.generations = requireNonNull(generations, "generations is null");
        this.ids = new Uuid7(clock);
    }

    /** A search answer: the response {@code data} and whether a model mismatch must be signalled. */
    public record Result(Map<String, Object> data, boolean modelMismatch) {}

    public Result search(Principal principal, TenantId tenantId, TenantConfig config, SearchQuery query) {
        if (query.includeGeneration() && !config.generationEnabled()) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Generation is not enabled for this tenant.",
                    List.of(new FrostbyteException.ErrorDetail(
                            "include_generation", true, "allowed only when the tenant's generation_enabled is true")));
        }
        long started = System.nanoTime();
        UUID queryId = ids.next();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String querySha = sha256(query.queryText());
        io.frostbyte.server.index.ActiveGeneration active = generations.current(tenantId);
        EmbeddingModel model = active.model();
        String indexVersion = active.indexVersion();
        IndexNamespace namespace = active.namespace();
        List<SearchHit> hits = List.of();
        float[] queryVector = null;
        try {
            if (index.exists(namespace)) {
                // the index checks the vector even for a keyword-only search; similarity is not reported then
                queryVector = model.embedQuery(query.queryText()).vector();
                String keywordText = query.queryText().length() > SearchRequest.MAX_QUERY_CHARS
                        ? query.queryText().substring(0, SearchRequest.MAX_QUERY_CHARS)
                        : query.queryText();
                hits = index.search(
                        namespace,
                        new SearchRequest(
                                queryVector == null ? new float[0] : queryVector,
                                keywordText,
                                Math.min(SearchRequest.MAX_LIMIT, query.topK()),
                                query.mode(),
                                query.filter()));
            }
        } catch (FrostbyteException e) {
            if (e.code() == ErrorCode.SERVICE_UNAVAILABLE || e.code() == ErrorCode.INDEX_FAILED) {
                throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "The index is unavailable; retry later.");
            }
            throw e;
        }
        Map<String, ChunkRow> rows = new HashMap<>();
        for (ChunkRow row :
                store.chunksById(tenantId, hits.stream().map(SearchHit::chunkId).toList())) {
            rows.put(row.chunkId(), row);
        }
        Map<String, PostgresTenantDocuments.DocumentRow> docs = new HashMap<>();
        List<Map<String, Object>> chunks = new ArrayList<>();
        List<ProofChunk> proofChunks = new ArrayList<>();
        List<RetrievedChunk> retrieved = new ArrayList<>();
        Map<String, String> embeddedWith = store.embedModels(
                tenantId, hits.stream().map(SearchHit::chunkId).toList());
        String running = model.modelId() + "@" + model.version();
        boolean mismatch = !active.modelMatches();
        int rank = 0;
        for (SearchHit hit : hits) {
            ChunkRow row = rows.get(hit.chunkId());
            if (row == null || row.quarantined() || rank >= query.topK()) {
                continue; // the second guard of spec/05 step 8: only indexed, never quarantined
            }
            PostgresTenantDocuments.DocumentRow doc = docs.computeIfAbsent(
                    row.docId(), id -> documents.find(tenantId, id).orElse(null));
            if (doc == null) {
                continue;
            }
            rank++;
            String chunkModel = embeddedWith.getOrDefault(row.chunkId(), running);
            mismatch |= !chunkModel.equals(running);
            Optional<ProofScore> similarity = Optional.empty();
            if (query.mode() != SearchMode.KEYWORD
                    && queryVector != null
                    && row.vector().isPresent()) {
                double cosine = Vectors.cosine(queryVector, row.vector().get());
                similarity = Optional.of(ProofScore.rounded(Math.max(0, Math.min(1, cosine))));
            }
            ProofScore fusion = ProofScore.rounded(Math.max(0, Math.min(1, hit.score())));
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("rank", rank);
            chunk.put("chunk_id", row.chunkId());
            chunk.put("doc_id", row.docId());
            chunk.put("original_filename", doc.originalFilename());
            chunk.put("text", row.text());
            chunk.put("page", row.page());
            chunk.put("page_end", row.pageEnd());
            chunk.put("start_char", row.startChar());
            chunk.put("end_char", row.endChar());
            chunk.put("section_title", row.sectionTitle().orElse(null));
            chunk.put("similarity_score", similarity.map(score -> score.value()).orElse(null));
            chunk.put("fusion_score", fusion.value());
            chunk.put("classification", row.classification().orElse(null));
            chunk.put("injection_action_taken", row.status().equals("flagged") ? "flag" : "pass");
            chunk.put("embed_model", chunkModel.substring(0, chunkModel.lastIndexOf('@')));
            chunk.put("embed_version", chunkModel.substring(chunkModel.lastIndexOf('@') + 1));
            chunk.put("source_sha256", doc.rawSha256());
            chunks.add(chunk);
            proofChunks.add(new ProofChunk(
                    rank,
                    row.chunkId(),
                    row.docId(),
                    doc.originalFilename(),
                    row.textSha256(),
                    doc.rawSha256(),
                    row.page(),
                    row.startChar(),
                    row.endChar(),
                    fusion,
                    similarity));
            retrieved.add(new RetrievedChunk(row.chunkId(), row.text()));
        }
        boolean versionsMatch = !mismatch;
        UUID eventId = ids.next();
        ProofStatement statement = new ProofStatement(
                ProofStatement.VERSION,
                queryId.toString(),
                tenantId,
                now,
                querySha,
                indexVersion,
                model.modelId(),
                model.version(),
                model.dimension(),
                query.mode(),
                query.topK(),
                ProofFilters.of(query.filter()),
                !mismatch,
                proofChunks,
                eventId.toString());
        RetrievalProof proof = RetrievalProof.sign(statement, signer);
        Map<String, Object> generation = query.includeGeneration()
                ? generate(query, retrieved, config.generationSuppressUngrounded(), proofChunks)
                : null;
        String actor = AuditEventDraft.user(principal.subject());
        control.inTransaction(connection -> {
            java.util.SortedMap<String, Object> details = new TreeMap<>();
            details.put("component", "query-api");
            details.put("status", "success");
            details.put("proof_sha256", proof.sha256());
            details.put(
                    "chunk_ids", proofChunks.stream().map(ProofChunk::chunkId).toList());
            details.put("result_count", proofChunks.size());
            details.put("top_k", query.topK());
            details.put("mode", query.mode().name().toLowerCase(Locale.ROOT));
            details.put("model_version_match", versionsMatch);
            details.put("index_version", indexVersion);
            audit.append(
                    connection,
                    new AuditEventDraft(
                            tenantId,
                            EventType.RETRIEVAL_EXECUTED,
                            actor,
                            "query",
                            queryId.toString(),
                            Optional.empty(),
                            details),
                    eventId);
            if (generation != null && generation.get("error") == null) {
                java.util.SortedMap<String, Object> generated = new TreeMap<>();
                generated.put("component", "query-api");
                generated.put("status", "success");
                generated.put("answerer", answerer.answerer());
                generated.put("model", answerer.model().orElse(null));
                generated.put("answer_sha256", sha256((String) generation.get("answer")));
                generated.put("cited_chunks", generation.get("cited_chunks"));
                generated.put("ungrounded_claims_count", ((List<?>) generation.get("ungrounded_claims")).size());
                generated.put("suppressed", generation.get("suppressed"));
                audit.append(
                        connection,
                        new AuditEventDraft(
                                tenantId,
                                EventType.GENERATION_EXECUTED,
                                actor,
                                "query",
                                queryId.toString(),
                                Optional.of(eventId),
                                generated));
            }
            return null;
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query_id", queryId.toString());
        data.put("tenant_id", tenantId.value());
        data.put("timestamp", now);
        data.put("retrieval_mode_used", query.mode().name().toLowerCase(Locale.ROOT));
        data.put("model_version_match", !mismatch);
        data.put("chunks", chunks);
        data.put("generation", generation);
        data.put("proof", proof.toJson());
        if (generation != null && generation.get("error") != null) {
            io.micrometer.core.instrument.Counter.builder("frostbyte.generation")
                    .description("Generated answers by result")
                    .tag("tenant_id", tenantId.value())
                    .tag("answerer", answerer.answerer())
                    .tag("result", "error")
                    .register(meters)
                    .increment();
        }
        io.micrometer.core.instrument.Timer.builder("frostbyte.retrieval.latency")
                .description("Query latency, retrieval to signed proof")
                .tag("tenant_id", tenantId.value())
                .tag("mode", query.mode().name().toLowerCase(Locale.ROOT))
                .serviceLevelObjectives(
                        java.time.Duration.ofMillis(50),
                        java.time.Duration.ofMillis(250),
                        java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(5))
                .register(meters)
                .record(java.time.Duration.ofNanos(System.nanoTime() - started));
        return new Result(data, mismatch);
    }

    private Map<String, Object> generate(
            SearchQuery query, List<RetrievedChunk> retrieved, boolean suppress, List<ProofChunk> proofChunks) {
        Map<String, Object> generation = new LinkedHashMap<>();
        generation.put("answerer", answerer.answerer());
        generation.put("model", answerer.model().orElse(null));
        try {
            String draft = retrieved.isEmpty()
                    ? ""
                    : answerer.answer(new AnswerRequest(query.queryText(), retrieved, answerSettings));
            Set<String> proven = new LinkedHashSet<>();
            proofChunks.forEach(chunk -> proven.add(chunk.chunkId()));
            CheckedAnswer checked = CiteOnlyCheck.apply(draft, proven, suppress);
            generation.put("answer", checked.answer());
            generation.put("cited_chunks", checked.citedChunks());
            generation.put("ungrounded_claims", checked.ungroundedClaims());
            generation.put("suppressed", checked.suppressed());
            generation.put("error", null);
        } catch (FrostbyteException e) {
            generation.put("answer", null);
            generation.put("cited_chunks", List.of());
            generation.put("ungrounded_claims", List.of());
            generation.put("suppressed", false);
            generation.put("error", ErrorCode.ANSWERER_UNAVAILABLE.name());
        }
        return generation;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
