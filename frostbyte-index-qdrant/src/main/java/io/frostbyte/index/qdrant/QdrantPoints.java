package io.frostbyte.index.qdrant;

import io.frostbyte.core.index.ChunkFields;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.KeywordTerms;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/** The pure mappings of the Qdrant adapter: names, point ids and the sparse {@code bm25} vector. */
final class QdrantPoints {
    /** Most terms per chunk in the sparse vector. */
    static final int MAX_TERMS = 8192;

    private QdrantPoints() {}

    /** {@code tenant_<tenant_id>_g<generation>} (spec/04 §4.3). */
    static String collection(IndexNamespace namespace) {
        return "tenant_" + namespace.tenantId().value() + "_g" + namespace.generation();
    }

    /**
     * The point id of a chunk: the first 16 bytes of sha256(chunk_id) as a UUID with version 8 and the RFC 9562
     * variant bits (spec/04 §4.3).
     */
    static UUID pointId(String chunkId) {
        ChunkFields.requireChunkId(chunkId);
        byte[] hash = sha256(chunkId.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    /** A sparse vector: indices ascending, each a term's hash, with the term's frequency in the text. */
    record Sparse(List<Integer> indices, List<Float> values) {}

    /**
     * Term frequencies of {@code fb-standard-1} terms; the collection's IDF modifier turns them into BM25-like scores.
     * A term's index is the first 31 bits of sha256(term), the same for documents and queries.
     */
    static Sparse sparse(String text) {
        TreeMap<Integer, Float> frequencies = new TreeMap<>();
        for (String term : KeywordTerms.terms(text, MAX_TERMS)) {
            frequencies.merge(termIndex(term), 1f, Float::sum);
        }
        return new Sparse(new ArrayList<>(frequencies.keySet()), new ArrayList<>(frequencies.values()));
    }

    static int termIndex(String term) {
        byte[] hash = sha256(term.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(hash).getInt() & 0x7fffffff;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
