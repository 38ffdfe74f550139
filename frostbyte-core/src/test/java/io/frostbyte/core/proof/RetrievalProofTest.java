package io.frostbyte.core.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.index.SearchMode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetrievalProofTest {
    private static final String TEXT = "The Panthers defense gave up just 308 points, ranking sixth in the league.";

    private static ProofStatement oneChunk(Optional<ProofScore> similarity) {
        ProofChunk chunk = new ProofChunk(
                1,
                "chk_4e38bf391512f5a2661d8d20",
                "doc_a35d2ab2b1167f7efbec662e",
                "MSA_contract_2025.pdf",
                ProofFixtures.sha256(TEXT),
                "470c315a04a9db7d9f322567a9782164433432df8f30a07298ed7ebb7dfea0cb",
                1,
                0,
                74,
                ProofScore.rounded(1.0 / 61 + 1.0 / 61),
                similarity);
        return new ProofStatement(
                "1",
                ProofFixtures.QUERY_ID,
                TenantId.of("acme-corp"),
                Instant.parse("2026-03-02T10:20:11.402789Z"),
                ProofFixtures.sha256("How many points did the Panthers defense surrender?"),
                "g1.c1187",
                "nomic-embed-text",
                "v1.5",
                768,
                SearchMode.HYBRID,
                5,
                new ProofFilters(List.of("contract"), Optional.empty(), Optional.empty(), List.of()),
                true,
                List.of(chunk),
                ProofFixtures.AUDIT_EVENT_ID);
    }

    @Test
    void the_canonical_form_sorts_members_keeps_milliseconds_and_writes_scores_as_plain_decimals() {
        ProofStatement statement = oneChunk(Optional.of(ProofScore.rounded(0.8123449)));

        String canonical = new String(statement.canonicalBytes(), StandardCharsets.UTF_8);

        assertThat(canonical)
                .isEqualTo("{\"audit_event_id\":\"019cae0b-e532-73e9-865a-03c2014b3dcb\","
                        + "\"chunks\":[{\"chunk_id\":\"chk_4e38bf391512f5a2661d8d20\","
                        + "\"doc_id\":\"doc_a35d2ab2b1167f7efbec662e\",\"end_char\":74,\"fusion_score\":0.032787,"
                        + "\"original_filename\":\"MSA_contract_2025.pdf\",\"page\":1,\"rank\":1,"
                        + "\"similarity_score\":0.812345,"
                        + "\"source_sha256\":\"470c315a04a9db7d9f322567a9782164433432df8f30a07298ed7ebb7dfea0cb\","
                        + "\"start_char\":0,\"text_sha256\":\"" + ProofFixtures.sha256(TEXT) + "\"}],"
                        + "\"embed_dimensions\":768,\"embed_model\":\"nomic-embed-text\",\"embed_version\":\"v1.5\","
                        + "\"filters\":{\"classification\":[\"contract\"]},\"index_version\":\"g1.c1187\","
                        + "\"model_version_match\":true,\"proof_version\":\"1\","
                        + "\"query_id\":\"019cae0b-e060-7423-9aaf-a3b4fd341338\","
                        + "\"query_sha256\":\""
                        + ProofFixtures.sha256("How many points did the Panthers defense surrender?")
                        + "\",\"retrieval_mode\":\"hybrid\",\"tenant_id\":\"acme-corp\","
                        + "\"timestamp\":\"2026-03-02T10:20:11.402Z\",\"top_k\":5}");
    }

    @Test
    void a_skipped_vector_leg_writes_a_null_similarity_score_and_still_round_trips() {
        JdkEd25519Signer signer = new JdkEd25519Signer();
        RetrievalProof proof = RetrievalProof.sign(oneChunk(Optional.empty()), signer);

        String json = proof.canonicalJson();
        RetrievalProof read = RetrievalProof.parse(json);

        assertThat(json).contains("\"similarity_score\":null");
        assertThat(read).isEqualTo(proof);
        assertThat(read.statement().chunks().getFirst().similarityScore()).isEmpty();
        assertThat(read.sha256()).isEqualTo(ProofFixtures.sha256(json)).hasSize(64);
    }

    @Test
    void the_proof_is_signed_over_the_statement_without_its_signature() {
        JdkEd25519Signer signer = new JdkEd25519Signer();
        ProofStatement statement = oneChunk(Optional.of(ProofScore.rounded(0.5)));

        RetrievalProof proof = RetrievalProof.sign(statement, signer);

        assertThat(proof.signature().alg()).isEqualTo("Ed25519");
        assertThat(proof.signature().keyId()).isEqualTo(signer.keyId()).matches("ed25519:[0-9a-f]{16}");
        assertThat(signer.publicKey()
                        .verify(statement.canonicalBytes(), proof.signature().value()))
                .isTrue();
        Map<String, Object> wire = proof.toJson();
        assertThat(wire.keySet()).endsWith("audit_event_id", "signature");
        assertThat(CanonicalJson.write(wire))
                .contains("\"signature\":{\"alg\":\"Ed25519\",\"key_id\":\"" + signer.keyId());
    }

    @ParameterizedTest
    @CsvSource({
        "0.0327868852, 0.032787",
        "0.016393442, 0.016393",
        "0.0000005, 0.000001",
        "0.00000049, 0",
        "1.0, 1",
        "0.5, 0.5",
        "0.1234565, 0.123457"
    })
    void scores_are_rounded_half_up_to_six_decimals(double score, String written) {
        ProofScore rounded = ProofScore.rounded(score);

        assertThat(rounded.text()).isEqualTo(written);
        assertThat(CanonicalJson.write(rounded.asDouble())).isEqualTo(written);
    }

    @Test
    void a_score_outside_zero_to_one_or_with_seven_decimals_is_refused() {
        assertThatThrownBy(() -> new ProofScore(new BigDecimal("0.0327871")))
                .hasMessageContaining("at most 6 decimal places");
        assertThatThrownBy(() -> new ProofScore(new BigDecimal("1.000001"))).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> ProofScore.rounded(Double.NaN)).hasMessageContaining("finite");
        assertThat(new ProofScore(new BigDecimal("0.0327870")).text()).isEqualTo("0.032787");
    }

    @Test
    void a_statement_refuses_ranks_out_of_order_duplicates_and_more_chunks_than_top_k() {
        ProofStatement base = ProofFixtures.statement("q", List.of("alpha text", "beta text"));
        List<ProofChunk> chunks = base.chunks();
        ProofChunk first = chunks.get(0);
        ProofChunk duplicate = new ProofChunk(
                2,
                first.chunkId(),
                first.docId(),
                first.originalFilename(),
                first.textSha256(),
                first.sourceSha256(),
                first.page(),
                first.startChar(),
                first.endChar(),
                first.fusionScore(),
                first.similarityScore());

        assertThatThrownBy(() -> withChunks(base, List.of(chunks.get(1), chunks.get(0)), 5))
                .hasMessageContaining("at position 1 has rank 2");
        assertThatThrownBy(() -> withChunks(base, List.of(first, duplicate), 5)).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> withChunks(base, chunks, 1)).hasMessageContaining("top_k 1 holds 2 chunks");
    }

    @Test
    void parsing_refuses_unknown_members_duplicates_and_non_canonical_timestamps_naming_the_member() {
        RetrievalProof proof = RetrievalProof.sign(oneChunk(Optional.empty()), new JdkEd25519Signer());
        String json = proof.canonicalJson();

        assertMalformed(json.replace("\"top_k\":5", "\"top_k\":5,\"extra\":1"), "unknown member 'extra'");
        assertMalformed(json.replace("\"top_k\":5", "\"top_k\":5,\"top_k\":6"), "appears twice");
        assertMalformed(json.replace(".402Z", ".402000Z"), "proof timestamp is not");
        assertMalformed(json.replace("\"top_k\":5", "\"top_k\":5.5"), "top_k is not an integer");
        assertMalformed(json.replace("0.032787", "0.0327871"), "proof.chunks[0] fusion_score");
        assertMalformed(json.substring(0, json.length() - 1), "not valid JSON at offset");
        assertThat(RetrievalProof.parse(json.replace("\"top_k\":5", "\"top_k\":5.0")))
                .isEqualTo(proof);
    }

    private static void assertMalformed(String json, String message) {
        assertThatThrownBy(() -> RetrievalProof.parse(json))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining(message);
    }

    private static ProofStatement withChunks(ProofStatement s, List<ProofChunk> chunks, int topK) {
        return new ProofStatement(
                s.proofVersion(),
                s.queryId(),
                s.tenantId(),
                s.timestamp(),
                s.querySha256(),
                s.indexVersion(),
                s.embedModel(),
                s.embedVersion(),
                s.embedDimensions(),
                s.retrievalMode(),
                topK,
                s.filters(),
                s.modelVersionMatch(),
                chunks,
                s.auditEventId());
    }
}
