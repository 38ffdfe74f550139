package io.frostbyte.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/** Every configuration key Frostbyte knows (spec/09 §9.6), in documentation order. Unknown keys fail start-up. */
public final class ConfigSchema {
    public static final List<String> DEFAULT_TYPES = List.of(
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "text/plain",
            "text/csv",
            "image/png",
            "image/tiff");
    public static final List<String> OPTIONAL_TYPES = List.of(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "text/html",
            "text/markdown",
            "message/rfc822");

    /**
     * Keys of spec/09 §9.6 that this build accepts only at their defaults, because what they configure is not built;
     * setting one to anything else stops start-up rather than being ignored. Each value says what the node does
     * instead.
     */
    public static final SortedMap<String, String> NOT_APPLIED =
            Collections.unmodifiableSortedMap(new TreeMap<>(Map.ofEntries(
                    Map.entry(
                            "parse.max_heap_mb", "parsing runs in the node's JVM, bounded by the other parse.* limits"),
                    Map.entry("embedding.model_dir", "each embedding profile brings its own model"),
                    Map.entry("embedding.max_concurrency", "an embed job makes its embedding calls one after another"),
                    Map.entry(
                            "pii.ner_model_dir", "NAME and ADDRESS are found by the built-in patterns and gazetteers"),
                    Map.entry("classification.rules_file", "the built-in rules classify"),
                    Map.entry("classification.prototypes_file", "the built-in prototypes classify"),
                    Map.entry(
                            "keys.retired_version_grace_days", "retired key versions are not destroyed automatically"),
                    Map.entry("audit.checkpoint_sink", "checkpoints are kept in the database only"),
                    Map.entry("audit.retention_days", "audit events are kept; none is dropped by age"),
                    Map.entry("provisioning.provisioner", "the local provisioner runs"),
                    Map.entry(
                            "provisioning.timeout_minutes", "each provisioning step is bounded by its own retries"))));

    private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

