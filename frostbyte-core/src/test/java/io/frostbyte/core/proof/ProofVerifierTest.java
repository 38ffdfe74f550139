package io.frostbyte.core.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.proof.ProofVerification.Problem;
import io.frostbyte.core.proof.ProofVerification.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Offline verification of proofs over three real XQuAD passages. */
class ProofVerifierTest {
    private static final String QUERY = "How many points did the Panthers defense surrender?";

    private final JdkEd25519Signer signer = new JdkEd25519Signer();
    private List<String> texts;
    private RetrievalProof proof;
    private ProofVerifier verifier;

    @BeforeEach
    void sign() {
        texts = XquadCorpus.passages().values().stream().limit(3).toList();
        proof = RetrievalProof.sign(ProofFixtures.statement(QUERY, texts), signer);
        verifier = new ProofVerifier(List.of(new JdkEd25519Signer().publicKey(), signer.publicKey()));
    }

    private List<PresentedChunk> presented() {
        List<PresentedChunk> chunks = new ArrayList<>();
        for (ProofChunk chunk : proof.statement().chunks()) {
            chunks.add(new PresentedChunk(
                    chunk.chunkId(),
                    texts.get(chunk.rank() - 1),
                    OptionalInt.of(chunk.rank()),
                    OptionalInt.of(chunk.page()),
                    OptionalInt.of(chunk.startChar()),
                    OptionalInt.of(chunk.endChar())));
        }
        return chunks;
    }

    @Test
    void an_untouched_proof_with_its_query_and_chunk_texts_is_valid() {
        ProofVerification result = verifier.verify(proof.canonicalJson(), Optional.of(presented()), Optional.of(QUERY));

        assertThat(result.problems()).isEmpty();
        assertThat(result.valid()).isTrue();
        assertThat(result.keyId()).contains(signer.keyId());
        assertThat(result.chunksChecked()).isEqualTo(3);
        assertThat(result.queryChecked()).isTrue();
    }

