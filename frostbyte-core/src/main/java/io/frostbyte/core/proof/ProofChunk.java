package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.document.DocId;
import io.frostbyte.core.index.ChunkFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One returned chunk as its proof records it (spec/05 §5.4): ids, file name, offsets, scores and hashes, never text.
 *
 * @param rank 1-based position in the response
 * @param chunkId {@code chk_} + 24 hex
 * @param docId {@code doc_} + 24 hex
 * @param originalFilename the file name the document was uploaded with, at most {@value #MAX_FILENAME_CHARS} chars
 * @param textSha256 sha256 of the UTF-8 bytes of the chunk text the response returns
 * @param sourceSha256 sha256 of the source file's raw bytes
 * @param page 1-based page where the chunk starts
 * @param startChar first code point of the chunk in the canonical text
 * @param endChar code point after the chunk's last one
 * @param fusionScore reciprocal-rank-fusion score
 * @param similarityScore cosine of query and chunk vectors clamped to [0, 1], empty (JSON {@code null}) when the
 *     vector leg was skipped
 */
public record ProofChunk(
        int rank,
        String chunkId,
        String docId,
        String originalFilename,
        String textSha256,
        String sourceSha256,
        int page,
        int startChar,
        int endChar,
        ProofScore fusionScore,
        Optional<ProofScore> similarityScore) {
    /** Longest file name recorded (intake keeps names to 255 UTF-8 bytes; this leaves room for any script). */
    public static final int MAX_FILENAME_CHARS = 1024;

    static final List<String> MEMBERS = List.of(
            "rank",
            "chunk_id",
            "doc_id",
            "original_filename",
            "text_sha256",
            "source_sha256",
            "page",
            "start_char",
            "end_char",
            "fusion_score",
            "similarity_score");

    public ProofChunk {
        if (rank < 1 || rank > RetrievalProof.MAX_CHUNKS) {
            throw new IllegalArgumentException("rank must be in [1, " + RetrievalProof.MAX_CHUNKS + "]: " + rank);
        }
        ChunkFields.requireChunkId(chunkId);
        new DocId(docId);
        requireNonNull(originalFilename, "originalFilename is null");
        if (originalFilename.isEmpty() || originalFilename.length() > MAX_FILENAME_CHARS) {
            throw new IllegalArgumentException("original_filename of " + chunkId + " must have 1 to "
                    + MAX_FILENAME_CHARS + " chars, has " + originalFilename.length());
        }
        Sha256.require(textSha256, "text_sha256");
        Sha256.require(sourceSha256, "source_sha256");
        if (page < 1 || page > ChunkFields.MAX_PAGE) {
            throw new IllegalArgumentException(
                    "page of " + chunkId + " must be in [1, " + ChunkFields.MAX_PAGE + "]: " + page);
        }
        if (startChar < 0 || endChar <= startChar) {
            throw new IllegalArgumentException(
                    "offsets of " + chunkId + " must satisfy 0 <= start_char < end_char: " + startChar + "-" + endChar);
        }
        requireNonNull(fusionScore, "fusionScore is null");
        requireNonNull(similarityScore, "similarityScore is null");
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rank", rank);
        json.put("chunk_id", chunkId);
        json.put("doc_id", docId);
        json.put("original_filename", originalFilename);
        json.put("text_sha256", textSha256);
        json.put("source_sha256", sourceSha256);
        json.put("page", page);
        json.put("start_char", startChar);
        json.put("end_char", endChar);
        json.put("fusion_score", fusionScore.asDouble());
        json.put("similarity_score", similarityScore.map(ProofScore::asDouble).orElse(null));
        return json;
    }

    static ProofChunk fromJson(JsonFields object) {
        object.requireOnly(MEMBERS);
        return new ProofChunk(
                object.integer("rank", 1, RetrievalProof.MAX_CHUNKS),
                object.string("chunk_id"),
                object.string("doc_id"),
                object.string("original_filename"),
                object.string("text_sha256"),
                object.string("source_sha256"),
                object.integer("page", 1, ChunkFields.MAX_PAGE),
                object.integer("start_char", 0, Integer.MAX_VALUE),
                object.integer("end_char", 0, Integer.MAX_VALUE),
                object.score("fusion_score"),
                object.nullableScore("similarity_score"));
    }
}
