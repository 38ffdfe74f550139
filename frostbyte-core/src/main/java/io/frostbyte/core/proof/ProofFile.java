package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a client saved to verify offline: a whole search response ({@code {"success": true, "data": {...}}}), its
 * {@code data} object, or a bare proof. A response's {@code chunks} (with {@code text}) are the presented chunks; a
 * bare proof has none. Chunk texts can also come from a separate file ({@link #readChunks}).
 *
 * @param proof the proof
 * @param chunks the chunks presented with it, in response order, when the file has them
 */
public record ProofFile(RetrievalProof proof, Optional<List<PresentedChunk>> chunks) {
    public ProofFile {
        requireNonNull(proof, "proof is null");
        requireNonNull(chunks, "chunks is null");
        chunks = chunks.map(List::copyOf);
    }

    /**
     * Reads a response, its {@code data} or a bare proof.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} naming the member when it is none of these
     */
    public static ProofFile read(String json) {
        requireNonNull(json, "json is null");
        try {
            JsonFields root = JsonFields.of("file", StrictJson.parse(json));
            if (root.has("signature") && root.has("proof_version")) {
                return new ProofFile(RetrievalProof.fromJson(root.rename("proof")), Optional.empty());
            }
            JsonFields data = root.has("data") ? root.object("data") : root;
            if (!data.has("proof")) {
                throw data.invalid("has no proof");
            }
            RetrievalProof proof = RetrievalProof.fromJson(data.object("proof"));
            Optional<List<PresentedChunk>> chunks = data.has("chunks") ? Optional.of(chunks(data)) : Optional.empty();
            return new ProofFile(proof, chunks);
        } catch (IllegalArgumentException e) {
            throw RetrievalProof.malformed(e);
        }
    }

    /**
     * Reads chunk texts: an array of {@code {"chunk_id", "text"}} objects (optionally with {@code rank}, {@code page},
     * {@code start_char}, {@code end_char}), an object with such a {@code chunks} array, or a whole search response.
     * Members other than those are ignored, so a response's chunks read as they are.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} naming the member when it is none of these
     */
    public static List<PresentedChunk> readChunks(String json) {
        requireNonNull(json, "json is null");
        try {
            Object value = StrictJson.parse(json);
            JsonFields holder = value instanceof List<?>
                    ? JsonFields.of("chunks file", java.util.Map.of("chunks", value))
                    : JsonFields.of("chunks file", value);
            if (holder.has("data")) {
                holder = holder.object("data");
            }
            return chunks(holder);
        } catch (IllegalArgumentException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "the chunks are malformed: " + e.getMessage());
        }
    }

    private static List<PresentedChunk> chunks(JsonFields holder) {
        List<PresentedChunk> chunks = new ArrayList<>();
        for (JsonFields chunk : holder.objects("chunks", RetrievalProof.MAX_CHUNKS)) {
            try {
                chunks.add(new PresentedChunk(
                        chunk.string("chunk_id"),
                        chunk.string("text"),
                        optionalInt(chunk, "rank"),
                        optionalInt(chunk, "page"),
                        optionalInt(chunk, "start_char"),
                        optionalInt(chunk, "end_char")));
            } catch (IllegalArgumentException e) {
                throw chunk.invalid(e.getMessage());
            }
        }
        return chunks;
    }

    private static OptionalInt optionalInt(JsonFields chunk, String name) {
        if (!(chunk.raw(name) instanceof BigDecimal)) {
            if (chunk.raw(name) != null) {
                throw chunk.invalid(name + " is not a number");
            }
            return OptionalInt.empty();
        }
        return OptionalInt.of(chunk.integer(name, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }
}
