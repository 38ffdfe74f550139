package io.frostbyte.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.frostbyte.core.proof.ProofFixtures;
import io.frostbyte.core.proof.RetrievalProof;
import io.frostbyte.core.proof.XquadCorpus;
import io.frostbyte.crypto.SigningKey;
import io.frostbyte.crypto.SigningKeySigner;
import io.frostbyte.server.api.SystemController;
import io.frostbyte.server.cli.FrostbyteCommand;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code frostbyte proof verify}: a proof signed through the deployment's {@link SigningKey}, saved as the search
 * response a client gets, verified with the key in every form the server publishes it in.
 */
class ProofCliTest {
    private static final String QUERY = "How many points did the Panthers defense surrender?";
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private SigningKey signing;
    private SigningKey audit;
    private List<String> texts;
    private RetrievalProof proof;
    private Path response;
    private Path keysListing;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FrostbyteCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void signAndSave() throws IOException {
        signing = SigningKey.generate();
        audit = SigningKey.generate();
        texts = XquadCorpus.passages().values().stream().limit(3).toList();
        proof = RetrievalProof.sign(ProofFixtures.statement(QUERY, texts), new SigningKeySigner(signing));
        response = dir.resolve("response.json");
        Files.writeString(response, responseJson(proof.toJson(), texts));
        // the listing exactly as GET /api/v1/keys serializes it
        keysListing = dir.resolve("keys.json");
        Map<String, Object> listing = Map.of(
                "success",
                true,
                "data",
                Map.of(
                        "keys",
                        List.of(
                                new SystemController.PublicKey(
                                        signing.keyId(), "signing", signing.publicKeyBase64(), null, null),
                                new SystemController.PublicKey(
                                        audit.keyId(), "audit", audit.publicKeyBase64(), null, null))));
        Files.writeString(keysListing, Json.mapper().writeValueAsString(listing));
    }

    /** A search response with the proof and the chunk texts, as a client saves it. */
    private String responseJson(Map<String, Object> proofJson, List<String> chunkTexts) throws IOException {
        List<Object> chunks = new ArrayList<>();
        for (int i = 0; i < chunkTexts.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> proven = ((List<Map<String, Object>>) proofJson.get("chunks")).get(i);
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("rank", proven.get("rank"));
            chunk.put("chunk_id", proven.get("chunk_id"));
            chunk.put("doc_id", proven.get("doc_id"));
            chunk.put("text", chunkTexts.get(i));
            chunk.put("page", proven.get("page"));
            chunk.put("start_char", proven.get("start_char"));
            chunk.put("end_char", proven.get("end_char"));
            chunk.put("similarity_score", proven.get("similarity_score"));
            chunk.put("fusion_score", proven.get("fusion_score"));
            chunks.add(chunk);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query_id", ProofFixtures.QUERY_ID);
        data.put("tenant_id", "acme-corp");
        data.put("chunks", chunks);
        data.put("generation", null);
        data.put("proof", proofJson);
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("success", true, "data", data));
    }

