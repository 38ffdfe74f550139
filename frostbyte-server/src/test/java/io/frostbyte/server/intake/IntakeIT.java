package io.frostbyte.server.intake;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.clamav.ClamdProcess;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.crypto.SigningKey;
import io.frostbyte.crypto.SigningKeySigner;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.ApiClient;
import io.frostbyte.server.FrostbyteNode;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.metrics.TenantUsageMeter;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake gateway end to end: a real server on a random port, embedded-or-external PostgreSQL, the filesystem
 * object store and a real clamd with the EICAR-only signature database. Every hostile input gets the spec's code and
 * leaves nothing behind.
 */
class IntakeIT {
    private static final Path CORPUS = Path.of("../../shared/corpus/docling-testdata");
    private static final byte[] PDF = read(CORPUS.resolve("pdf/sources/2305.03393v1-pg9.pdf"));
    private static final byte[] DOCX = read(CORPUS.resolve("docx/sources/lorem_ipsum.docx"));
    private static final byte[] XLSX = read(CORPUS.resolve("xlsx/sources/xlsx_01.xlsx"));
    private static final byte[] CSV = read(CORPUS.resolve("csv/sources/csv-semicolon.csv"));
    private static final byte[] TXT = read(Path.of("../../shared/corpus/tika-test-documents/text/testTXT.txt"));
    private static final byte[] EICAR =
            "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*".getBytes(US_ASCII);
    private static final byte[] PNG_BYTES = {
        (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1
    };
    private static final String PDF_MIME = "application/pdf";
    private static final String DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static final String XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @TempDir
    static Path dataDir;

    private static TestDatabase db;
    private static ClamdProcess clamd;
    private static FrostbyteNode node;
    private static ApiClient api;
    private static String admin;

    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId TINY = TenantId.of("tiny-vendor");
    private static final TenantId PAUSED = TenantId.of("paused-vendor");

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        clamd = ClamdProcess.start();
        FrostbyteConfig config = FrostbyteConfig.from(ConfigLoader.load(
                Optional.empty(),
                Map.of(
                        "FROSTBYTE_DATA_DIR", dataDir.toString(),
                        "FROSTBYTE_SERVER__PORT", "0",
                        "FROSTBYTE_DB__URL", db.url().url(),
                        "FROSTBYTE_MALWARE__CLAMD_HOST", "127.0.0.1",
                        "FROSTBYTE_MALWARE__CLAMD_PORT", Integer.toString(clamd.port()),
                        "FROSTBYTE_MALWARE__REQUIRED", "true",
                        "FROSTBYTE_MALWARE__STREAM_MAX_MB", "1")));
        node = FrostbyteNode.start(config, Clock.systemUTC(), Map.of());
        api = new ApiClient(node.url().orElseThrow());
        admin = Files.readString(node.adminTokenFile()).strip();
        createTenant(ACME, "{}");
        createTenant(TINY, "{\"max_batch_size\":2,\"max_file_size_mb\":1,\"storage_quota_gb\":1}");
        createTenant(PAUSED, "{}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (clamd != null) {
            clamd.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static void createTenant(TenantId tenant, String config) {
        ApiClient.Response created = api.postJson(
                "/api/v1/admin/tenants",
                admin,
                "{\"tenant_id\":\"" + tenant.value() + "\",\"tenant_name\":\"T " + tenant.value()
                        + "\",\"contact_email\":\"ops@example.com\",\"tier\":\"standard\",\"config\":" + config + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/v1/admin/tenants/" + tenant.value(), admin)
                        .json()
                        .path("data")
                        .path("state")
                        .asText()
                        .equals("ACTIVE"));
        node.tenantCache().refresh();
    }

    private static String token(TenantId tenant, Role role) {
        long epoch = node.registry().find(tenant).orElseThrow().keyEpoch();
        return node.tokens()
                .issue("dana", tenant, role, EnumSet.of(Scope.INGEST, Scope.QUERY), Duration.ofHours(1), epoch)
                .token();
    }

    /** A batch of one text file, declared in the manifest as it is sent. */
    private static Multipart oneTextFile(TenantId tenant, String batchId, String fileId, String filename, byte[] text) {
        return new Multipart()
                .manifest(new ManifestJson(batchId, tenant.value())
                        .add(fileId, filename, "text/plain", text)
                        .json())
                .file(filename, text);
    }

    private static ApiClient.Response submit(TenantId tenant, String token, Multipart body) {
        return api.post("/api/v1/ingest/" + tenant.value() + "/batch", token, Multipart.CONTENT_TYPE, body.bytes());
    }

    private static JsonNode data(ApiClient.Response response) {
        return response.json().path("data");
    }

    /** The tenant's intake objects (raw, quarantine, staging); pipeline outputs are left out. */
    private static List<String> objects(TenantId tenant) throws IOException {
        Path root = dataDir.resolve("tenants").resolve(tenant.value()).resolve("objects");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(path -> root.relativize(path).toString())
                    .filter(path ->
                            path.startsWith("raw/") || path.startsWith("quarantine/") || path.startsWith("staging/"))
                    .sorted()
                    .toList();
        }
    }

    private static long count(String sql, Object... args) throws Exception {
        try (Connection connection = node.database().database().dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long batchesOf(TenantId tenant) throws Exception {
        return count("SELECT count(*) FROM batches WHERE tenant_id = ?", tenant.value());
    }

    private static long parseJobs(TenantId tenant) throws Exception {
        return count("SELECT count(*) FROM jobs WHERE tenant_id = ? AND stage = 'parse'", tenant.value());
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // --- the good path -------------------------------------------------------------------------------------------

    @Test
    void a_batch_of_real_documents_gets_signed_receipts_encrypted_objects_parse_jobs_and_audit_events()
            throws Exception {
        String token = token(ACME, Role.TENANT_ADMIN);
        ManifestJson manifest = new ManifestJson("batch-good-001", ACME.value())
                .add("f-0001", "paper.pdf", PDF_MIME, PDF)
                .add("f-0002", "lorem.docx", DOCX_MIME, DOCX)
                .add("f-0003", "sheet.xlsx", XLSX_MIME, XLSX)
                .add("f-0004", "rates.csv", "text/csv", CSV)
                .add("f-0005", "notes.txt", "text/plain", TXT);
        manifest.root.put("submitter", "dana.ops@vendor.example");
        Multipart body = new Multipart()
                .manifest(manifest.json())
                .file("paper.pdf", PDF)
                .file("lorem.docx", DOCX)
                .file("sheet.xlsx", XLSX)
                .file("rates.csv", CSV)
                .file("notes.txt", TXT);

        ApiClient.Response response = submit(ACME, token, body);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode receipt = data(response);
        assertThat(receipt.path("status").asText()).isEqualTo("RECEIVED");
        assertThat(receipt.path("accepted").asInt()).isEqualTo(5);
        assertThat(receipt.path("rejected").asInt()).isZero();
        assertThat(receipt.path("manifest_sha256").asText())
                .isEqualTo(Multipart.sha256(manifest.json().getBytes(UTF_8)));
        assertThat(receipt.path("events_url").asText())
                .isEqualTo("/api/v1/ingest/acme-corp/batch/batch-good-001/events");
        assertThat(receipt.path("warnings")).isEmpty();
        assertThat(response.header("Location")).isEqualTo("/api/v1/ingest/acme-corp/batch/batch-good-001");

        // each receipt is signed over its canonical JSON with the platform signing key
        SigningKeySigner verifier = new SigningKeySigner(
                SigningKey.loadOrCreate(node.config().keys().signingKeyFile()));
        for (JsonNode summary : receipt.path("receipts")) {
            JsonNode full = data(api.get(
                    "/api/v1/ingest/acme-corp/receipt/"
                            + summary.path("receipt_id").asText(),
                    token));
            assertThat(full.path("status").asText()).isEqualTo("accepted");
            assertThat(full.path("scan_result").asText()).isEqualTo("clean");
            assertThat(full.path("scan_engine").asText()).startsWith("ClamAV");
            assertThat(full.path("doc_id").asText()).matches("doc_[0-9a-f]{24}");
            assertThat(full.path("storage_path").asText())
                    .isEqualTo("raw/" + full.path("file_id").asText() + "/"
                            + full.path("sha256").asText());
            Map<String, Object> unsigned = Json.mapper().convertValue(full, TreeMap.class);
            unsigned.remove("signature");
            SignatureValue signature = new SignatureValue(
                    full.path("signature").path("alg").asText(),
                    full.path("signature").path("key_id").asText(),
                    full.path("signature").path("value").asText());
            assertThat(verifier.verify(CanonicalJson.write(unsigned).getBytes(UTF_8), signature))
                    .isTrue();
        }

        // stored objects are ciphertext: no plaintext marker of the PDF, and exactly the five raw objects
        List<String> stored = objects(ACME);
        assertThat(stored).noneMatch(path -> path.startsWith("staging/"));
        assertThat(stored.stream().filter(path -> path.startsWith("raw/f-000"))).hasSize(5);
        Path pdfObject = dataDir.resolve("tenants/acme-corp/objects").resolve("raw/f-0001/" + Multipart.sha256(PDF));
        byte[] onDisk = Files.readAllBytes(pdfObject);
        assertThat(new String(onDisk, US_ASCII)).doesNotContain("%PDF");
        assertThat(onDisk.length).isGreaterThan(PDF.length);

        // batch status: intake completed, the rest queued
        JsonNode status = data(api.get("/api/v1/ingest/acme-corp/batch/batch-good-001", token));
        // the workers may already be at it: intake is done, every file is on its way to the index
        assertThat(status.path("status").asText()).isIn("RECEIVED", "PROCESSING", "COMPLETED");
        assertThat(status.path("summary").path("total_files").asInt()).isEqualTo(5);
        JsonNode first = status.path("files").get(0);
        assertThat(first.path("stages").path("intake").asText()).isEqualTo("completed");
        assertThat(first.path("file_status").asText()).isIn("queued", "processing", "indexed");

        assertThat(parseJobs(ACME)).isGreaterThanOrEqualTo(5);
        assertThat(count(
                        "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND event_type = 'DOCUMENT_INGESTED'",
                        ACME.value()))
                .isGreaterThanOrEqualTo(5);
        assertThat(count(
                        "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND event_type = 'BATCH_RECEIVED'"
                                + " AND resource_id = 'batch-good-001'",
                        ACME.value()))
                .isEqualTo(1);
        // the submitter's address reaches the audit log only as a hash
        assertThat(count(
                        "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND details::text LIKE '%vendor.example%'",
                        ACME.value()))
                .isZero();
    }

    @Test
    void the_same_batch_sent_twice_gets_the_stored_receipt_and_nothing_is_stored_twice() throws Exception {
        String token = token(ACME, Role.TENANT_ADMIN);
        byte[] text = "a note sent twice\n".getBytes(UTF_8);
        ManifestJson manifest =
                new ManifestJson("batch-twice", ACME.value()).add("f-1", "twice.txt", "text/plain", text);
        Multipart body = new Multipart().manifest(manifest.json()).file("twice.txt", text);

        ApiClient.Response first = submit(ACME, token, body);
        long jobs = parseJobs(ACME);
        List<String> stored = objects(ACME);
        ApiClient.Response second = submit(ACME, token, body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(data(second)).isEqualTo(data(first));
        assertThat(parseJobs(ACME)).isEqualTo(jobs);
        assertThat(objects(ACME)).isEqualTo(stored);

        ManifestJson other = new ManifestJson("batch-twice", ACME.value())
                .add("f-1", "twice.txt", "text/plain", text)
                .add("f-2", "again.txt", "text/plain", text);
        ApiClient.Response conflict = submit(
                ACME,
                token,
                new Multipart().manifest(other.json()).file("twice.txt", text).file("again.txt", text));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorCode()).isEqualTo("BATCH_ALREADY_EXISTS");
    }

    @Test
    void bytes_the_tenant_already_has_are_deduplicated_to_the_first_document_without_a_new_parse_job()
            throws Exception {
        String token = token(ACME, Role.TENANT_ADMIN);
        byte[] text = "the same content in two batches and twice in one\n".getBytes(UTF_8);
        ApiClient.Response first = submit(
                ACME,
                token,
                new Multipart()
                        .manifest(new ManifestJson("batch-dedupe-1", ACME.value())
                                .add("a", "a.txt", "text/plain", text)
                                .add("b", "b.txt", "text/plain", text)
                                .json())
                        .file("a.txt", text)
                        .file("b.txt", text));
        long jobs = parseJobs(ACME);
        ApiClient.Response second = submit(ACME, token, oneTextFile(ACME, "batch-dedupe-2", "c", "c.txt", text));

        assertThat(data(first).path("deduplicated").asInt()).isEqualTo(1);
        JsonNode original = data(first).path("receipts").get(0);
        assertThat(data(first).path("receipts").get(1).path("doc_id")).isEqualTo(original.path("doc_id"));
        JsonNode again = data(second).path("receipts").get(0);
        assertThat(again.path("deduplicated").asBoolean()).isTrue();
        assertThat(again.path("doc_id")).isEqualTo(original.path("doc_id"));
        assertThat(parseJobs(ACME)).isEqualTo(jobs);
        assertThat(data(api.get("/api/v1/ingest/acme-corp/batch/batch-dedupe-2", token))
                        .path("status")
                        .asText())
                .isEqualTo("COMPLETED");
        JsonNode receipt = data(api.get(
                "/api/v1/ingest/acme-corp/receipt/" + again.path("receipt_id").asText(), token));
        assertThat(receipt.path("storage_path").asText()).isEqualTo("raw/a/" + Multipart.sha256(text));
    }

    // --- per-file rejections: the batch is committed, the file is not stored --------------------------------------

    @Test
    void a_wrong_checksum_is_rejected_and_an_uppercase_checksum_is_accepted() throws Exception {
        String token = token(ACME, Role.TENANT_ADMIN);
        byte[] good = "checksum case test\n".getBytes(UTF_8);
        byte[] bad = "the manifest hashes other bytes\n".getBytes(UTF_8);
        ManifestJson manifest = new ManifestJson("batch-checksums", ACME.value())
                .add(
                        "upper",
                        "upper.txt",
                        "text/plain",
                        good.length,
                        Multipart.sha256(good).toUpperCase())
                .add("wrong", "wrong.txt", "text/plain", bad.length, Multipart.sha256(good));

        ApiClient.Response response = submit(
                ACME,
                token,
                new Multipart()
                        .manifest(manifest.json())
                        .file("upper.txt", good)
                        .file("wrong.txt", bad));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(data(response).path("accepted").asInt()).isEqualTo(1);
        JsonNode rejected = data(response).path("rejected_files").get(0);
        assertThat(rejected.path("file_id").asText()).isEqualTo("wrong");
        assertThat(rejected.path("reason").asText()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(objects(ACME)).noneMatch(path -> path.startsWith("raw/wrong/"));
        assertThat(count(
                        "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND event_type = 'DOCUMENT_REJECTED'"
                                + " AND details->>'file_id' = 'wrong' AND details->>'failed_check' = 'checksum'",
                        ACME.value()))
                .isEqualTo(1);
    }

    @Test
    void spoofed_types_executables_and_empty_files_are_rejected_as_unsupported_formats() throws Exception {
        String token = token(ACME, Role.TENANT_ADMIN);
        byte[] exe = new byte[512];
        exe[0] = 'M';
        exe[1] = 'Z';
        byte[] empty = new byte[0];
        ManifestJson manifest = new ManifestJson("batch-spoofed", ACME.value())
                .add("png-as-pdf", "report.pdf", PDF_MIME, PNG_BYTES)
                .add("exe-as-docx", "contract.docx", DOCX_MIME, exe)
                .add("empty", "empty.txt", "text/plain", empty)
                .add("double-ext", "report.pdf.exe", PDF_MIME, PDF);

        ApiClient.Response response = submit(
                ACME,
                token,
                new Multipart()
                        .manifest(manifest.json())
                        .file("report.pdf", PNG_BYTES)
                        .file("contract.docx", exe)
                        .file("empty.txt", empty)
                        .file("report.pdf.exe", PDF));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(data(response).path("rejected").asInt()).isEqualTo(4);
        for (JsonNode rejected : data(response).path("rejected_files")) {
            assertThat(rejected.path("reason").asText()).isEqualTo("UNSUPPORTED_FORMAT");
        }
        JsonNode receipt = data(api.get(
                "/api/v1/ingest/acme-corp/receipt/"
                        + data(response)
                                .path("receipts")
                                .get(0)
                                .path("receipt_id")
                                .asText(),
                token));
        assertThat(receipt.path("declared_mime_type").asText()).isEqualTo(PDF_MIME);
        assertThat(receipt.path("mime_type").asText()).isEqualTo("image/png");
        assertThat(objects(ACME)).noneMatch(path -> path.contains("png-as-pdf") || path.contains("exe-as-docx"));
        assertThat(data(api.get("/api/v1/ingest/acme-corp/batch/batch-spoofed", token))
                        .path("status")
                        .asText())
                .isEqualTo("FAILED");
    }

    @Test
    void the_eicar_file_is_quarantined_encrypted_and_never_enqueued() throws Exception {
        String token = token(ACME, Role.TENANT_ADMIN);
        long jobs = parseJobs(ACME);
        ManifestJson manifest =
                new ManifestJson("batch-eicar", ACME.value()).add("eicar", "eicar.txt", "text/plain", EICAR);

        ApiClient.Response response =
                submit(ACME, token, new Multipart().manifest(manifest.json()).file("eicar.txt", EICAR));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(data(response).path("quarantined").asInt()).isEqualTo(1);
        assertThat(data(response)
                        .path("quarantined_files")
                        .get(0)
                        .path("reason")
                        .asText())
                .isEqualTo("MALWARE_DETECTED");
        JsonNode receipt = data(api.get(
                "/api/v1/ingest/acme-corp/receipt/"
                        + data(response)
                                .path("receipts")
                                .get(0)
                                .path("receipt_id")
                                .asText(),
                token));
        assertThat(receipt.path("scan_result").asText()).isEqualTo("quarantined");
        assertThat(receipt.path("scan_threat").asText()).startsWith("Frostbyte.Test.EICAR");
        assertThat(receipt.path("storage_path").asText()).startsWith("quarantine/eicar/");
        assertThat(objects(ACME)).contains("quarantine/eicar/" + Multipart.sha256(EICAR));
        byte[] onDisk = Files.readAllBytes(
                dataDir.resolve("tenants/acme-corp/objects/quarantine/eicar").resolve(Multipart.sha256(EICAR)));
        assertThat(new String(onDisk, US_ASCII)).doesNotContain("EICAR");
        assertThat(parseJobs(ACME)).isEqualTo(jobs);
    }

    @Test
    void hostile_filenames_are_reduced_to_their_basename_kept_and_shown_escaped() throws Exception {
        String token = token(ACME, Role.TENANT_ADMIN);
        byte[] text = "file name tricks\n".getBytes(UTF_8);
        byte[] other = "right to left override\n".getBytes(UTF_8);
        String rlo = "invoice\u202Etxt.exe.txt";
        ManifestJson manifest = new ManifestJson("batch-names", ACME.value())
                .add("dots", "../../etc/passwd.txt", "text/plain", text)
                .add("rlo", rlo, "text/plain", other);

        ApiClient.Response response = submit(
                ACME,
                token,
                new Multipart()
                        .manifest(manifest.json())
                        .file("passwd.txt", text)
                        .file(rlo, other));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(data(response).path("accepted").asInt()).isEqualTo(2);
        ApiClient.Response status = api.get("/api/v1/ingest/acme-corp/batch/batch-names", token);
        assertThat(data(status).path("files").get(0).path("original_filename").asText())
                .isEqualTo("passwd.txt");
        assertThat(data(status).path("files").get(1).path("original_filename").asText())
                .isEqualTo(rlo);
        assertThat(status.body()).contains("invoice\\u202Etxt.exe.txt").doesNotContain("\u202E");
        assertThat(Files.exists(dataDir.resolve("etc"))).isFalse();
    }

    // --- whole-batch rejections: nothing stored -------------------------------------------------------------------

    @Test
    void a_missing_or_malformed_manifest_is_manifest_invalid_and_stores_nothing() throws Exception {
        String token = token(TINY, Role.TENANT_ADMIN);
        byte[] text = "x\n".getBytes(UTF_8);

        ApiClient.Response noManifest = submit(TINY, token, new Multipart().file("a.txt", text));
        ApiClient.Response notJson =
                submit(TINY, token, new Multipart().manifest("{not json").file("a.txt", text));
        ApiClient.Response unknownField = submit(
                TINY,
                token,
                new Multipart()
                        .manifest(new ManifestJson("b-1", TINY.value())
                                .add("a", "a.txt", "text/plain", text)
                                .root
                                .put("priority", "high")
                                .toString())
                        .file("a.txt", text));

        assertThat(noManifest.status()).isEqualTo(400);
        assertThat(noManifest.errorCode()).isEqualTo("MANIFEST_INVALID");
        assertThat(notJson.errorCode()).isEqualTo("MANIFEST_INVALID");
        assertThat(unknownField.errorCode()).isEqualTo("MANIFEST_INVALID");
        assertThat(unknownField
                        .json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("priority");
        assertThat(batchesOf(TINY)).isZero();
        assertThat(objects(TINY)).isEmpty();
    }

    @Test
    void manifest_rules_fail_with_their_own_codes_in_spec_order() throws Exception {
        String token = token(TINY, Role.TENANT_ADMIN);
        byte[] text = "x\n".getBytes(UTF_8);
        ManifestJson countMismatch = new ManifestJson("b-count", TINY.value()).add("a", "a.txt", "text/plain", text);
        countMismatch.root.put("file_count", 2);
        ManifestJson otherTenant = new ManifestJson("b-tenant", ACME.value()).add("a", "a.txt", "text/plain", text);
        ManifestJson duplicate = new ManifestJson("b-dup", TINY.value())
                .add("a", "a.txt", "text/plain", text)
                .add("a", "b.txt", "text/plain", text);
        ManifestJson tooMany = new ManifestJson("b-many", TINY.value())
                .add("a", "a.txt", "text/plain", text)
                .add("b", "b.txt", "text/plain", text)
                .add("c", "c.txt", "text/plain", text);
        ManifestJson nul = new ManifestJson("b-nul", TINY.value()).add("a", "a\u0000.txt", "text/plain", text);
        ManifestJson longName =
                new ManifestJson("b-long", TINY.value()).add("a", "n".repeat(10_000) + ".txt", "text/plain", text);
        ManifestJson dotId = new ManifestJson("b-dots", TINY.value()).add("..", "a.txt", "text/plain", text);

        assertThat(submit(
                                TINY,
                                token,
                                new Multipart().manifest(countMismatch.json()).file("a.txt", text))
                        .errorCode())
                .isEqualTo("MANIFEST_FILE_COUNT_MISMATCH");
        assertThat(submit(
                                TINY,
                                token,
                                new Multipart().manifest(otherTenant.json()).file("a.txt", text))
                        .errorCode())
                .isEqualTo("MANIFEST_INVALID");
        assertThat(submit(
                                TINY,
                                token,
                                new Multipart()
                                        .manifest(duplicate.json())
                                        .file("a.txt", text)
                                        .file("b.txt", text))
                        .errorCode())
                .isEqualTo("DUPLICATE_FILE_ID");
        ApiClient.Response many = submit(
                TINY,
                token,
                new Multipart()
                        .manifest(tooMany.json())
                        .file("a.txt", text)
                        .file("b.txt", text)
                        .file("c.txt", text));
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.errorCode()).isEqualTo("BATCH_TOO_LARGE");
        assertThat(submit(TINY, token, new Multipart().manifest(nul.json()).file("a.txt", text))
                        .errorCode())
                .isEqualTo("MANIFEST_INVALID");
        assertThat(submit(TINY, token, new Multipart().manifest(longName.json()).file("a.txt", text))
                        .errorCode())
                .isEqualTo("MANIFEST_INVALID");
        assertThat(submit(TINY, token, new Multipart().manifest(dotId.json()).file("a.txt", text))
                        .errorCode())
                .isEqualTo("MANIFEST_INVALID");
        assertThat(batchesOf(TINY)).isZero();
        assertThat(objects(TINY)).isEmpty();
    }

    @Test
    void a_part_without_an_entry_or_an_entry_without_a_part_fails_the_whole_batch_and_removes_staged_bytes()
            throws Exception {
        String token = token(TINY, Role.TENANT_ADMIN);
        byte[] text = "x\n".getBytes(UTF_8);
        ManifestJson one = new ManifestJson("b-parts", TINY.value()).add("a", "a.txt", "text/plain", text);
        ManifestJson two = new ManifestJson("b-parts", TINY.value())
                .add("a", "a.txt", "text/plain", text)
                .add("b", "b.txt", "text/plain", text);

        ApiClient.Response extraPart = submit(
                TINY,
                token,
                new Multipart().manifest(one.json()).file("a.txt", text).file("b.txt", text));
        ApiClient.Response missingPart =
                submit(TINY, token, new Multipart().manifest(two.json()).file("a.txt", text));
        ApiClient.Response renamedPart =
                submit(TINY, token, new Multipart().manifest(one.json()).file("z.txt", text));

        assertThat(extraPart.errorCode()).isEqualTo("MANIFEST_FILE_COUNT_MISMATCH");
        assertThat(missingPart.errorCode()).isEqualTo("MANIFEST_FILE_COUNT_MISMATCH");
        assertThat(renamedPart.errorCode()).isEqualTo("MANIFEST_INVALID");
        assertThat(batchesOf(TINY)).isZero();
        assertThat(objects(TINY)).isEmpty();
    }

    @Test
    void a_file_over_the_size_limit_is_cut_off_without_reading_the_rest_and_nothing_is_committed() throws Exception {
        String token = token(TINY, Role.TENANT_ADMIN);
        ManifestJson manifest =
                new ManifestJson("b-huge", TINY.value()).add("huge", "huge.txt", "text/plain", 1000, "0".repeat(64));
        // an endless part: if the server read to the end, this request would never finish
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                return len;
            }
        };
        Multipart body =
                new Multipart().manifest(manifest.json()).part("files", "huge.txt", "text/plain", () -> endless);
        HttpRequest request = HttpRequest.newBuilder(
                        node.url().orElseThrow().resolve("/api/v1/ingest/tiny-vendor/batch"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", Multipart.CONTENT_TYPE)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(body::stream))
                .build();

        Optional<HttpResponse<String>> response;
        try {
            response = Optional.of(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            response = Optional.empty(); // the server may close the connection while the client still sends
        }

        response.ifPresent(answer -> {
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.body()).contains("PAYLOAD_TOO_LARGE");
        });
        assertThat(batchesOf(TINY)).isZero();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(objects(TINY)).isEmpty());
        assertThat(count(
                        "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND event_type = 'BATCH_RECEIVED'",
                        TINY.value()))
                .isZero();
    }

    @Test
    void declared_sizes_over_the_limit_or_the_quota_are_refused_before_any_file_byte_is_read() throws Exception {
        String token = token(TINY, Role.TENANT_ADMIN);
        ManifestJson big = new ManifestJson("b-declared", TINY.value())
                .add("big", "big.txt", "text/plain", 2L * 1024 * 1024, "0".repeat(64));
        ManifestJson quota = new ManifestJson("b-quota", TINY.value())
                .add("q1", "q1.txt", "text/plain", 700L * 1024 * 1024, "0".repeat(64))
                .add("q2", "q2.txt", "text/plain", 700L * 1024 * 1024, "0".repeat(64));

        ApiClient.Response tooBig = submit(TINY, token, new Multipart().manifest(big.json()));
        ApiClient.Response overQuota = submit(TINY, token, new Multipart().manifest(quota.json()));

        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(tooBig.json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("files[0].size_bytes");
        assertThat(overQuota.status()).isEqualTo(403);
        assertThat(overQuota.errorCode()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(batchesOf(TINY)).isZero();
    }

    @Test
    void usage_reports_what_the_tenant_stores_and_metrics_export_it_under_its_tenant_id() throws Exception {
        TenantId metered = TenantId.of("metered-vendor");
        createTenant(metered, "{\"storage_quota_gb\":2}");
        byte[] text = "a line that takes up room\n".repeat(1000).getBytes(UTF_8);
        ManifestJson manifest =
                new ManifestJson("batch-usage", metered.value()).add("f-1", "usage.txt", "text/plain", text);
        ApiClient.Response accepted = submit(
                metered,
                token(metered, Role.TENANT_ADMIN),
                new Multipart().manifest(manifest.json()).file("usage.txt", text));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);

        TenantUsageMeter.TenantUsage usage = node.usageMeter().measure(metered);
        JsonNode reported =
                data(api.get("/api/v1/admin/tenants/" + metered.value(), admin)).path("usage");
        String metrics = api.get("/metrics", null).body();

        assertThat(usage.objects().objects()).isPositive();
        assertThat(usage.objects().bytes()).isGreaterThan(text.length);
        assertThat(usage.databaseBytes()).isPositive();
        assertThat(usage.documents()).isEqualTo(1);
        assertThat(usage.batches()).isEqualTo(1);
        assertThat(usage.quotaBytes()).isEqualTo(2L << 30);
        assertThat(node.usageMeter().usedBytes(metered)).isGreaterThanOrEqualTo(usage.totalBytes());
        assertThat(reported.path("storage_used_gb").path("object").asDouble()).isPositive();
        assertThat(reported.path("storage_used_gb").path("database").asDouble()).isPositive();
        assertThat(reported.path("storage_used_gb").path("total").asDouble())
                .isGreaterThanOrEqualTo(
                        reported.path("storage_used_gb").path("object").asDouble());
        assertThat(reported.path("documents_count").asLong()).isEqualTo(1);
        assertThat(reported.path("batches_count").asLong()).isEqualTo(1);
        assertThat(reported.path("quota_gb").asInt()).isEqualTo(2);
        assertThat(gauge(metrics, "frostbyte_storage_bytes{store=\"object\",tenant_id=\"metered-vendor\"}"))
                .isEqualTo(usage.objects().bytes());
        assertThat(gauge(metrics, "frostbyte_storage_bytes{store=\"database\",tenant_id=\"metered-vendor\"}"))
                .isEqualTo(usage.databaseBytes());
        assertThat(gauge(metrics, "frostbyte_storage_objects{store=\"object\",tenant_id=\"metered-vendor\"}"))
                .isEqualTo(usage.objects().objects());
        assertThat(gauge(metrics, "frostbyte_tenant_quota_bytes{tenant_id=\"metered-vendor\"}"))
                .isEqualTo(2L << 30);
        assertThat(gauge(metrics, "frostbyte_tenant_state{state=\"ACTIVE\",tenant_id=\"metered-vendor\"}"))
                .isEqualTo(1);
        assertThat(gauge(metrics, "frostbyte_tenant_state{state=\"SUSPENDED\",tenant_id=\"metered-vendor\"}"))
                .isZero();
        assertThat(gauge(metrics, "frostbyte_tenant_embedding_halted{tenant_id=\"metered-vendor\"}"))
                .isZero();
        assertThat(node.usageMeter().nearlyFull(metered)).isFalse();
        // node-level: the age of clamd's signature database (NaN for the test database, which has no date)
        assertThat(metrics).containsPattern("(?m)^frostbyte_malware_signature_age_seconds (NaN|[0-9.E]+)$");
    }

    @Test
    void the_scheduled_verification_counts_a_tampered_chain_and_checkpoint_ages_are_exported() throws Exception {
        TenantId audited = TenantId.of("audited-vendor");
        createTenant(audited, "{}");
        byte[] text = "an audited line\n".getBytes(UTF_8);
        ApiClient.Response accepted = submit(
                audited,
                token(audited, Role.TENANT_ADMIN),
                oneTextFile(audited, "batch-audited", "f-1", "a.txt", text));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        node.database().database().inTransaction(c -> node.checkpointer().checkpointNow(c, audited));

        List<TenantId> intact = node.auditWatch().verifyNow();
        node.auditWatch().readCheckpoints();
        String before = api.get("/metrics", null).body();
        try (Connection c = db.adminConnection();
                java.sql.Statement statement = c.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.execute("UPDATE audit_events SET details = jsonb_set(details, '{file_count}', '999')"
                    + " WHERE tenant_id = 'audited-vendor' AND event_type = 'BATCH_RECEIVED'");
            statement.execute("RESET session_replication_role");
        }
        List<TenantId> broken = node.auditWatch().verifyNow();

        assertThat(intact).doesNotContain(audited);
        assertThat(before).containsPattern("frostbyte_audit_checkpoint_age_seconds\\{tenant_id=\"audited-vendor\"\\} ");
        assertThat(broken).containsExactly(audited);
        assertThat(gauge(
                        api.get("/metrics", null).body(),
                        "frostbyte_audit_verify_failures_total{tenant_id=\"audited-vendor\"}"))
                .isEqualTo(1);
    }

    /** The value of one series in Prometheus text, as a whole number. */
    private static long gauge(String metrics, String series) {
        return metrics.lines()
                .filter(line -> line.startsWith(series + " "))
                .map(line -> (long) Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series));
    }

    @Test
    void a_body_that_is_not_multipart_is_unsupported_media_type() {
        ApiClient.Response response =
                api.postJson("/api/v1/ingest/tiny-vendor/batch", token(TINY, Role.TENANT_ADMIN), "{}");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    // --- who may submit --------------------------------------------------------------------------------------------

    @Test
    void another_tenants_token_a_read_only_role_and_a_suspended_tenant_are_refused() throws Exception {
        byte[] text = "x\n".getBytes(UTF_8);
        Multipart body = new Multipart()
                .manifest(new ManifestJson("b-auth", PAUSED.value())
                        .add("a", "a.txt", "text/plain", text)
                        .json())
                .file("a.txt", text);

        ApiClient.Response foreign = submit(PAUSED, token(ACME, Role.TENANT_ADMIN), body);
        ApiClient.Response readOnly = submit(PAUSED, token(PAUSED, Role.TENANT_USER), body);
        String pausedToken = token(PAUSED, Role.TENANT_ADMIN);
        ApiClient.Response suspend =
                api.postJson("/api/v1/admin/tenants/paused-vendor/suspend", admin, "{\"reason\":\"incident drill\"}");
        assertThat(suspend.status()).as(suspend.body()).isEqualTo(200);
        node.tenantCache().refresh();
        ApiClient.Response suspended = submit(PAUSED, pausedToken, body);

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(suspended.status()).isIn(401, 403);
        assertThat(batchesOf(PAUSED)).isZero();
        assertThat(objects(PAUSED)).isEmpty();
    }

    @Test
    void a_tenant_suspended_while_its_batch_is_being_received_gets_403_and_nothing_of_the_batch_is_kept()
            throws Exception {
        TenantId midway = TenantId.of("midway-vendor");
        createTenant(midway, "{}");
        byte[] first = "the first file arrives whole\n".getBytes(UTF_8);
        byte[] second = "the second file is still arriving when the tenant is suspended\n"
                .repeat(16_000)
                .getBytes(UTF_8);
        byte[] body = new Multipart()
                .manifest(new ManifestJson("batch-midway", midway.value())
                        .add("f1", "one.txt", "text/plain", first)
                        .add("f2", "two.txt", "text/plain", second)
                        .json())
                .file("one.txt", first)
                .file("two.txt", second)
                .bytes();
        // the body stops in the middle of the (1 MB) second file until the suspension is in place: whatever the
        // server's read-ahead, the first file is complete and staged by then
        int pause = indexOf(body, "the second file".getBytes(UTF_8)) + second.length / 2;
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        java.io.InputStream slow = new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(body, 0, pause), new java.io.InputStream() {
                    private final java.io.InputStream rest =
                            new java.io.ByteArrayInputStream(body, pause, body.length - pause);

                    @Override
                    public int read() throws IOException {
                        awaitResume();
                        return rest.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        awaitResume();
                        return rest.read(b, off, len);
                    }

                    private void awaitResume() throws IOException {
                        try {
                            resume.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException();
                        }
                    }
                });
        java.util.concurrent.CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(node.url().orElseThrow().resolve("/api/v1/ingest/midway-vendor/batch"))
                                .header("Authorization", "Bearer " + token(midway, Role.TENANT_ADMIN))
                                .header("Content-Type", Multipart.CONTENT_TYPE)
                                .POST(HttpRequest.BodyPublishers.fromPublisher(
                                        HttpRequest.BodyPublishers.ofInputStream(() -> slow), body.length))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        try {
            // phase A is under way: the first file is staged
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> objects(midway).stream().anyMatch(path -> path.startsWith("staging/")));
            ApiClient.Response suspend =
                    api.postJson("/api/v1/admin/tenants/midway-vendor/suspend", admin, "{\"reason\":\"mid-upload\"}");
            assertThat(suspend.status()).as(suspend.body()).isEqualTo(200);
            node.tenantCache().refresh();
        } finally {
            resume.countDown();
        }

        HttpResponse<String> answer = response.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(Json.mapper()
                        .readTree(answer.body())
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("TENANT_SUSPENDED");
        // nothing of phase B: no batch, no receipt, no parse job, and the staged file is gone
        assertThat(batchesOf(midway)).isZero();
        assertThat(parseJobs(midway)).isZero();
        assertThat(count(
                        "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND event_type = 'DOCUMENT_INGESTED'",
                        midway.value()))
                .isZero();
        assertThat(objects(midway)).isEmpty();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    // --- batches, receipts and events -------------------------------------------------------------------------------

    @Test
    void the_event_stream_replays_every_event_after_last_event_id_and_ends_with_the_terminal_status() throws Exception {
        String token = token(ACME, Role.TENANT_USER);
        byte[] bad = "checksum will not match\n".getBytes(UTF_8);
        ManifestJson manifest = new ManifestJson("batch-events", ACME.value())
                .add("x", "x.txt", "text/plain", bad.length, "1".repeat(64));
        assertThat(submit(
                                ACME,
                                token(ACME, Role.TENANT_ADMIN),
                                new Multipart().manifest(manifest.json()).file("x.txt", bad))
                        .status())
                .isEqualTo(202);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> all = http.send(
                HttpRequest.newBuilder(
                                node.url().orElseThrow().resolve("/api/v1/ingest/acme-corp/batch/batch-events/events"))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> after = http.send(
                HttpRequest.newBuilder(
                                node.url().orElseThrow().resolve("/api/v1/ingest/acme-corp/batch/batch-events/events"))
                        .header("Authorization", "Bearer " + token)
                        .header("Last-Event-ID", "2")
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> ids = new ArrayList<>();
        for (String line : all.body().split("\n")) {
            if (line.startsWith("id: ")) {
                ids.add(line.substring(4));
            }
        }
        assertThat(ids).containsExactly("1", "2", "3");
        assertThat(all.body())
                .contains("event: stage\ndata: {\"at\":")
                .contains("\"error_code\":\"CHECKSUM_MISMATCH\"")
                .containsPattern("event: end\ndata: \\{\"batch_id\":\"batch-events\",\"report_id\":\"[0-9a-f-]{36}\","
                        + "\"status\":\"FAILED\"\\}");
        assertThat(after.body()).contains("id: 3\n").doesNotContain("id: 1\n").doesNotContain("id: 2\n");
        assertThat(api.get("/api/v1/ingest/acme-corp/batch/no-such-batch/events", token)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void open_event_streams_get_heartbeats_an_eleventh_is_refused_and_a_suspension_revokes_them_within_a_second()
            throws Exception {
        TenantId streams = TenantId.of("stream-vendor");
        createTenant(streams, "{}");
        // embedding halted: the batch stops before the embed stage and stays open, and so do its streams
        try (Connection c = node.database().database().adminDataSource().getConnection();
                PreparedStatement halt =
                        c.prepareStatement("UPDATE tenants SET embedding_halted = true WHERE tenant_id = ?")) {
            halt.setString(1, streams.value());
            assertThat(halt.executeUpdate()).isEqualTo(1);
        }
        byte[] text = "kept open\n".getBytes(UTF_8);
        ApiClient.Response submitted = submit(
                streams, token(streams, Role.TENANT_ADMIN), oneTextFile(streams, "batch-open", "o", "o.txt", text));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String token = token(streams, Role.TENANT_USER);
        String path = "/api/v1/ingest/stream-vendor/batch/batch-open/events";

        List<EventStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                EventStream stream = EventStream.open(node.url().orElseThrow().resolve(path), token);
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.next(line -> line.equals(": connected"), Duration.ofSeconds(10)))
                        .isTrue();
                open.add(stream);
            }
            ApiClient.Response eleventh = api.get(path, token);
            assertThat(eleventh.status()).isEqualTo(429);
            assertThat(eleventh.errorCode()).isEqualTo("RATE_LIMIT_EXCEEDED");

            // idle: a ": hb" comment every 15 s keeps the connection alive
            assertThat(open.getFirst().next(line -> line.equals(": hb"), Duration.ofSeconds(25)))
                    .isTrue();

            long suspended = System.nanoTime();
            ApiClient.Response suspend =
                    api.postJson("/api/v1/admin/tenants/stream-vendor/suspend", admin, "{\"reason\":\"kill switch\"}");
            assertThat(suspend.status()).as(suspend.body()).isEqualTo(200);
            for (EventStream stream : open) {
                assertThat(stream.next(line -> line.equals("event: revoked"), Duration.ofSeconds(5)))
                        .isTrue();
                assertThat(stream.next(line -> line.startsWith("data: "), Duration.ofSeconds(5)))
                        .isTrue();
                assertThat(stream.lastLine())
                        .isEqualTo(
                                "data: {\"batch_id\":\"batch-open\",\"reason\":\"TOKEN_REVOKED_OR_TENANT_SUSPENDED\"}");
                assertThat(stream.closed(Duration.ofSeconds(5))).isTrue();
            }
            // spec/01 INT-10: sent and closed within a second (the streams poll every 250 ms); the margin is for
            // a loaded test machine
            assertThat(Duration.ofNanos(System.nanoTime() - suspended)).isLessThan(Duration.ofSeconds(3));
        } finally {
            open.forEach(EventStream::close);
        }

        // the closed streams no longer count: after a resume a new stream is accepted
        assertThat(api.postJson("/api/v1/admin/tenants/stream-vendor/resume", admin, "{\"reason\":\"drill over\"}")
                        .status())
                .isEqualTo(200);
        try (EventStream again =
                EventStream.open(node.url().orElseThrow().resolve(path), token(streams, Role.TENANT_USER))) {
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.next(line -> line.equals(": connected"), Duration.ofSeconds(10)))
                    .isTrue();
        }
    }

    /** One server-sent event stream, its lines read on a virtual thread. */
    private static final class EventStream implements AutoCloseable {
        private static final String CLOSED = "\u0000closed";
        private final HttpResponse<InputStream> response;
        private final java.util.concurrent.BlockingQueue<String> lines =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final Thread reader;
        private String last;
        private boolean ended;

        private EventStream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // closed by close()
                }
                lines.add(CLOSED);
            });
        }

        static EventStream open(java.net.URI uri, String token) throws Exception {
            return new EventStream(HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream()));
        }

        int status() {
            return response.statusCode();
        }

        /** Reads lines until one matches; false when the timeout passes or the stream ends first. */
        boolean next(java.util.function.Predicate<String> wanted, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended) {
                String line = lines.poll(
                        Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                if (line == null) {
                    return false;
                }
                if (line.equals(CLOSED)) {
                    ended = true;
                    return false;
                }
                last = line;
                if (wanted.test(line)) {
                    return true;
                }
            }
            return false;
        }

        String lastLine() {
            return last;
        }

        /** Whether the server closes the stream within the timeout (any lines before the end are skipped). */
        boolean closed(Duration timeout) throws InterruptedException {
            next(line -> false, timeout);
            return ended;
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException e) {
                // already closed
            }
            reader.interrupt();
        }
    }

    @Test
    void batches_are_listed_per_tenant_and_other_tenants_batches_and_receipts_are_not_found() throws Exception {
        String acme = token(ACME, Role.TENANT_USER);
        byte[] text = "listed\n".getBytes(UTF_8);
        ApiClient.Response submitted =
                submit(ACME, token(ACME, Role.TENANT_ADMIN), oneTextFile(ACME, "batch-listed", "l", "l.txt", text));
        String receiptId =
                data(submitted).path("receipts").get(0).path("receipt_id").asText();

        JsonNode listed =
                api.get("/api/v1/ingest/acme-corp/batches?limit=100", acme).json();
        ApiClient.Response tinyReadsAcmeReceipt =
                api.get("/api/v1/ingest/tiny-vendor/receipt/" + receiptId, token(TINY, Role.TENANT_USER));
        ApiClient.Response tinyReadsAcmeBatch =
                api.get("/api/v1/ingest/tiny-vendor/batch/batch-listed", token(TINY, Role.TENANT_USER));

        assertThat(listed.path("data").path("batches").findValuesAsText("batch_id"))
                .contains("batch-listed");
        assertThat(tinyReadsAcmeReceipt.status()).isEqualTo(404);
        assertThat(tinyReadsAcmeBatch.status()).isEqualTo(404);
        assertThat(data(api.get("/api/v1/ingest/acme-corp/limits", acme)).path("mime_allowlist"))
                .hasSize(7);
    }
}