    static {
        enumKey(
                "shape",
                "Deployment shape: one JVM with embedded stores, scaled out on external services, or air-gapped.",
                "embedded",
                "embedded",
                "scaled",
                "offline");
        enumKey(
                "server.role",
                "Which parts this process runs: the API, the workers, or both.",
                "all",
                "api",
                "worker",
                "all");
        integer("server.port", "HTTP port; 0 picks a free one.", 8080, 0, 65535);
        add(
                "server.bind",
                ConfigKey.Type.STRING,
                "Address the HTTP server binds to.",
                shape -> Optional.of(shape == Shape.EMBEDDED ? "127.0.0.1" : "0.0.0.0"),
                false,
                null,
                null);
        add(
                "server.allow_plaintext",
                ConfigKey.Type.BOOLEAN,
                "Accept plain HTTP. True for embedded on loopback and offline; in scaled only where TLS ends at the load balancer.",
                shape -> Optional.of(shape != Shape.SCALED),
                false,
                null,
                null);
        add(
                "data_dir",
                ConfigKey.Type.PATH,
                "Directory for the embedded database, keys, files and indexes.",
                shape -> Optional.of("./frostbyte-data"),
                false,
                null,
                null);

        secret("db.url", "JDBC URL of an external PostgreSQL >= 15 (control database). None: the embedded PostgreSQL.");
        integer("db.pool_size", "Connections in the control database pool.", 10, 2, 200);
        integer("db.tenant_pool_size", "Connections in each tenant database pool.", 4, 1, 64);

        enumKey("objectstore.kind", "Object store adapter.", "filesystem", "filesystem", "s3");
        string("objectstore.s3.endpoint", "S3-compatible endpoint URL (path-style).", null);
        string("objectstore.s3.region", "S3 region.", "us-east-1");
        secret("objectstore.s3.access_key", "S3 access key.");
        secret("objectstore.s3.secret_key", "S3 secret key.");

        enumKey("index.kind", "Vector index adapter.", "lucene", "lucene", "qdrant");
        string("index.qdrant.url", "Qdrant's gRPC endpoint: http://host:6334, or https:// for TLS.", null);
        secret("index.qdrant.api_key", "Qdrant API key.");

        add(
                "embedding.profile",
                ConfigKey.Type.ENUM,
                "Embedding profile: model, version and dimensions.",
                shape -> Optional.of(
                        switch (shape) {
                            case EMBEDDED -> "minilm-384";
                            case OFFLINE -> "nomic-768";
                            case SCALED -> "openai-768";
                        }),
                false,
                null,
                null,
                "minilm-384",
                "nomic-768",
                "openai-768");
        string("embedding.endpoint", "OpenAI-compatible embeddings endpoint.", null);
        secret("embedding.api_key", "API key of the embeddings endpoint.");
        add(
                "embedding.model_dir",
                ConfigKey.Type.PATH,
                "ONNX model directory (model.onnx, tokenizer.json, descriptor).",
                shape -> Optional.empty(),
                false,
                null,
                null);
        integer("embedding.batch_size", "Chunks per embedding request.", 32, 1, 1024);
        integer("embedding.max_concurrency", "Concurrent embedding requests.", 4, 1, 64);
        integer("embedding.timeout_seconds", "Timeout of one embedding request.", 30, 1, 600);

        enumKey("generation.answerer", "Answer generator.", "extractive", "extractive", "openai");
        string("generation.endpoint", "OpenAI-compatible chat endpoint.", null);
        string("generation.model", "Chat model name.", null);
        secret("generation.api_key", "API key of the chat endpoint.");
        integer("generation.max_tokens", "Maximum tokens of a generated answer.", 800, 1, 8192);

        add(
                "malware.required",
                ConfigKey.Type.BOOLEAN,
                "Refuse batches (503) when the malware scanner is unreachable. Embedded default: scan when reachable, else mark skipped.",
                shape -> Optional.of(shape != Shape.EMBEDDED),
                false,
                null,
                null);
        string("malware.clamd_host", "clamd host.", "127.0.0.1");
        integer("malware.clamd_port", "clamd TCP port.", 3310, 1, 65535);
        add(
                "malware.clamd_socket",
                ConfigKey.Type.PATH,
                "clamd unix socket (instead of host and port).",
                shape -> Optional.empty(),
                false,
                null,
                null);
        integer("malware.timeout_seconds", "Timeout of one scan.", 120, 1, 3600);
        integer(
                "malware.stream_max_mb",
                "Largest stream sent to clamd; keep at or below clamd's StreamMaxLength.",
                1024,
                1,
                2047);

        add(
                "intake.enabled_types",
                ConfigKey.Type.LIST,
                "MIME types accepted at intake: the 7 default types, optionally PPTX, HTML, Markdown, EML.",
                shape -> Optional.of(DEFAULT_TYPES),
                false,
                null,
                null);
        integer("intake.max_request_gb", "Largest batch request in GiB.", 100, 1, 10000);

        integer("parse.timeout_seconds", "Wall-clock limit of one parse.", 300, 1, 3600);
        integer(
                "parse.max_heap_mb",
                "Heap budget of a parse child process (spec/02 PAR-3, a SHOULD); parsing runs in the node's JVM, so"
                        + " this is not applied.",
                2048,
                64,
                65536);
        integer("parse.max_pages", "Pages per document.", 2000, 1, 100000);
        integer("parse.max_characters", "Extracted characters per document.", 20_000_000, 1000, 1_000_000_000);
        integer("parse.max_table_cells", "Table cells per document.", 1_000_000, 1, 100_000_000);
        integer("parse.max_embedded_documents", "Embedded documents per document.", 100, 0, 10000);
        integer("parse.max_nesting_depth", "Nesting depth of containers and structure.", 32, 1, 256);
        integer(
                "parse.max_expansion_ratio",
                "Largest ratio of extracted to compressed bytes (zip bombs).",
                100,
                1,
                10000);

        add(
                "ocr.tesseract_path",
                ConfigKey.Type.PATH,
                "Tesseract binary; none: found on PATH.",
                shape -> Optional.empty(),
                false,
                null,
                null);
        string("ocr.languages", "Tesseract languages, joined by '+'.", "eng");
        decimal("ocr.low_confidence_threshold", "Pages whose OCR confidence is below this are flagged.", 0.7, 0.0, 1.0);
        add(
                "ocr.enabled",
                ConfigKey.Type.BOOLEAN,
                "OCR scanned PDF pages and images; false: images fail with OCR_UNAVAILABLE.",
                shape -> Optional.of(true),
                false,
                null,
                null);
        integer("ocr.dpi", "Resolution a PDF page without text is rendered at for OCR.", 300, 72, 1200);
        integer("ocr.page_timeout_seconds", "OCR time per page or image frame.", 120, 1, 3600);

        add(
                "pii.ner_model_dir",
                ConfigKey.Type.PATH,
                "NER model for NAME and ADDRESS; none: patterns and gazetteers.",
                shape -> Optional.empty(),
                false,
                null,
                null);
        add(
                "classification.rules_file",
                ConfigKey.Type.PATH,
                "Classification rules; none: built in.",
                shape -> Optional.empty(),
                false,
                null,
                null);
        add(
                "classification.prototypes_file",
                ConfigKey.Type.PATH,
                "Classification prototypes; none: built in.",
                shape -> Optional.empty(),
                false,
                null,
                null);

        integer("workers.threads", "Jobs run at once by this node (virtual threads).", 16, 1, 1024);
        integer(
                "workers.max_concurrent_per_tenant",
                "Jobs of one tenant running at once across the cluster.",
                4,
                1,
                256);
        integer(
                "workers.lease_seconds",
                "Job lease; a job whose worker died is claimed again after it.",
                300,
                10,
                86400);

        string("auth.issuer", "JWT issuer (iss).", "frostbyte");
        enumKey("auth.jwt_algorithm", "JWT signature algorithm.", "EdDSA", "EdDSA", "HS256");
        add(
                "auth.jwt_key_file",
                ConfigKey.Type.PATH,
                "Ed25519 JWT key (JWK); generated at first start when absent.",
                shape -> Optional.empty(),
                true,
                null,
                null);
        secret("auth.jwt_secret", "HS256 secret, at least 64 bytes.");
        add(
                "auth.admin_token_file",
                ConfigKey.Type.PATH,
                "Where the first start writes a platform admin token (mode 0600); none: <data_dir>/admin.token.",
                shape -> Optional.empty(),
                false,
                null,
                null);

        add(
                "keys.master_key_file",
                ConfigKey.Type.PATH,
                "Master key file (Tink keyset, mode 0600); none and no KMS: <data_dir>/keys/master.json, created at first start.",
                shape -> Optional.empty(),
                true,
                null,
                null);
        string(
                "keys.kms_uri",
                "KMS key URI for the master key in online mode (exclusive with keys.master_key_file).",
                null);
        integer("keys.retired_version_grace_days", "Days a retired KEK version is kept after rewrap.", 30, 0, 3650);

        add(
                "signing.key_file",
                ConfigKey.Type.PATH,
                "Ed25519 key signing proofs, receipts and bundles; none: <data_dir>/keys/signing.jwk.",
                shape -> Optional.empty(),
                true,
                null,
                null);
        add(
                "audit.key_file",
                ConfigKey.Type.PATH,
                "Ed25519 key signing audit checkpoints; none: <data_dir>/keys/audit.jwk.",
                shape -> Optional.empty(),
                true,
                null,
                null);
        integer(
                "audit.checkpoint_every_events",
                "Signed checkpoint after this many events of a chain.",
                1000,
                1,
                10_000_000);
        integer("audit.checkpoint_every_seconds", "Signed checkpoint after this many seconds.", 300, 1, 86400);
        string("audit.checkpoint_sink", "Where checkpoints are also written; none: the database only.", null);
        integer("audit.retention_days", "Audit retention in days.", 2555, 1, 36500);

        enumKey("provisioning.provisioner", "Tenant provisioner.", "local", "local", "hetzner");
        integer("provisioning.timeout_minutes", "Provisioning timeout.", 30, 1, 1440);
        secret("provisioning.hetzner.token", "Hetzner Cloud API token.");
        string("provisioning.hetzner.location", "Hetzner location.", "nbg1");

        integer("backup.retention_days", "Backup retention, stated in deletion receipts.", 30, 0, 3650);
        string(
                "metrics.bind",
                "host:port of a separate listener serving only /metrics (e.g. a private interface); none: /metrics on the API port.",
                null);
        enumKey("logging.level", "Log level.", "INFO", "TRACE", "DEBUG", "INFO", "WARN", "ERROR");
        add(
                "ratelimit.store",
                ConfigKey.Type.ENUM,
                "Where rate-limit buckets live: in memory (one node) or PostgreSQL (shared by every node).",
                shape -> Optional.of(shape == Shape.EMBEDDED ? "memory" : "postgres"),
                false,
                null,
                null,
                "memory",
                "postgres");
    }