    @Test
    void a_proof_with_no_hits_signs_and_verifies_with_an_empty_chunk_list() {
        RetrievalProof empty = RetrievalProof.sign(ProofFixtures.statement(QUERY, List.of()), signer);

        ProofVerification result = verifier.verify(empty.canonicalJson(), Optional.of(List.of()), Optional.empty());

        assertThat(empty.canonicalJson()).contains("\"chunks\":[]");
        assertThat(result.valid()).isTrue();
        assertThat(result.chunksChecked()).isZero();
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                tamper("tenant_id", p -> p.put("tenant_id", "other-corp")),
                tamper("timestamp", p -> p.put("timestamp", "2026-03-02T10:20:11.403Z")),
                tamper("query_sha256", p -> p.put("query_sha256", ProofFixtures.sha256("another question"))),
                tamper("index_version", p -> p.put("index_version", "g2.c1")),
                tamper("embed_version", p -> p.put("embed_version", "v1.6")),
                tamper("retrieval_mode", p -> p.put("retrieval_mode", "keyword")),
                tamper("top_k", p -> p.put("top_k", 6)),
                tamper("filters", p -> p.put("filters", Map.of())),
                tamper("model_version_match", p -> p.put("model_version_match", false)),
                tamper("audit_event_id", p -> p.put("audit_event_id", "019cae0b-e532-73e9-865a-03c2014b3dcc")),
                tamper("a fusion score by one millionth", p -> chunk(p, 0).put("fusion_score", 0.032788)),
                tamper("a similarity score", p -> chunk(p, 2).put("similarity_score", 0.9)),
                tamper("a text hash", p -> chunk(p, 1).put("text_sha256", ProofFixtures.sha256("planted"))),
                tamper("a source hash", p -> chunk(p, 1).put("source_sha256", ProofFixtures.sha256("other file"))),
                tamper("a file name", p -> chunk(p, 0).put("original_filename", "invoice.pdf")),
                tamper("an offset", p -> chunk(p, 2).put("end_char", 2000)),
                tamper("a page", p -> chunk(p, 2).put("page", 9)),
                tamper("the chunk order", ProofVerifierTest::swapFirstTwoChunks),
                tamper("a dropped chunk", p -> chunks(p).remove(2)));
    }

    private static Arguments tamper(String what, Consumer<Map<String, Object>> change) {
        return Arguments.of(what, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void changing_any_signed_member_fails_the_signature(String what, Consumer<Map<String, Object>> change) {
        Map<String, Object> wire = proof.toJson();
        change.accept(wire);

        ProofVerification result = verifier.verify(CanonicalJson.write(wire), Optional.empty(), Optional.empty());

        assertThat(result.valid()).isFalse();
        assertThat(result.keyId()).isEmpty();
        assertThat(result.problems()).extracting(Problem::reason).containsExactly(Reason.BAD_SIGNATURE);
        assertThat(result.problems().getFirst().message()).contains(signer.keyId(), "changed after signing");
    }

    @Test
    void a_chunk_text_swapped_for_another_fails_naming_the_chunk_and_both_hashes() {
        List<PresentedChunk> chunks = new ArrayList<>(presented());
        PresentedChunk second = chunks.get(1);
        String planted = second.text().replace("Pittsburgh Steelers", "Pittsburgh Penguins");
        chunks.set(1, PresentedChunk.of(second.chunkId(), planted));

        ProofVerification result = verifier.verify(proof, Optional.of(chunks), Optional.empty());

        assertThat(result.valid()).isFalse();
        assertThat(result.keyId()).contains(signer.keyId());
        assertThat(result.chunksChecked()).isEqualTo(2);
        assertThat(result.problems())
                .containsExactly(new Problem(
                        Reason.TEXT_MISMATCH,
                        "sha256 of the text of " + second.chunkId() + " is " + ProofFixtures.sha256(planted)
                                + ", the proof says " + ProofFixtures.sha256(texts.get(1))));
    }

    @Test
    void presented_chunks_out_of_order_missing_or_with_other_offsets_fail_as_chunk_mismatch() {
        List<PresentedChunk> reordered = new ArrayList<>(presented());
        Collections.swap(reordered, 0, 1);
        List<PresentedChunk> missing = presented().subList(0, 2);
        List<PresentedChunk> shifted = new ArrayList<>(presented());
        PresentedChunk third = shifted.get(2);
        shifted.set(
                2,
                new PresentedChunk(
                        third.chunkId(),
                        third.text(),
                        third.rank(),
                        third.page(),
                        OptionalInt.of(third.startChar().getAsInt() + 1),
                        third.endChar()));

        ProofVerification swappedResult = verifier.verify(proof, Optional.of(reordered), Optional.empty());
        ProofVerification missingResult = verifier.verify(proof, Optional.of(missing), Optional.empty());
        ProofVerification shiftedResult = verifier.verify(proof, Optional.of(shifted), Optional.empty());

        assertThat(swappedResult.problems())
                .extracting(Problem::reason)
                .containsOnly(Reason.CHUNK_MISMATCH)
                .hasSize(2);
        assertThat(swappedResult.problems().getFirst().message())
                .isEqualTo("chunk " + reordered.getFirst().chunkId()
                        + " is presented at position 1, the proof ranks it 2");
        assertThat(missingResult.problems())
                .containsExactly(new Problem(Reason.CHUNK_MISMATCH, "2 chunks are presented, the proof holds 3"));
        assertThat(shiftedResult.problems())
                .containsExactly(new Problem(
                        Reason.CHUNK_MISMATCH, "start_char of " + third.chunkId() + " is 201, the proof says 200"));
    }

    @Test
    void another_query_fails_as_query_mismatch() {
        ProofVerification result =
                verifier.verify(proof, Optional.empty(), Optional.of("How many career sacks did Jared Allen have?"));

        assertThat(result.problems()).extracting(Problem::reason).containsExactly(Reason.QUERY_MISMATCH);
        assertThat(result.problems().getFirst().message())
                .contains(ProofFixtures.sha256(QUERY))
                .doesNotContain("Jared");
    }

    @Test
    void a_proof_signed_by_a_key_not_given_fails_as_unknown_key() {
        ProofVerifier stranger = new ProofVerifier(List.of(new JdkEd25519Signer().publicKey()));

        ProofVerification result = stranger.verify(proof, Optional.empty(), Optional.empty());

        assertThat(result.problems()).extracting(Problem::reason).containsExactly(Reason.UNKNOWN_KEY);
        assertThat(result.problems().getFirst().message()).contains(signer.keyId());
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_signature_claiming_the_right_key_but_made_by_another_fails() {
        JdkEd25519Signer impostor = new JdkEd25519Signer();
        Map<String, Object> wire = proof.toJson();
        String forged = impostor.sign(proof.statement().canonicalBytes()).value();
        ((Map<String, Object>) wire.get("signature")).put("value", forged);

        ProofVerification result = verifier.verify(CanonicalJson.write(wire), Optional.empty(), Optional.empty());

        assertThat(result.problems()).extracting(Problem::reason).containsExactly(Reason.BAD_SIGNATURE);
    }

    @Test
    void malformed_json_is_a_result_not_an_exception() {
        ProofVerification result = verifier.verify("{\"proof_version\":\"1\"", Optional.empty(), Optional.empty());

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(Problem::reason).containsExactly(Reason.MALFORMED);
    }

    @Test
    void a_saved_search_response_yields_its_proof_and_presented_chunks() {
        Map<String, Object> data = new LinkedHashMap<>();
        List<Object> chunks = new ArrayList<>();
        for (PresentedChunk chunk : presented()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("rank", chunk.rank().getAsInt());
            c.put("chunk_id", chunk.chunkId());
            c.put("text", chunk.text());
            c.put("page", chunk.page().getAsInt());
            c.put("start_char", chunk.startChar().getAsInt());
            c.put("end_char", chunk.endChar().getAsInt());
            c.put("classification", "contract");
            c.put("similarity_score", 0.5);
            chunks.add(c);
        }
        data.put("query_id", ProofFixtures.QUERY_ID);
        data.put("chunks", chunks);
        data.put("proof", proof.toJson());
        String response = CanonicalJson.write(Map.of("success", true, "data", data));

        ProofFile file = ProofFile.read(response);
        ProofVerification result = verifier.verify(file.proof(), file.chunks(), Optional.empty());

        assertThat(file.proof()).isEqualTo(proof);
        assertThat(file.chunks()).contains(presented());
        assertThat(result.valid()).isTrue();
        assertThat(result.chunksChecked()).isEqualTo(3);
        assertThat(ProofFile.read(proof.canonicalJson()).chunks()).isEmpty();
        assertThat(ProofFile.readChunks(CanonicalJson.write(chunks))).isEqualTo(presented());
    }

    @Test
    void a_keys_listing_gives_only_signing_keys_and_a_wrong_key_id_is_refused() {
        VerificationKey audit = new JdkEd25519Signer().publicKey();
        VerificationKey signing = signer.publicKey();
        String listing = "{\"success\":true,\"data\":{\"keys\":["
                + "{\"key_id\":\"" + signing.keyId() + "\",\"purpose\":\"signing\",\"public_key\":\""
                + signing.publicKeyBase64() + "\",\"not_before\":null,\"not_after\":null},"
                + "{\"key_id\":\"" + audit.keyId() + "\",\"purpose\":\"audit\",\"public_key\":\""
                + audit.publicKeyBase64() + "\",\"not_before\":null,\"not_after\":null}]}}";
        String lying = listing.replace("\"key_id\":\"" + signing.keyId(), "\"key_id\":\"" + audit.keyId());

        List<VerificationKey> keys = VerificationKey.readAll(listing);

        assertThat(keys).extracting(VerificationKey::keyId).containsExactly(signing.keyId());
        assertThat(VerificationKey.readAll(signing.publicKeyBase64() + "\n"))
                .extracting(VerificationKey::keyId)
                .containsExactly(signing.keyId());
        assertThatThrownBy(() -> VerificationKey.readAll(lying))
                .isInstanceOf(FrostbyteException.class)
                .hasMessageContaining("key_id does not belong to its public_key");
        assertThatThrownBy(() -> VerificationKey.readAll("bm90IGEga2V5"))
                .hasMessageContaining("not 32 bytes of standard base64");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> chunks(Map<String, Object> proof) {
        return (List<Object>) proof.get("chunks");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chunk(Map<String, Object> proof, int index) {
        return (Map<String, Object>) chunks(proof).get(index);
    }

    private static void swapFirstTwoChunks(Map<String, Object> proof) {
        List<Object> chunks = chunks(proof);
        Collections.swap(chunks, 0, 1);
        chunk(proof, 0).put("rank", 1);
        chunk(proof, 1).put("rank", 2);
    }
}
