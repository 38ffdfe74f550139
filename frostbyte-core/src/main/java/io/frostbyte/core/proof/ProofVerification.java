package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking one proof: valid when the signature verified and nothing else disagreed.
 *
 * @param keyId the key that verified the signature, empty when none did
 * @param chunksChecked how many chunk texts were hashed and matched
 * @param queryChecked whether the query text was known and checked
 * @param problems every disagreement found, in check order; empty for a valid proof
 */
public record ProofVerification(
        Optional<String> keyId, int chunksChecked, boolean queryChecked, List<Problem> problems) {
    public ProofVerification {
        requireNonNull(keyId, "keyId is null");
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
        if (keyId.isEmpty() && problems.isEmpty()) {
            throw new IllegalArgumentException("an unverified signature is a problem");
        }
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** Why a proof failed. */
    public enum Reason {
        /** Not a proof: not JSON, or a member missing, unknown, mistyped or out of range. */
        MALFORMED,
        /** The signature names an algorithm other than Ed25519. */
        UNSUPPORTED_ALGORITHM,
        /** No given public key has the signature's {@code key_id}. */
        UNKNOWN_KEY,
        /** The signature does not verify over the canonical proof: some member was changed after signing. */
        BAD_SIGNATURE,
        /** sha256 of the query text differs from {@code query_sha256}. */
        QUERY_MISMATCH,
        /** sha256 of a chunk text differs from that chunk's {@code text_sha256}. */
        TEXT_MISMATCH,
        /** The presented chunks are not the proof's: a chunk missing, extra or out of order, or a rank, page or offset differs. */
        CHUNK_MISMATCH
    }

    /**
     * One disagreement.
     *
     * @param message content-free: names members, ids and hashes, never text
     */
    public record Problem(Reason reason, String message) {
        public Problem {
            requireNonNull(reason, "reason is null");
            requireNonNull(message, "message is null");
        }

        @Override
        public String toString() {
            return reason + ": " + message;
        }
    }
}
