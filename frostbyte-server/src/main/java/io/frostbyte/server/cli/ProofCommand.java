package io.frostbyte.server.cli;

import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.proof.PresentedChunk;
import io.frostbyte.core.proof.ProofFile;
import io.frostbyte.core.proof.ProofVerification;
import io.frostbyte.core.proof.ProofVerifier;
import io.frostbyte.core.proof.VerificationKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frostbyte proof verify FILE}: checks a retrieval proof offline (spec/05 §5.4, {@code docs/retrieval-proof.md})
 * with the deployment's public signing key, from a file or {@code GET /api/v1/keys}. FILE is a saved search response
 * (its chunk texts are checked too), its {@code data}, or a bare proof. Exit 0 valid, 1 invalid (each reason on
 * stderr), 2 usage error. Prints ids, hashes and counts, never chunk or query text.
 */
@Command(
        name = "proof",
        mixinStandardHelpOptions = true,
        description = "Verify retrieval proofs offline.",
        subcommands = ProofCommand.Verify.class)
public final class ProofCommand implements Runnable {
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;
    static final int MAX_FILE_BYTES = 64 * 1024 * 1024;
    static final int MAX_KEYS_BYTES = 1024 * 1024;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Verifies one proof file. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Verify a proof's signature and, when known, its chunk texts and query."
                    + " Exit 0 valid, 1 invalid, 2 usage error.")
    public static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Search response, its data object, or a bare proof (JSON).")
        Path file;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        KeySource keys;

        @Option(
                names = "--chunks",
                paramLabel = "FILE",
                description = "Chunk texts: [{chunk_id, text}] in rank order (or a search response).")
        Path chunks;

        @Option(names = "--query-file", paramLabel = "FILE", description = "The query text exactly as sent (UTF-8).")
        Path queryFile;

        @Option(
                names = "--timeout-seconds",
                defaultValue = "10",
                description = "Timeout of the --keys-url request (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Exactly one source of public keys. */
        static final class KeySource {
            @Option(
                    names = "--public-key",
                    paramLabel = "FILE",
                    description = "Raw key in base64, an OKP JWK, or a saved GET /api/v1/keys response.")
            Path publicKey;

            @Option(
                    names = "--keys-url",
                    paramLabel = "URL",
                    description = "A server's key listing, e.g. https://frostbyte.example/api/v1/keys.")
            URI keysUrl;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ProofFile proof;
            List<VerificationKey> publicKeys;
            Optional<List<PresentedChunk>> presented;
            Optional<String> query;
            try {
                publicKeys = VerificationKey.readAll(keys.publicKey != null ? read(keys.publicKey) : fetch());
                presented = chunks == null ? Optional.empty() : Optional.of(ProofFile.readChunks(read(chunks)));
                query = queryFile == null ? Optional.empty() : Optional.of(read(queryFile));
            } catch (IOException | FrostbyteException | IllegalArgumentException e) {
                return usage(err, e);
            }
            try {
                proof = ProofFile.read(read(file));
            } catch (IOException e) {
                return usage(err, e);
            } catch (FrostbyteException e) {
                err.println("invalid: MALFORMED: " + e.getMessage());
                err.flush();
                return INVALID;
            }
            if (presented.isPresent() && proof.chunks().isPresent()) {
                err.println("frostbyte proof verify: FILE already holds chunk texts; --chunks would replace them");
                err.flush();
                return USAGE;
            }
            ProofVerification result =
                    new ProofVerifier(publicKeys).verify(proof.proof(), presented.or(proof::chunks), query);
            String checked = "chunk texts "
                    + (presented.or(proof::chunks).isPresent() ? result.chunksChecked() + " matched" : "not given")
                    + ", query " + (result.queryChecked() ? "checked" : "not given");
            if (result.valid()) {
                out.println("valid: proof " + proof.proof().statement().queryId() + " signed by "
                        + result.keyId().orElseThrow() + "; "
                        + proof.proof().statement().chunks().size()
                        + " chunks; " + checked);
                out.flush();
                return VALID;
            }
            for (ProofVerification.Problem problem : result.problems()) {
                err.println("invalid: " + problem);
            }
            err.println("proof " + proof.proof().statement().queryId() + " is NOT valid; " + checked);
            err.flush();
            return INVALID;
        }

        private static String read(Path path) throws IOException {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new IOException(path + " is over " + MAX_FILE_BYTES + " bytes");
            }
            String text = Files.readString(path, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        }

        private String fetch() throws IOException {
            URI url = keys.keysUrl;
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw new IllegalArgumentException("--keys-url must be http(s): " + url);
            }
            Duration timeout = Duration.ofSeconds(Math.max(1, Math.min(timeoutSeconds, 300)));
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Accept", "application/json")
                    .GET()
                    .build();
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                byte[] body;
                try (InputStream in = response.body()) {
                    body = in.readNBytes(MAX_KEYS_BYTES + 1);
                }
                if (response.statusCode() != 200) {
                    throw new IOException(url + " answered HTTP " + response.statusCode());
                }
                if (body.length > MAX_KEYS_BYTES) {
                    throw new IOException(url + " sent over " + MAX_KEYS_BYTES + " bytes");
                }
                return new String(body, StandardCharsets.UTF_8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + url, e);
            } finally {
                client.close();
            }
        }

        private static int usage(PrintWriter err, Exception e) {
            String reason = e instanceof FrostbyteException || e instanceof IllegalArgumentException
                    ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            err.println("frostbyte proof verify: " + reason);
            err.flush();
            return USAGE;
        }
    }
}