    private ConfigSchema() {}

    /** All keys, in documentation order. */
    public static List<ConfigKey> keys() {
        return List.copyOf(KEYS.values());
    }

    public static Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    private static void add(
            String name,
            ConfigKey.Type type,
            String description,
            Function<Shape, Optional<Object>> defaults,
            boolean secret,
            Double min,
            Double max,
            String... allowed) {
        ConfigKey key = new ConfigKey(
                name,
                type,
                description,
                defaults,
                secret,
                Optional.ofNullable(min),
                Optional.ofNullable(max),
                List.of(allowed));
        if (KEYS.putIfAbsent(name, key) != null) {
            throw new IllegalStateException("duplicate config key " + name);
        }
    }

    private static void enumKey(String name, String description, String defaultValue, String... allowed) {
        add(name, ConfigKey.Type.ENUM, description, shape -> Optional.of(defaultValue), false, null, null, allowed);
    }

    private static void integer(String name, String description, int defaultValue, int min, int max) {
        add(name, ConfigKey.Type.INT, description, shape -> Optional.of(defaultValue), false, (double) min, (double)
                max);
    }

    private static void decimal(String name, String description, double defaultValue, double min, double max) {
        add(name, ConfigKey.Type.DOUBLE, description, shape -> Optional.of(defaultValue), false, min, max);
    }

    private static void string(String name, String description, String defaultValue) {
        add(name, ConfigKey.Type.STRING, description, shape -> Optional.ofNullable(defaultValue), false, null, null);
    }

    private static void secret(String name, String description) {
        add(name, ConfigKey.Type.STRING, description, shape -> Optional.empty(), true, null, null);
    }
}
