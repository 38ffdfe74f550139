package io.frostbyte.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.clamav.ClamdProcess;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.cli.FrostbyteCommand;
import io.frostbyte.server.cli.IngestCommand;
import io.frostbyte.server.cli.ReportCommand;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.intake.ManifestJson;
import io.frostbyte.server.intake.Multipart;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A vendor's drop from a folder to a first query, through the real server on embedded defaults with a real clamd
 * (malware scanning required), as issue 9 describes it.
 *
 * <p>Batch {@code drop-1} is uploaded by {@code frostbyte ingest} (in-process): good PDF, DOCX, XLSX, CSV and TXT files
 * from the shared corpus, a PNG named {@code .pdf}, the EICAR test file, a novel excerpt with a labelled injection
 * from the deepset corpus planted between its paragraphs, and a customer log built from Presidio's PII sentences. The
 * command computes every checksum itself, so the checksum mismatch comes in batch {@code drop-2}, a direct multipart
 * request in the same id scheme (a DOCX and a text whose line endings were converted after it was hashed); {@code
 * frostbyte report} is started right after it and has to wait for its report. Then the acceptance reports, the
 * provenance chain of every indexed document (through the audit API), the tenant chain and search are checked.
 */
class EndToEndIT {
    private static final Path CORPUS = Path.of("../../shared/corpus");
    private static final TenantId TENANT = TenantId.of("vendor-e2e");
    private static final String INGEST = "/api/v1/ingest/vendor-e2e";
    private static final byte[] EICAR =
            "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*".getBytes(US_ASCII);
    private static final List<String> PROVENANCE = List.of(
            "DOCUMENT_INGESTED",
            "DOCUMENT_PARSED",
            "POLICY_GATE_PASSED",
            "POLICY_GATE_PASSED",
            "POLICY_GATE_PASSED",
            "DOCUMENT_EMBEDDED",
            "INDEX_WRITTEN");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static TestDatabase db;
    private static ClamdProcess clamd;
    private static FrostbyteNode node;
    private static ApiClient api;
    private static String token;

    /** The planted injection (deepset train-4, label 1) and the PII values of the customer log. */
    private static String injection;

    private static final List<String> piiValues = new ArrayList<>();
    private static Run ingestRun;
    private static Run reportWaitRun;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        clamd = ClamdProcess.start();
        node = TestNodes.start(
                dataDir,
                db,
                Map.of(
                        "FROSTBYTE_MALWARE__CLAMD_HOST", "127.0.0.1",
                        "FROSTBYTE_MALWARE__CLAMD_PORT", Integer.toString(clamd.port()),
                        "FROSTBYTE_MALWARE__REQUIRED", "true",
                        "FROSTBYTE_MALWARE__STREAM_MAX_MB", "1"));
        api = new ApiClient(node.url().orElseThrow());
        TestNodes.createTenant(
                node,
                api,
                TENANT,
                "{\"tenant_id\":\"vendor-e2e\",\"tenant_name\":\"Vendor E2E\",\"contact_email\":\"ops@example.com\","
                        + "\"tier\":\"standard\",\"config\":{\"pii_types\":[\"SSN\",\"EMAIL\",\"PHONE\"]}}");
        token = TestNodes.token(node, TENANT, Role.TENANT_ADMIN, EnumSet.of(Scope.INGEST, Scope.QUERY, Scope.AUDIT));

        Path drop = vendorDrop();
        ingestRun = cli(
                "ingest",
                drop.toString(),
                "--tenant",
                "vendor-e2e",
                "--batch-id",
                "drop",
                "--report-dir",
                work.resolve("reports").toString(),
                "--progress",
                "lines",
                "--timeout-minutes",
                "10");

