package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.proof.ProofVerification.Problem;
import io.frostbyte.core.proof.ProofVerification.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Verifies retrieval proofs offline with the deployment's public signing keys (spec/05 §5.4), the algorithm of
 * {@code docs/retrieval-proof.md}:
 *
 * <ol>
 *   <li>when the query text is known, sha256 of its UTF-8 bytes equals {@code query_sha256};
 *   <li>when chunk texts are given, they are exactly the proof's chunks in rank order, each text's sha256 equals its
 *       {@code text_sha256}, and any rank, page and offsets given agree;
 *   <li>the Ed25519 signature verifies, with the key whose id the signature names, over the RFC 8785 bytes of the
 *       proof without {@code signature}.
 * </ol>
 *
 * Every check runs and every disagreement is reported. Thread-safe.
 */
public final class ProofVerifier {
    private final List<VerificationKey> keys;

    /** @param keys the deployment's proof-signing keys, current and retired */
    public ProofVerifier(List<VerificationKey> keys) {
        this.keys = List.copyOf(requireNonNull(keys, "keys is null"));
        if (this.keys.isEmpty()) {
            throw new IllegalArgumentException("a verifier needs at least one public key");
        }
    }

    /**
     * Verifies a proof given as JSON text; a malformed proof is a {@link Reason#MALFORMED} result, not an exception.
     *
     * @param chunks the chunks presented with the proof, empty when the texts are not known
     * @param queryText the query as sent, empty when not known
     */
    public ProofVerification verify(
            String proofJson, Optional<List<PresentedChunk>> chunks, Optional<String> queryText) {
        requireNonNull(proofJson, "proofJson is null");
        RetrievalProof proof;
        try {
            proof = RetrievalProof.fromJson(JsonFields.of("proof", StrictJson.parse(proofJson)));
        } catch (IllegalArgumentException e) {
            return new ProofVerification(
                    Optional.empty(), 0, false, List.of(new Problem(Reason.MALFORMED, e.getMessage())));
        }
        return verify(proof, chunks, queryText);
    }

    /** Verifies a parsed proof; see {@link #verify(String, Optional, Optional)}. */
    public ProofVerification verify(
            RetrievalProof proof, Optional<List<PresentedChunk>> chunks, Optional<String> queryText) {
        requireNonNull(proof, "proof is null");
        requireNonNull(chunks, "chunks is null");
        requireNonNull(queryText, "queryText is null");
        ProofStatement statement = proof.statement();
        List<Problem> problems = new ArrayList<>();
        queryText.ifPresent(query -> {
            String sha = Sha256.ofUtf8(query);
            if (!sha.equals(statement.querySha256())) {
                problems.add(new Problem(
                        Reason.QUERY_MISMATCH,
                        "sha256 of the query text is " + sha + ", the proof says " + statement.querySha256()));
            }
        });
        int checked = chunks.map(presented -> checkChunks(statement.chunks(), presented, problems))
                .orElse(0);
        Optional<String> keyId = checkSignature(proof, problems);
        return new ProofVerification(keyId, checked, queryText.isPresent(), problems);
    }

    private static int checkChunks(List<ProofChunk> proven, List<PresentedChunk> presented, List<Problem> problems) {
        if (presented.size() != proven.size()) {
            problems.add(new Problem(
                    Reason.CHUNK_MISMATCH,
                    presented.size() + " chunks are presented, the proof holds " + proven.size()));
        }
        int checked = 0;
        for (int i = 0; i < presented.size(); i++) {
            PresentedChunk chunk = presented.get(i);
            int position = i + 1;
            Optional<ProofChunk> match = proven.stream()
                    .filter(p -> p.chunkId().equals(chunk.chunkId()))
                    .findFirst();
            if (match.isEmpty()) {
                problems.add(new Problem(
                        Reason.CHUNK_MISMATCH,
                        "chunk " + chunk.chunkId() + " at position " + position + " is not in the proof"));
                continue;
            }
            ProofChunk expected = match.get();
            if (expected.rank() != position) {
                problems.add(new Problem(
                        Reason.CHUNK_MISMATCH,
                        "chunk " + chunk.chunkId() + " is presented at position " + position + ", the proof ranks it "
                                + expected.rank()));
            }
            agree(chunk.chunkId(), "rank", chunk.rank(), expected.rank(), problems);
            agree(chunk.chunkId(), "page", chunk.page(), expected.page(), problems);
            agree(chunk.chunkId(), "start_char", chunk.startChar(), expected.startChar(), problems);
            agree(chunk.chunkId(), "end_char", chunk.endChar(), expected.endChar(), problems);
            String sha = Sha256.ofUtf8(chunk.text());
            if (sha.equals(expected.textSha256())) {
                checked++;
            } else {
                problems.add(new Problem(
                        Reason.TEXT_MISMATCH,
                        "sha256 of the text of " + chunk.chunkId() + " is " + sha + ", the proof says "
                                + expected.textSha256()));
            }
        }
        return checked;
    }

    private static void agree(
            String chunkId, String member, OptionalInt presented, int proven, List<Problem> problems) {
        if (presented.isPresent() && presented.getAsInt() != proven) {
            problems.add(new Problem(
                    Reason.CHUNK_MISMATCH,
                    member + " of " + chunkId + " is " + presented.getAsInt() + ", the proof says " + proven));
        }
    }

    private Optional<String> checkSignature(RetrievalProof proof, List<Problem> problems) {
        String alg = proof.signature().alg();
        if (!VerificationKey.ALGORITHM.equals(alg)) {
            String shown = alg.length() > 32 ? alg.substring(0, 32) + "..." : alg;
            problems.add(new Problem(Reason.UNSUPPORTED_ALGORITHM, "signature alg is '" + shown + "', not Ed25519"));
            return Optional.empty();
        }
        String keyId = proof.signature().keyId();
        Optional<VerificationKey> key =
                keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
        if (key.isEmpty()) {
            String shown = keyId.length() > 32 ? keyId.substring(0, 32) + "..." : keyId;
            problems.add(new Problem(
                    Reason.UNKNOWN_KEY,
                    "the signature names key " + shown + ", the given keys are "
                            + keys.stream().map(VerificationKey::keyId).toList()));
            return Optional.empty();
        }
        if (!key.get()
                .verify(proof.statement().canonicalBytes(), proof.signature().value())) {
            problems.add(new Problem(
                    Reason.BAD_SIGNATURE,
                    "the signature of " + keyId
                            + " does not verify over the canonical proof: a member was changed after signing"));
            return Optional.empty();
        }
        return Optional.of(keyId);
    }
}
