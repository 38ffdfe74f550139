package io.frostbyte.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.chunk.Chunk;
import io.frostbyte.core.chunk.ChunkingParameters;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.policy.Chunker;
import io.frostbyte.policy.InjectionScorer;
import io.frostbyte.policy.InjectionVerdict;
import io.frostbyte.policy.PiiDetector;
import io.frostbyte.policy.PiiSpan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code frostbyte policy scan}: runs the policy gates over text without the server, for tuning a tenant's policy. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Run the policy gates locally.",
        subcommands = PolicyCommand.Scan.class)
public final class PolicyCommand implements Runnable {
    static final long MAX_INPUT_BYTES = 64L * 1024 * 1024;
    static final int MAX_LINE_CHARS = 1024 * 1024;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Scans a text file (or stdin) and prints PII findings, injection scores and chunk ids; with {@code --jsonl} scans
     * one {@code {"id","text"}} object per line. Offsets are code points of the scanned text. Never prints matched
     * text.
     */
    @Command(
            name = "scan",
            mixinStandardHelpOptions = true,
            description = "Scan text for PII and prompt injection (offsets in code points).")
    public static final class Scan implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "FILE", description = "Text file, or - for stdin (default).")
        String file = "-";

        @Option(
                names = "--tenant-config",
                paramLabel = "F",
                description = "JSON or YAML with tenant keys (pii_allowlist, injection_*_threshold, chunk_*).")
        Path tenantConfig;

        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        @Option(names = "--jsonl", description = "Read {\"id\",\"text\"} per line; write one result per line.")
        boolean jsonl;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final ObjectMapper mapper = new ObjectMapper();

        @Override
        public Integer call() throws IOException {
            Settings settings = Settings.load(tenantConfig, mapper);
            PiiDetector detector = new PiiDetector(settings.allowlist());
            InjectionScorer scorer = new InjectionScorer(settings.flag(), settings.quarantine());
            PrintWriter out = spec.commandLine().getOut();
            try (InputStream in = open()) {
                if (jsonl) {
                    scanLines(in, detector, scorer, out);
                } else {
                    scanDocument(in, detector, scorer, settings, out);
                }
            }
            out.flush();
            return 0;
        }

        private InputStream open() throws IOException {
            if (file.equals("-")) {
                return System.in;
            }
            Path path = Path.of(file);
            if (Files.size(path) > MAX_INPUT_BYTES) {
                throw new FrostbyteException(
                        ErrorCode.PAYLOAD_TOO_LARGE, "input is over " + MAX_INPUT_BYTES + " bytes: " + path);
            }
            return Files.newInputStream(path);
        }

        private void scanLines(InputStream in, PiiDetector detector, InjectionScorer scorer, PrintWriter out)
                throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            long lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.length() > MAX_LINE_CHARS) {
                    throw new FrostbyteException(
                            ErrorCode.VALIDATION_ERROR, "line " + lineNumber + " is over " + MAX_LINE_CHARS + " chars");
                }
                JsonNode node = mapper.readTree(line);
                if (node == null || !node.path("text").isTextual()) {
                    throw new FrostbyteException(
                            ErrorCode.VALIDATION_ERROR, "line " + lineNumber + " has no string field \"text\"");
                }
                String text = node.get("text").asText();
                InjectionVerdict verdict = scorer.score(text);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("id", node.has("id") ? mapper.treeToValue(node.get("id"), Object.class) : null);
                result.put("score", verdict.score());
                result.put("action", verdict.action().wireValue());
                result.put("categories", verdict.patternsMatched());
                result.put("findings", findings(detector.detect(text)));
                out.println(mapper.writeValueAsString(result));
            }
        }

        private void scanDocument(
                InputStream in, PiiDetector detector, InjectionScorer scorer, Settings settings, PrintWriter out)
                throws IOException {
            byte[] bytes = in.readNBytes((int) MAX_INPUT_BYTES + 1);
            if (bytes.length > MAX_INPUT_BYTES) {
                throw new FrostbyteException(
                        ErrorCode.PAYLOAD_TOO_LARGE, "input is over " + MAX_INPUT_BYTES + " bytes");
            }
            CanonicalDocument document = document(bytes);
            String text = document.canonicalText();
            List<PiiSpan> spans = detector.detect(text);
            List<Map<String, Object>> chunks = new ArrayList<>();
            double score = 0;
            InjectionVerdict worst = null;
            for (Chunk chunk : new Chunker(settings.chunking()).chunk(document)) {
                InjectionVerdict verdict = scorer.score(chunk.text());
                if (worst == null || verdict.score() > worst.score()) {
                    worst = verdict;
                }
                score = Math.max(score, verdict.score());
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("chunk_id", chunk.chunkId());
                c.put("page", chunk.page());
                c.put("start", chunk.startChar());
                c.put("end", chunk.endChar());
                c.put("score", verdict.score());
                c.put("action", verdict.action().wireValue());
                c.put("categories", verdict.patternsMatched());
                chunks.add(c);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("doc_id", document.docId().value());
            result.put("chunker_version", Chunker.VERSION);
            result.put("score", score);
            result.put("action", worst == null ? "pass" : worst.action().wireValue());
            result.put("categories", worst == null ? List.of() : worst.patternsMatched());
            result.put("findings", findings(spans));
            result.put("chunks", chunks);
            if (json) {
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result));
                return;
            }
            out.printf(
                    "injection: score %.4f, action %s, categories %s%n",
                    score, result.get("action"), result.get("categories"));
            out.printf("pii: %d findings%n", spans.size());
            for (PiiSpan span : spans) {
                out.printf("  %-18s %d-%d%n", span.type(), span.start(), span.end());
            }
            for (Map<String, Object> c : chunks) {
                out.printf(
                        "chunk %s %s-%s %s %.4f%n",
                        c.get("chunk_id"), c.get("start"), c.get("end"), c.get("action"), c.get("score"));
            }
        }

        /** Plain text as a canonical document: one paragraph per blank-line-separated block. */
        private static CanonicalDocument document(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            CanonicalDocumentBuilder builder = new CanonicalDocumentBuilder(MAX_INPUT_BYTES);
            for (String paragraph : text.split("\\R\\s*\\R")) {
                builder.paragraph(paragraph, 1, 1);
            }
            if (builder.isEmpty()) {
                throw new FrostbyteException(ErrorCode.NO_TEXT_EXTRACTED, "the input has no text");
            }
            String sha = sha256(bytes);
            return builder.build(
                    TenantId.of("local-scan"), "text/plain", sha, "cli-text", "1.0.0", sha256(new byte[0]), "1");
        }

        private static List<Map<String, Object>> findings(List<PiiSpan> spans) {
            List<Map<String, Object>> findings = new ArrayList<>(spans.size());
            for (PiiSpan span : spans) {
                Map<String, Object> finding = new LinkedHashMap<>();
                finding.put("type", span.type().name());
                finding.put("start", span.start());
                finding.put("end", span.end());
                findings.add(finding);
            }
            return findings;
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from the JDK", e);
            }
        }
    }

    /** The tenant keys the scan uses; other known tenant keys are accepted and ignored, unknown keys fail. */
    record Settings(List<String> allowlist, double flag, double quarantine, ChunkingParameters chunking) {
        static Settings load(Path file, ObjectMapper json) throws IOException {
            if (file == null) {
                return new Settings(
                        List.of(),
                        InjectionScorer.DEFAULT_FLAG_THRESHOLD,
                        InjectionScorer.DEFAULT_QUARANTINE_THRESHOLD,
                        ChunkingParameters.DEFAULTS);
            }
            String name = file.getFileName().toString();
            ObjectMapper mapper =
                    name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory()) : json;
            JsonNode root = mapper.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "tenant config must be an object: " + file);
            }
            for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!TenantConfig.KEYS.contains(key)) {
                    throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "unknown tenant config key '" + key + "'");
                }
            }
            List<String> allowlist = new ArrayList<>();
            root.path(TenantConfig.PII_ALLOWLIST).forEach(v -> allowlist.add(v.asText()));
            ChunkingParameters d = ChunkingParameters.DEFAULTS;
            try {
                return new Settings(
                        allowlist,
                        root.path(TenantConfig.INJECTION_FLAG_THRESHOLD)
                                .asDouble(InjectionScorer.DEFAULT_FLAG_THRESHOLD),
                        root.path(TenantConfig.INJECTION_QUARANTINE_THRESHOLD)
                                .asDouble(InjectionScorer.DEFAULT_QUARANTINE_THRESHOLD),
                        new ChunkingParameters(
                                root.path(TenantConfig.CHUNK_MAX_CHARS).asInt(d.maxChars()),
                                root.path(TenantConfig.CHUNK_NEW_AFTER_CHARS).asInt(d.newAfterChars()),
                                root.path(TenantConfig.CHUNK_COMBINE_UNDER_CHARS)
                                        .asInt(d.combineUnderChars()),
                                root.path(TenantConfig.CHUNK_OVERLAP_CHARS).asInt(d.overlapChars())));
            } catch (IllegalArgumentException e) {
                throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "invalid tenant config: " + e.getMessage());
            }
        }
    }
}