        byte[] handbook = Files.readAllBytes(CORPUS.resolve("unstructured-example-docs/handbook-1p.docx"));
        byte[] minutes = Files.readAllBytes(CORPUS.resolve("unstructured-example-docs/fake-text.txt"));
        byte[] converted = new String(minutes, UTF_8).replace("\n", "\r\n").getBytes(UTF_8);
        ManifestJson manifest = new ManifestJson("drop-2", TENANT.value())
                .add(
                        "f-0001",
                        "handbook.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        handbook)
                .add("f-0002", "minutes.txt", "text/plain", converted);
        // the vendor hashed the file before a tool converted its line endings
        String declared = manifest.json().replace(Multipart.sha256(converted), Multipart.sha256(minutes));
        ApiClient.Response submitted = api.post(
                INGEST + "/batch",
                token,
                Multipart.CONTENT_TYPE,
                new Multipart()
                        .manifest(declared)
                        .file("handbook.docx", handbook)
                        .file("minutes.txt", converted)
                        .bytes());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        reportWaitRun = cli(
                "report",
                "--tenant",
                "vendor-e2e",
                "drop-2",
                "--out",
                work.resolve("drop-2.json").toString(),
                "--wait-seconds",
                "300");
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

    @Test
    void the_ingest_command_uploads_the_drop_as_one_batch_and_summarizes_every_outcome() {
        assertThat(ingestRun.exit())
                .as(ingestRun.out() + ingestRun.err())
                .isEqualTo(IngestCommand.EXIT_NOT_ALL_INDEXED);
        assertThat(ingestRun.out())
                .contains("frostbyte ingest: 9 files in ")
                .contains("uploaded 9 files in 1 batches")
                .contains("batch drop-1: COMPLETED_WITH_ERRORS, 9 files: indexed 7, deduplicated 0, rejected 1,"
                        + " quarantined 1, failed 0")
                .contains("scan.pdf: rejected at intake, UNSUPPORTED_FORMAT.")
                .contains("f-0002 eicar.txt: quarantined at intake, MALWARE_DETECTED.")
                .doesNotContain(injection)
                .doesNotContain(piiValues.getFirst());
        assertThat(ingestRun.err())
                .contains("batch drop-1 received: 9 files, 7 accepted, 1 rejected, 1 quarantined, 0 deduplicated");
        assertThat(Files.exists(work.resolve("reports/frostbyte-report-drop-1.json")))
                .isTrue();
        assertThat(Files.exists(work.resolve("reports/frostbyte-report-drop-1.md")))
                .isTrue();
    }

    @Test
    void the_report_lists_each_outcome_with_its_remediation_and_escalation() {
        JsonNode report = report("drop-1");

        assertThat(report.path("batch_status").asText()).isEqualTo("COMPLETED_WITH_ERRORS");
        assertThat(statuses(report))
                .containsExactly(
                        "f-0001 customer-log.txt indexed",
                        "f-0002 eicar.txt quarantined",
                        "f-0003 lorem.docx indexed",
                        "f-0004 norwich-city.txt indexed",
                        "f-0005 paper.pdf indexed",
                        "f-0006 rates.csv indexed",
                        "f-0007 release-notes.txt indexed",
                        "f-0008 scan.pdf rejected",
                        "f-0009 sheet.xlsx indexed");
        JsonNode files = report.path("summary").path("files");
        assertThat(files.path("submitted").asInt()).isEqualTo(9);
        assertThat(files.path("rejected").asInt()).isEqualTo(1);
        assertThat(report.path("summary").path("chunks").path("quarantined").asInt())
                .isEqualTo(1);

        JsonNode malware = onlyIssue(file(report, "eicar.txt"), "MALWARE_DETECTED");
        assertThat(malware.path("escalation").asText()).isEqualTo("vendor_it");
        assertThat(malware.path("remediation").asText())
                .startsWith("Do not resend this file. Inform your IT security team.")
                .contains(file(report, "eicar.txt").path("receipt_id").asText());
        assertThat(file(report, "eicar.txt").path("intake").path("scan_result").asText())
                .isEqualTo("quarantined");

        JsonNode spoofed = onlyIssue(file(report, "scan.pdf"), "UNSUPPORTED_FORMAT");
        assertThat(spoofed.path("escalation").asText()).isEqualTo("support");
        assertThat(spoofed.path("remediation").asText())
                .isEqualTo("Convert the file to PDF, DOCX, XLSX, TXT, CSV, PNG or TIFF, keep the extension and"
                        + " declared type consistent, and send it again.");
        assertThat(file(report, "scan.pdf").path("intake").path("mime_type").asText())
                .isEqualTo("image/png");

        JsonNode release = file(report, "release-notes.txt");
        JsonNode planted = issue(release, "INJECTION_HIGH_SCORE");
        assertThat(planted.path("count").asInt()).isEqualTo(1);
        assertThat(planted.path("escalation").asText()).isEqualTo("support");
        assertThat(planted.path("remediation").asText())
                .startsWith("Parts of this document read like instructions to an AI system (")
                .contains("direct_instruction_override")
                .doesNotContain(injection);
        assertThat(release.path("policy").path("chunks_quarantined").asInt()).isEqualTo(1);
        assertThat(release.path("policy").path("injection_max_score").asDouble())
                .isGreaterThanOrEqualTo(0.7);
        assertThat(release.path("indexing").path("chunks_indexed").asInt()).isPositive();

        JsonNode customer = file(report, "customer-log.txt");
        JsonNode redacted = issue(customer, "PII_REDACTED");
        assertThat(redacted.path("severity").asText()).isEqualTo("info");
        assertThat(redacted.path("escalation").isNull()).isTrue();
        assertThat(redacted.path("remediation").asText())
                .endsWith("were masked as your policy requires. No action needed.");
        assertThat(customer.path("policy").path("pii_types_found").toString())
                .contains("EMAIL")
                .contains("PHONE");

        JsonNode dropped = issue(file(report, "sheet.xlsx"), "CONTENT_DROPPED");
        assertThat(dropped.path("severity").asText()).isEqualTo("warning");
        assertThat(dropped.path("remediation").asText()).contains("could not be indexed");
        for (String good : List.of("lorem.docx", "norwich-city.txt", "paper.pdf", "sheet.xlsx")) {
            JsonNode entry = file(report, good);
            assertThat(entry.path("intake").path("scan_result").asText())
                    .as(good)
                    .isEqualTo("clean");
            assertThat(entry.path("indexing").path("chunks_indexed").asInt())
                    .as(good)
                    .isPositive();
            assertThat(entry.path("issues").findValuesAsText("severity"))
                    .as(good)
                    .doesNotContain("error");
        }
        for (JsonNode entry : report.path("files")) {
            for (JsonNode issue : entry.path("issues")) {
                assertThat(issue.path("remediation").asText())
                        .as(issue.toString())
                        .isNotBlank();
                assertThat(issue.path("remediation").asText()).doesNotContain("{");
            }
        }

        JsonNode resent = report("drop-2");
        assertThat(resent.path("batch_status").asText()).isEqualTo("COMPLETED_WITH_ERRORS");
        assertThat(statuses(resent)).containsExactly("f-0001 handbook.docx indexed", "f-0002 minutes.txt rejected");
        JsonNode mismatch = onlyIssue(file(resent, "minutes.txt"), "CHECKSUM_MISMATCH");
        assertThat(mismatch.path("escalation").asText()).isEqualTo("support");
        assertThat(mismatch.path("remediation").asText())
                .startsWith("Compute the SHA-256 of the exact file you upload")
                .contains("line endings");
        assertThat(resent.path("manifest").path("checksums_passed").asInt()).isEqualTo(1);
    }

    @Test
    void every_indexed_document_has_its_provenance_chain_in_order_and_the_tenant_chain_verifies() {
        JsonNode verified = audit("/verify");
        assertThat(verified.path("hash_chain_valid").asBoolean())
                .as(verified.toString())
                .isTrue();
        assertThat(verified.path("breaks")).as(verified.toString()).isEmpty();
        Map<String, JsonNode> events = new HashMap<>();
        Map<String, JsonNode> ingestedByDoc = new HashMap<>();
        for (JsonNode event : audit("/events?limit=500&sort=asc").path("events")) {
            events.put(event.path("event_id").asText(), event);
            if (event.path("event_type").asText().equals("DOCUMENT_INGESTED")) {
                ingestedByDoc.put(event.path("details").path("doc_id").asText(), event);
            }
        }
        assertThat(events).hasSizeLessThan(500);
        assertThat(verified.path("events_checked").asLong()).isGreaterThanOrEqualTo(events.size());
        List<String> indexed = new ArrayList<>();
        for (String batch : List.of("drop-1", "drop-2")) {
            for (JsonNode file : report(batch).path("files")) {
                if (file.path("file_status").asText().equals("indexed")) {
                    indexed.add(file.path("doc_id").asText());
                }
            }
        }
        assertThat(indexed).hasSize(8).allMatch(docId -> docId.matches("doc_[0-9a-f]{24}"));

        for (String docId : indexed) {
            JsonNode chain = audit("/chain/" + docId);
            assertThat(chain.path("hash_chain_valid").asBoolean()).as(docId).isTrue();
            List<JsonNode> links = new ArrayList<>();
            chain.path("chain").forEach(links::add);
            List<String> types =
                    links.stream().map(link -> link.path("event_type").asText()).toList();
            assertThat(types)
                    .as(docId)
                    .endsWith(PROVENANCE.subList(1, PROVENANCE.size()).toArray(String[]::new));
            for (int i = 0; i < links.size(); i++) {
                JsonNode link = links.get(i);
                String at = docId + " " + link.path("event_type").asText();
                assertThat(link.path("output_hash").asText()).as(at).matches("sha256:[0-9a-f]{64}");
                if (i > 0) {
                    assertThat(events.get(link.path("event_id").asText())
                                    .path("previous_event_id")
                                    .asText())
                            .as(at)
                            .isEqualTo(links.get(i - 1).path("event_id").asText());
                    assertThat(link.path("input_hash").asText())
                            .as(at)
                            .isEqualTo(links.get(i - 1).path("output_hash").asText());
                }
            }
            // intake's event starts the chain: the parse stage reads what intake stored, and links to it
            JsonNode ingested = ingestedByDoc.get(docId);
            JsonNode parsed = links.get(links.size() - (PROVENANCE.size() - 1));
            assertThat(ingested).as(docId + " DOCUMENT_INGESTED").isNotNull();
            assertThat(parsed.path("input_hash").asText())
                    .as(docId + " DOCUMENT_PARSED input_hash")
                    .isEqualTo(ingested.path("details").path("output_hash").asText());
            assertThat(events.get(parsed.path("event_id").asText())
                            .path("previous_event_id")
                            .asText())
                    .as(docId + " DOCUMENT_PARSED previous_event_id (the DOCUMENT_INGESTED event)")
                    .isEqualTo(ingested.path("event_id").asText());
            assertThat(types).as(docId).containsExactlyElementsOf(PROVENANCE);
            assertThat(events.get(links.getFirst().path("event_id").asText())
                            .path("previous_event_id")
                            .isNull())
                    .as(docId)
                    .isTrue();
        }
    }

    @Test
    void search_finds_the_good_documents_and_never_the_quarantined_chunk() {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("paper.pdf", "optimized table tokenization for table structure recognition");
        queries.put("lorem.docx", "lorem ipsum dolor sit amet consectetur adipiscing elit");
        queries.put("norwich-city.txt", "Iwan Roberts Norwich City forward goals");
        queries.put("rates.csv", "Sheryl Baxter Rasmussen Group East Leonard");
        queries.put("handbook.docx", "standing trustee chapter 13 United States Trustee Program");
        for (Map.Entry<String, String> query : queries.entrySet()) {
            List<String> found = search(query.getValue(), "hybrid").findValuesAsText("original_filename");
            assertThat(found).as(query.getKey()).contains(query.getKey());
        }

        List<String> quarantined = new ArrayList<>();
        for (JsonNode event :
                audit("/events?event_type=DOCUMENT_QUARANTINED&limit=500").path("events")) {
            if (event.path("details").has("chunk_id")) {
                quarantined.add(event.path("details").path("chunk_id").asText());
            }
        }
        assertThat(quarantined).hasSize(1);
        for (String mode : List.of("hybrid", "keyword", "vector")) {
            JsonNode chunks = search(injection, mode);
            assertThat(chunks.findValuesAsText("chunk_id")).as(mode).doesNotContainAnyElementsOf(quarantined);
            for (JsonNode chunk : chunks) {
                assertThat(chunk.path("text").asText()).as(mode).doesNotContain("Forget all previous tasks");
            }
        }
        for (String value : piiValues) {
            for (JsonNode chunk : search(value, "keyword")) {
                assertThat(chunk.path("text").asText()).doesNotContain(value);
            }
        }
    }

    @Test
    void frostbyte_report_waits_while_the_report_is_not_ready_then_writes_it() throws Exception {
        assertThat(reportWaitRun.exit()).as(reportWaitRun.err()).isZero();
        assertThat(reportWaitRun.err())
                .contains("frostbyte report: batch drop-2: RESOURCE_NOT_READY, waiting up to 300 s for its report")
                .contains("wrote the json report of batch drop-2 to ");
        assertThat(reportWaitRun.out()).isEmpty();
        JsonNode written = Json.mapper().readTree(work.resolve("drop-2.json").toFile());
        assertThat(written.path("batch_id").asText()).isEqualTo("drop-2");
        assertThat(written.path("report_sha256").asText())
                .isEqualTo(report("drop-2").path("report_sha256").asText());
    }

    @Test
    void frostbyte_report_prints_every_format_and_exits_1_for_an_unknown_batch_and_2_for_a_bad_format()
            throws Exception {
        Run markdown = cli("report", "--tenant", "vendor-e2e", "drop-1", "--format", "md");
        assertThat(markdown.exit()).as(markdown.err()).isZero();
        assertThat(markdown.out())
                .startsWith("# Acceptance report: batch drop-1")
                .contains("MALWARE\\_DETECTED")
                .contains("UNSUPPORTED\\_FORMAT")
                .doesNotContain(injection);
        assertThat(markdown.out())
                .isEqualTo(api.get(INGEST + "/batch/drop-1/report?format=md", token)
                        .body());

        Path csv = work.resolve("drop-1.csv");
        Run csvRun = cli("report", "--tenant", "vendor-e2e", "drop-1", "--format", "csv", "--out", csv.toString());
        assertThat(csvRun.exit()).as(csvRun.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(10);

        Run html = cli("report", "--tenant", "vendor-e2e", "drop-1", "--format", "html", "--wait-seconds", "0");
        assertThat(html.exit()).isZero();
        assertThat(html.out()).contains("<table>").contains("release-notes.txt");

        Run json = cli("report", "--tenant", "vendor-e2e", "drop-1");
        assertThat(json.exit()).isZero();
        assertThat(Json.mapper().readTree(json.out()).path("report_sha256").asText())
                .isEqualTo(report("drop-1").path("report_sha256").asText());

        Run unknown = cli("report", "--tenant", "vendor-e2e", "drop-99");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("frostbyte: ").contains("NOT_FOUND");
        assertThat(unknown.out()).isEmpty();

        Run badFormat = cli("report", "--tenant", "vendor-e2e", "drop-1", "--format", "pdf");
        assertThat(badFormat.exit()).isEqualTo(2);
        Run badId = cli("report", "--tenant", "vendor-e2e", "../drop-1");
        assertThat(badId.exit()).isEqualTo(2);
        assertThat(ReportCommand.EXIT_NOT_READY).isEqualTo(3);
    }

    // --- the vendor's drop --------------------------------------------------------------------------------------

    private static Path vendorDrop() throws Exception {
        Path drop = Files.createDirectories(work.resolve("vendor-drop"));
        Files.copy(CORPUS.resolve("docling-testdata/pdf/sources/2305.03393v1-pg9.pdf"), drop.resolve("paper.pdf"));
        Files.copy(CORPUS.resolve("docling-testdata/docx/sources/lorem_ipsum.docx"), drop.resolve("lorem.docx"));
        Files.copy(CORPUS.resolve("docling-testdata/xlsx/sources/xlsx_01.xlsx"), drop.resolve("sheet.xlsx"));
        Files.copy(CORPUS.resolve("docling-testdata/csv/sources/csv-semicolon.csv"), drop.resolve("rates.csv"));
        Files.copy(CORPUS.resolve("unstructured-example-docs/norwich-city.txt"), drop.resolve("norwich-city.txt"));
        Files.write(drop.resolve("scan.pdf"), png());
        Files.write(drop.resolve("eicar.txt"), EICAR);
        Files.writeString(drop.resolve("release-notes.txt"), withPlantedInjection());
        Files.writeString(drop.resolve("customer-log.txt"), customerLog());
        return drop;
    }

    // a novel's first page with deepset's train-4 (label 1) between two of its paragraphs
    private static String withPlantedInjection() throws Exception {
        for (String line : Files.readAllLines(CORPUS.resolve("injection-deepset/train.jsonl"))) {
            JsonNode row = Json.mapper().readTree(line);
            if (row.path("id").asText().equals("train-4")) {
                assertThat(row.path("label").asInt()).isEqualTo(1);
                injection = row.path("text").asText();
            }
        }
        assertThat(injection).isNotNull();
        String book = Files.readString(CORPUS.resolve("unstructured-example-docs/book-war-and-peace-1p.txt"));
        List<String> paragraphs = List.of(book.split("\n\n"));
        int middle = paragraphs.size() / 2;
        List<String> planted = new ArrayList<>(paragraphs.subList(0, middle));
        planted.add(injection);
        planted.addAll(paragraphs.subList(middle, paragraphs.size()));
        return String.join("\n\n", planted);
    }

    // Presidio's synthetic sentences that carry an e-mail address or a phone number, as a support log
    private static String customerLog() throws Exception {
        JsonNode rows = Json.mapper()
                .readTree(CORPUS.resolve("pii-presidio/synth_dataset_v2.even.json")
                        .toFile());
        StringBuilder log = new StringBuilder("Customer support log\n\n");
        int entries = 0;
        for (JsonNode row : rows) {
            for (JsonNode span : row.path("spans")) {
                String type = span.path("entity_type").asText();
                if (entries < 16 && (type.equals("EMAIL_ADDRESS") || type.equals("PHONE_NUMBER"))) {
                    log.append("Entry ").append(++entries).append(": ");
                    log.append(row.path("full_text").asText()).append("\n\n");
                    if (type.equals("EMAIL_ADDRESS")) {
                        piiValues.add(span.path("entity_value").asText());
                    }
                    break;
                }
            }
        }
        assertThat(piiValues).isNotEmpty();
        return log.toString();
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0x00FF00);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FrostbyteCommand.commandLine(
                Map.of("FROSTBYTE_URL", node.url().orElseThrow().toString(), "FROSTBYTE_TOKEN", token));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode report(String batchId) {
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        api.get(INGEST + "/batch/" + batchId + "/report", token).status() == 200);
        return api.get(INGEST + "/batch/" + batchId + "/report", token).json().path("data");
    }

    private static JsonNode audit(String path) {
        ApiClient.Response response = api.get("/api/v1/audit/vendor-e2e" + path, token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("data");
    }

    private static JsonNode search(String query, String mode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query_text", query);
        body.put("top_k", 10);
        body.put("mode", mode);
        ApiClient.Response response;
        try {
            response = api.postJson(
                    "/api/v1/query/vendor-e2e/search", token, Json.mapper().writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("data").path("chunks");
    }

    private static List<String> statuses(JsonNode report) {
        List<String> statuses = new ArrayList<>();
        report.path("files")
                .forEach(file -> statuses.add(file.path("file_id").asText() + " "
                        + file.path("original_filename").asText() + " "
                        + file.path("file_status").asText()));
        return statuses;
    }

    private static JsonNode file(JsonNode report, String filename) {
        for (JsonNode file : report.path("files")) {
            if (file.path("original_filename").asText().equals(filename)) {
                return file;
            }
        }
        throw new AssertionError("no file " + filename + " in the report of " + report.path("batch_id"));
    }

    private static JsonNode issue(JsonNode file, String type) {
        for (JsonNode issue : file.path("issues")) {
            if (issue.path("type").asText().equals(type)) {
                return issue;
            }
        }
        throw new AssertionError(file.path("original_filename").asText() + " has no " + type + " issue: "
                + file.path("issues").findValuesAsText("type"));
    }

    private static JsonNode onlyIssue(JsonNode file, String type) {
        assertThat(file.path("issues").findValuesAsText("type"))
                .as(file.path("original_filename").asText())
                .containsExactly(type);
        return file.path("issues").get(0);
    }
}
