package io.frostbyte.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.proof.PresentedChunk;
import io.frostbyte.core.proof.ProofFile;
import io.frostbyte.core.proof.ProofVerification;
import io.frostbyte.core.proof.ProofVerifier;
import io.frostbyte.core.proof.VerificationKey;
import io.frostbyte.server.http.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code frostbyte query --tenant T "text"} (spec/05): searches the tenant's index through the API, prints the ranked
 * chunks with their citations, the answer when asked for one, and whether the response's retrieval proof verifies
 * with the server's public signing keys ({@code GET /api/v1/keys}) against the chunk texts and the query as sent.
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Search a tenant's documents and verify the signed retrieval proof.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:results printed and the proof verified",
            "1:an error (server unreachable, authentication, invalid request)",
            "2:invalid command line",
            "3:the proof did not verify"
        })
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "TEXT", description = "The query text.")
    String text;

    @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "The tenant to search.")
    String tenant;

    @Option(names = "--top-k", paramLabel = "N", description = "How many chunks (default: the tenant's).")
    Integer topK;

    @Option(names = "--mode", paramLabel = "MODE", description = "hybrid, vector or keyword (default: the tenant's).")
    String mode;

    @Option(names = "--answer", description = "Ask for an answer that cites the retrieved chunks.")
    boolean answer;

    @Option(names = "--json", description = "Print the whole response as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!TenantId.isValid(tenant)) {
            err.println("invalid --tenant: " + tenant);
            return 2;
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query_text", text);
        if (topK != null) {
            request.put("top_k", topK);
        }
        if (mode != null) {
            request.put("mode", mode);
        }
        if (answer) {
            request.put("include_generation", true);
        }
        ClientOptions.Reply reply;
        ClientOptions.Reply keys;
        try {
            reply = client.call("POST", "/api/v1/query/" + tenant + "/search", request);
            if (!reply.ok()) {
                err.println(reply.errorLine());
                return 1;
            }
            keys = client.call("GET", "/api/v1/keys", null);
        } catch (FrostbyteException e) {
            err.println(e.code() + ": " + e.getMessage());
            return 1;
        }
        String body = Json.mapper().writeValueAsString(reply.body());
        ProofFile file = ProofFile.read(body);
        ProofVerification verification = new ProofVerifier(
                        VerificationKey.readAll(Json.mapper().writeValueAsString(keys.body())))
                .verify(
                        file.proof(),
                        file.chunks().or(() -> Optional.of(List.<PresentedChunk>of())),
                        Optional.of(text));
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(reply.body()));
        } else {
            JsonNode data = reply.body().path("data");
            out.println("query " + data.path("query_id").asText() + " ("
                    + data.path("retrieval_mode_used").asText() + ", "
                    + data.path("chunks").size() + " chunks)");
            for (JsonNode chunk : data.path("chunks")) {
                out.printf(
                        "%2d. [%s] %s p.%d score %s%n    %s%n",
                        chunk.path("rank").asInt(),
                        chunk.path("chunk_id").asText(),
                        visible(chunk.path("original_filename").asText()),
                        chunk.path("page").asInt(),
                        chunk.path("fusion_score").asText(),
                        snippet(chunk.path("text").asText()));
            }
            JsonNode generation = data.path("generation");
            if (!generation.isMissingNode() && !generation.isNull()) {
                out.println();
                out.println("answer: "
                        + (generation.path("error").isNull()
                                ? generation.path("answer").asText()
                                : "unavailable (" + generation.path("error").asText() + ")"));
            }
        }
        err.println(
                verification.valid()
                        ? "proof: valid (signature " + verification.keyId().orElse("?") + ", "
                                + verification.chunksChecked() + " chunk texts and the query checked)"
                        : "proof: INVALID " + verification.problems());
        return verification.valid() ? 0 : 3;
    }

    private static String snippet(String text) {
        String flat = visible(text.replaceAll("\\s+", " ").strip());
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }

    private static String visible(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.FORMAT || Character.isISOControl(cp)) {
                shown.append(String.format("U+%04X", cp));
            } else {
                shown.appendCodePoint(cp);
            }
        });
        return shown.toString();
    }
}