    @Test
    void a_saved_response_verifies_with_the_published_key_listing_and_checks_every_chunk_text() {
        Run run = run("proof", "verify", response.toString(), "--public-key", keysListing.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .isEqualTo("valid: proof " + ProofFixtures.QUERY_ID + " signed by " + signing.keyId()
                        + "; 3 chunks; chunk texts 3 matched, query not given\n");
        assertThat(run.out()).doesNotContain("Panthers");
    }

    @Test
    void the_key_may_be_given_raw_in_base64_or_as_a_jwk_and_the_query_checked(@TempDir Path keys) throws IOException {
        Path raw = Files.writeString(keys.resolve("signing.pub"), signing.publicKeyBase64() + "\n");
        Path jwk = Files.writeString(keys.resolve("signing.jwk"), signing.publicJwk());
        Path query = Files.writeString(keys.resolve("query.txt"), QUERY);

        Run rawRun = run("proof", "verify", response.toString(), "--public-key", raw.toString());
        Run jwkRun = run(
                "proof",
                "verify",
                response.toString(),
                "--public-key",
                jwk.toString(),
                "--query-file",
                query.toString());

        assertThat(rawRun.exit()).isZero();
        assertThat(jwkRun.exit()).isZero();
        assertThat(jwkRun.out()).endsWith("chunk texts 3 matched, query checked\n");
    }

    @Test
    void a_tampered_score_fails_with_exit_1_and_the_reason() throws IOException {
        String tampered = Files.readString(response).replace("\"fusion_score\" : 0.032787", "\"fusion_score\" : 0.04");
        assertThat(tampered).isNotEqualTo(Files.readString(response));
        Path file = Files.writeString(dir.resolve("tampered.json"), tampered);

        Run run = run("proof", "verify", file.toString(), "--public-key", keysListing.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("invalid: BAD_SIGNATURE: the signature of " + signing.keyId()
                        + " does not verify over the canonical proof: a member was changed after signing")
                .contains("is NOT valid");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void a_swapped_chunk_text_fails_with_exit_1_naming_the_chunk() throws IOException {
        List<String> swapped = List.of(texts.get(0), texts.get(2), texts.get(2));
        Path file = Files.writeString(dir.resolve("swapped.json"), responseJson(proof.toJson(), swapped));
        String chunkId = proof.statement().chunks().get(1).chunkId();

        Run run = run("proof", "verify", file.toString(), "--public-key", keysListing.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("invalid: TEXT_MISMATCH: sha256 of the text of " + chunkId);
        assertThat(run.err()).contains("chunk texts 2 matched");
    }

    @Test
    void a_bare_proof_with_a_chunks_file_checks_the_texts_from_that_file() throws IOException {
        Path bare = Files.writeString(dir.resolve("proof.json"), mapper.writeValueAsString(proof.toJson()));
        List<Map<String, String>> chunkList = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            chunkList.add(Map.of("chunk_id", proof.statement().chunks().get(i).chunkId(), "text", texts.get(i)));
        }
        Path chunks = Files.writeString(dir.resolve("chunks.json"), mapper.writeValueAsString(chunkList));
        java.util.Collections.swap(chunkList, 0, 1);
        Path reordered = Files.writeString(dir.resolve("reordered.json"), mapper.writeValueAsString(chunkList));

        Run good = run(
                "proof",
                "verify",
                bare.toString(),
                "--public-key",
                keysListing.toString(),
                "--chunks",
                chunks.toString());
        Run bad = run(
                "proof",
                "verify",
                bare.toString(),
                "--public-key",
                keysListing.toString(),
                "--chunks",
                reordered.toString());
        Run none = run("proof", "verify", bare.toString(), "--public-key", keysListing.toString());

        assertThat(good.exit()).isZero();
        assertThat(good.out()).contains("chunk texts 3 matched");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("invalid: CHUNK_MISMATCH: chunk ");
        assertThat(none.exit()).isZero();
        assertThat(none.out()).contains("chunk texts not given");
    }

    @Test
    void keys_come_from_a_servers_key_url_and_the_audit_key_never_verifies_a_proof() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] listing = Files.readAllBytes(keysListing);
        server.createContext("/api/v1/keys", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, listing.length);
                exchange.getResponseBody().write(listing);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String url = base + "/api/v1/keys";
            RetrievalProof byAudit =
                    RetrievalProof.sign(ProofFixtures.statement(QUERY, texts), new SigningKeySigner(audit));
            Path auditSigned = Files.writeString(dir.resolve("audit-signed.json"), byAudit.canonicalJson());

            Run good = run("proof", "verify", response.toString(), "--keys-url", url);
            Run wrongKey = run("proof", "verify", auditSigned.toString(), "--keys-url", url);
            Run missing = run("proof", "verify", response.toString(), "--keys-url", base + "/api/v1/nothing");

            assertThat(good.exit()).isZero();
            assertThat(wrongKey.exit()).isEqualTo(1);
            assertThat(wrongKey.err()).contains("invalid: UNKNOWN_KEY: the signature names key " + audit.keyId());
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("answered HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void usage_errors_exit_2() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pub"), "not a key");

        Run noKey = run("proof", "verify", response.toString());
        Run badKey = run("proof", "verify", response.toString(), "--public-key", garbage.toString());
        Run noFile =
                run("proof", "verify", dir.resolve("absent.json").toString(), "--public-key", keysListing.toString());

        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("--public-key", "--keys-url");
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).contains("no usable public key");
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).contains("NoSuchFileException");
    }

    @Test
    void an_independent_rfc_8785_canonicalizer_gives_the_signed_bytes_of_the_received_proof() throws IOException {
        ObjectNode received = (ObjectNode)
                mapper.readTree(Files.readString(response)).get("data").get("proof");
        String signatureValue = received.get("signature").get("value").asText();
        received.remove("signature");

        byte[] canonical = new JsonCanonicalizer(mapper.writeValueAsString(received)).getEncodedUTF8();

        assertThat(new String(canonical, UTF_8))
                .isEqualTo(new String(proof.statement().canonicalBytes(), UTF_8));
        assertThat(SigningKey.verify(signing.publicKeyBase64(), canonical, signatureValue))
                .isTrue();
    }
}
