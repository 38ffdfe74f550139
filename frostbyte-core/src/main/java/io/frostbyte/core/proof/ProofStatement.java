package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.SearchMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a retrieval proof asserts, i.e. the proof without its signature (spec/05 §5.4): what is signed. Holds ids,
 * file names, offsets, scores and hashes, never document or query text.
 *
 * <p>The signed message is {@link #canonicalBytes()}: the UTF-8 bytes of the RFC 8785 (JCS) form of {@link #toJson()}.
 * Every member is always written (only {@code filters} members are omitted when they did not filter), so a verifier
 * that canonicalizes the received JSON object minus {@code signature} gets the same bytes.
 *
 * @param proofVersion {@value #VERSION}
 * @param queryId the query's UUIDv7
 * @param timestamp when the query ran, kept to the millisecond
 * @param querySha256 sha256 of the UTF-8 bytes of {@code query_text} exactly as received
 * @param indexVersion the tenant index generation and commit that answered, e.g. {@code g1.c1187}
 * @param embedModel the index generation's embedding model
 * @param embedVersion that model's version
 * @param embedDimensions that model's dimension
 * @param retrievalMode the legs that actually ran ({@code hybrid}, {@code vector} or {@code keyword})
 * @param topK the requested number of chunks
 * @param modelVersionMatch false when the query or any returned chunk was embedded with another model or version
 * @param chunks the returned chunks in rank order (ranks 1..n), at most {@code topK}
 * @param auditEventId the RETRIEVAL_EXECUTED event's UUIDv7, allocated before signing
 */
public record ProofStatement(
        String proofVersion,
        String queryId,
        TenantId tenantId,
        Instant timestamp,
        String querySha256,
        String indexVersion,
        String embedModel,
        String embedVersion,
        int embedDimensions,
        SearchMode retrievalMode,
        int topK,
        ProofFilters filters,
        boolean modelVersionMatch,
        List<ProofChunk> chunks,
        String auditEventId) {
    /** The only proof version this code writes and reads. */
    public static final String VERSION = "1";

    static final List<String> MEMBERS = List.of(
            "proof_version",
            "query_id",
            "tenant_id",
            "timestamp",
            "query_sha256",
            "index_version",
            "embed_model",
            "embed_version",
            "embed_dimensions",
            "retrieval_mode",
            "top_k",
            "filters",
            "model_version_match",
            "chunks",
            "audit_event_id");

    private static final int MAX_LABEL_CHARS = 256;
    private static final Pattern LABEL = Pattern.compile("^[\\x21-\\x7e]+$");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);

    public ProofStatement {
        requireNonNull(proofVersion, "proofVersion is null");
        if (!VERSION.equals(proofVersion)) {
            throw new IllegalArgumentException("proof_version must be " + VERSION + ": " + abbreviate(proofVersion));
        }
        requireUuid7(queryId, "query_id");
        requireNonNull(tenantId, "tenantId is null");
        timestamp = requireNonNull(timestamp, "timestamp is null").truncatedTo(ChronoUnit.MILLIS);
        Sha256.require(querySha256, "query_sha256");
        requireLabel(indexVersion, "index_version");
        requireLabel(embedModel, "embed_model");
        requireLabel(embedVersion, "embed_version");
        if (embedDimensions < 1 || embedDimensions > Vectors.MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "embed_dimensions must be in [1, " + Vectors.MAX_DIMENSION + "]: " + embedDimensions);
        }
        requireNonNull(retrievalMode, "retrievalMode is null");
        if (topK < 1 || topK > RetrievalProof.MAX_CHUNKS) {
            throw new IllegalArgumentException("top_k must be in [1, " + RetrievalProof.MAX_CHUNKS + "]: " + topK);
        }
        requireNonNull(filters, "filters is null");
        chunks = List.copyOf(requireNonNull(chunks, "chunks is null"));
        if (chunks.size() > topK) {
            throw new IllegalArgumentException("a proof of top_k " + topK + " holds " + chunks.size() + " chunks");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < chunks.size(); i++) {
            ProofChunk chunk = chunks.get(i);
            if (chunk.rank() != i + 1) {
                throw new IllegalArgumentException(
                        "chunk " + chunk.chunkId() + " at position " + (i + 1) + " has rank " + chunk.rank());
            }
            if (!seen.add(chunk.chunkId())) {
                throw new IllegalArgumentException("chunk " + chunk.chunkId() + " appears twice");
            }
        }
        requireUuid7(auditEventId, "audit_event_id");
    }

    /** The JSON object (members in spec order; the canonical form sorts them). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("proof_version", proofVersion);
        json.put("query_id", queryId);
        json.put("tenant_id", tenantId.value());
        json.put("timestamp", TIMESTAMP.format(timestamp));
        json.put("query_sha256", querySha256);
        json.put("index_version", indexVersion);
        json.put("embed_model", embedModel);
        json.put("embed_version", embedVersion);
        json.put("embed_dimensions", embedDimensions);
        json.put("retrieval_mode", retrievalMode.name().toLowerCase(Locale.ROOT));
        json.put("top_k", topK);
        json.put("filters", filters.toJson());
        json.put("model_version_match", modelVersionMatch);
        List<Object> chunkList = new ArrayList<>(chunks.size());
        chunks.forEach(chunk -> chunkList.add(chunk.toJson()));
        json.put("chunks", chunkList);
        json.put("audit_event_id", auditEventId);
        return json;
    }

    /** The signed message: UTF-8 of the RFC 8785 form of {@link #toJson()}. */
    public byte[] canonicalBytes() {
        return CanonicalJson.write(toJson()).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the members of a proof object other than {@code signature}, which the caller has taken out. */
    static ProofStatement fromJson(JsonFields object) {
        object.requireOnly(MEMBERS);
        String mode = object.string("retrieval_mode");
        SearchMode retrievalMode = switch (mode) {
            case "hybrid" -> SearchMode.HYBRID;
            case "vector" -> SearchMode.VECTOR;
            case "keyword" -> SearchMode.KEYWORD;
            default -> throw object.invalid("retrieval_mode is not hybrid, vector or keyword");
        };
        String tenant = object.string("tenant_id");
        if (!TenantId.isValid(tenant)) {
            throw object.invalid("tenant_id is not a tenant id");
        }
        List<ProofChunk> chunks = new ArrayList<>();
        for (JsonFields chunk : object.objects("chunks", RetrievalProof.MAX_CHUNKS)) {
            chunks.add(ProofChunk.fromJson(chunk));
        }
        return new ProofStatement(
                object.string("proof_version"),
                object.string("query_id"),
                TenantId.of(tenant),
                timestamp(object),
                object.string("query_sha256"),
                object.string("index_version"),
                object.string("embed_model"),
                object.string("embed_version"),
                object.integer("embed_dimensions", 1, Vectors.MAX_DIMENSION),
                retrievalMode,
                object.integer("top_k", 1, RetrievalProof.MAX_CHUNKS),
                ProofFilters.fromJson(object.object("filters")),
                object.bool("model_version_match"),
                chunks,
                object.string("audit_event_id"));
    }

    private static Instant timestamp(JsonFields object) {
        String text = object.string("timestamp");
        try {
            return Instant.from(TIMESTAMP.parse(text));
        } catch (DateTimeParseException e) {
            throw object.invalid("timestamp is not YYYY-MM-DDTHH:MM:SS.mmmZ");
        }
    }

    private static void requireUuid7(String value, String name) {
        requireNonNull(value, name + " is null");
        if (!Uuid7.isUuid7(value) || !value.equals(value.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " must be a lower-case UUIDv7: " + abbreviate(value));
        }
    }

    private static void requireLabel(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.length() > MAX_LABEL_CHARS || !LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    name + " must be 1 to " + MAX_LABEL_CHARS + " printable ASCII chars: " + abbreviate(value));
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
