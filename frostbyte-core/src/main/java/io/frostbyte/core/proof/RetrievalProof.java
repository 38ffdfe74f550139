package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A signed retrieval proof (spec/05 §5.4, SRV-6): the {@link ProofStatement} and the deployment key's Ed25519
 * signature over its canonical bytes. On the wire it is one flat object, the statement's members plus
 * {@code "signature": {"alg", "key_id", "value"}}; {@code docs/retrieval-proof.md} gives the offline verification
 * algorithm.
 *
 * @param statement what is signed
 * @param signature {@code Ed25519} over {@link ProofStatement#canonicalBytes()}
 */
public record RetrievalProof(ProofStatement statement, SignatureValue signature) {
    /** Most chunks one proof holds; above any tenant's {@code retrieval_top_k_max}. */
    public static final int MAX_CHUNKS = 1000;

    public RetrievalProof {
        requireNonNull(statement, "statement is null");
        requireNonNull(signature, "signature is null");
    }

    /** Signs {@code statement} with {@code signer}. */
    public static RetrievalProof sign(ProofStatement statement, Signer signer) {
        requireNonNull(statement, "statement is null");
        requireNonNull(signer, "signer is null");
        return new RetrievalProof(statement, signer.sign(statement.canonicalBytes()));
    }

    /** The wire object: the statement's members, then {@code signature}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>(statement.toJson());
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("alg", signature.alg());
        sig.put("key_id", signature.keyId());
        sig.put("value", signature.value());
        json.put("signature", sig);
        return json;
    }

    /** The RFC 8785 form of the whole signed proof, signature included. */
    public String canonicalJson() {
        return CanonicalJson.write(toJson());
    }

    /**
     * {@code proof_sha256}: sha256 of the UTF-8 of {@link #canonicalJson()}, which the RETRIEVAL_EXECUTED event stores
     * to tie a presented proof to the audit chain.
     */
    public String sha256() {
        return Sha256.ofUtf8(canonicalJson());
    }

    /**
     * Reads one proof object.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} naming the member when the text is not JSON, a member is
     *     missing, unknown, of the wrong type or out of range, or a score has more than six decimals
     */
    public static RetrievalProof parse(String json) {
        requireNonNull(json, "json is null");
        try {
            return fromJson(JsonFields.of("proof", StrictJson.parse(json)));
        } catch (IllegalArgumentException e) {
            throw malformed(e);
        }
    }

    static RetrievalProof fromJson(JsonFields object) {
        JsonFields signature = object.object("signature");
        signature.requireOnly(List.of("alg", "key_id", "value"));
        SignatureValue value =
                new SignatureValue(signature.string("alg"), signature.string("key_id"), signature.string("value"));
        return new RetrievalProof(ProofStatement.fromJson(object.without("signature")), value);
    }

    static FrostbyteException malformed(IllegalArgumentException e) {
        return new FrostbyteException(ErrorCode.VALIDATION_ERROR, "the proof is malformed: " + e.getMessage());
    }
}
