package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.cli.FrostbyteCommand;
import io.frostbyte.server.cli.IngestCommand;
import io.frostbyte.server.cli.ingest.IngestState;
import io.frostbyte.server.http.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code frostbyte ingest} run in-process against a real node on embedded defaults (as {@code PipelineIT}): real
 * documents from the shared corpus through every stage, the report files, the exit codes, resuming without sending
 * anything twice, and {@code --dry-run}.
 */
class IngestCliIT {
    private static final Path CORPUS = Path.of("../../shared/corpus");
    private static final TenantId TENANT = TenantId.of("ingest-co");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static TestDatabase db;
    private static FrostbyteNode node;
    private static ApiClient api;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        node = TestNodes.start(dataDir, db, Map.of());
        api = new ApiClient(node.url().orElseThrow());
        TestNodes.createTenant(
                node,
                api,
                TENANT,
                "{\"tenant_id\":\"ingest-co\",\"tenant_name\":\"Ingest Co\",\"contact_email\":\"ops@example.com\","
                        + "\"tier\":\"standard\"}");
        token = TestNodes.token(node, TENANT, Role.TENANT_ADMIN, EnumSet.of(Scope.INGEST));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run ingest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FrostbyteCommand.commandLine(
                Map.of("FROSTBYTE_URL", node.url().orElseThrow().toString(), "FROSTBYTE_TOKEN", token));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("ingest"));
        all.addAll(List.of(args));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static long batchCount() {
        return api.get("/api/v1/ingest/ingest-co/batches", token)
                .json()
                .path("meta")
                .path("total")
                .asLong();
    }

    @Test
    void ingests_a_directory_reports_every_outcome_and_sends_nothing_again_on_a_second_run() throws Exception {
        Path dir = Files.createDirectories(work.resolve("vendor-drop"));
        Files.copy(CORPUS.resolve("docling-testdata/docx/sources/lorem_ipsum.docx"), dir.resolve("lorem.docx"));
        Files.createDirectories(dir.resolve("notes"));
        Files.copy(
                CORPUS.resolve("unstructured-example-docs/book-war-and-peace-1p.txt"), dir.resolve("notes/book.txt"));
        Files.copy(CORPUS.resolve("docling-testdata/pdf/sources/2305.03393v1-pg9.pdf"), dir.resolve("paper.pdf"));
        Files.copy(CORPUS.resolve("docling-testdata/csv/sources/csv-semicolon.csv"), dir.resolve("rates.csv"));
        Files.write(dir.resolve("scan.pdf"), png());
        Files.writeString(dir.resolve(".DS_Store"), "finder metadata");
        Path reports = work.resolve("reports");
        long before = batchCount();

        Run first = ingest(
                dir.toString(),
                "--tenant",
                "ingest-co",
                "--batch-id",
                "vendor",
                "--report-dir",
                reports.toString(),
                "--timeout-minutes",
                "5");

        assertThat(first.exit()).as(first.out() + first.err()).isEqualTo(IngestCommand.EXIT_NOT_ALL_INDEXED);
        assertThat(batchCount()).isEqualTo(before + 1);
        assertThat(first.out())
                .contains("5 files in " + dir
                        + "; uploaded 5 files in 1 batches; 0 batches the server already had; 0 already sent"
                        + " before; 0 not sent")
                .contains("batch vendor-1: COMPLETED_WITH_ERRORS, 5 files: indexed 4, deduplicated 0, rejected 1,"
                        + " quarantined 0, failed 0")
                .contains("f-0005 scan.pdf: rejected at intake, UNSUPPORTED_FORMAT. Convert the file to PDF");
        assertThat(first.err())
                .contains("vendor-1: parse 1/4 policy 0/4 embed 0/4 index 0/4 (1 not indexed)")
                .contains("vendor-1: parse 4/4 policy 4/4 embed 4/4 index 4/4 (1 not indexed)")
                .doesNotContain("unavailable");

        JsonNode report = Json.mapper()
                .readTree(reports.resolve("frostbyte-report-vendor-1.json").toFile());
        assertThat(fileStatuses(report))
                .containsExactly(
                        "f-0001 lorem.docx indexed",
                        "f-0002 book.txt indexed",
                        "f-0003 paper.pdf indexed",
                        "f-0004 rates.csv indexed",
                        "f-0005 scan.pdf rejected");
        if (report.path("report_source").asText().equals("batch_status")) {
            List<String> receiptHashes = new ArrayList<>();
            report.path("receipts")
                    .forEach(receipt -> receiptHashes.add(receipt.path("file_id")
                                    .asText() + " " + receipt.path("sha256").asText()));
            assertThat(receiptHashes)
                    .containsExactly(
                            "f-0001 " + sha256(dir.resolve("lorem.docx")),
                            "f-0002 " + sha256(dir.resolve("notes/book.txt")),
                            "f-0003 " + sha256(dir.resolve("paper.pdf")),
                            "f-0004 " + sha256(dir.resolve("rates.csv")),
                            "f-0005 " + sha256(dir.resolve("scan.pdf")));
            assertThat(report.path("receipts").get(4).path("mime_type").asText())
                    .isEqualTo("image/png");
            JsonNode issue = report.path("issues").get(0);
            assertThat(report.path("issues")).hasSize(1);
            assertThat(issue.path("file_id").asText()).isEqualTo("f-0005");
            assertThat(issue.path("type").asText()).isEqualTo("UNSUPPORTED_FORMAT");
            assertThat(issue.path("stage").asText()).isEqualTo("intake");
            assertThat(issue.path("escalation").asText()).isEqualTo("support");
        }
        String markdown = Files.readString(reports.resolve("frostbyte-report-vendor-1.md"));
        // the server's report (when ready) or the command's own table: either names every outcome and remediation
        assertThat(markdown.lines().filter(line -> line.contains("paper.pdf") && line.contains("indexed")))
                .isNotEmpty();
        assertThat(markdown)
                .contains("scan.pdf")
                .contains("UNSUPPORTED\\_FORMAT")
                .contains("Convert the file to PDF, DOCX, XLSX, TXT, CSV, PNG or TIFF, keep the extension and declared"
                        + " type consistent, and send it again.")
                .doesNotContain("Buonapartes");
        assertThat(Files.exists(reports.resolve(IngestState.FILE_NAME))).isTrue();

        Run second = ingest(
                dir.toString(), "--tenant", "ingest-co", "--batch-id", "vendor", "--report-dir", reports.toString());

        assertThat(second.exit()).as(second.out() + second.err()).isEqualTo(IngestCommand.EXIT_NOT_ALL_INDEXED);
        assertThat(second.out())
                .contains("uploaded 0 files in 0 batches; 0 batches the server already had; 5 already sent before")
                .contains("batch vendor-1: COMPLETED_WITH_ERRORS, 5 files: indexed 4, deduplicated 0, rejected 1,"
                        + " quarantined 0, failed 0 (sent before)");
        assertThat(batchCount()).isEqualTo(before + 1);

        Path elsewhere = work.resolve("reports-without-state");
        Run withoutState = ingest(
                dir.toString(), "--tenant", "ingest-co", "--batch-id", "vendor", "--report-dir", elsewhere.toString());

        assertThat(withoutState.exit())
                .as(withoutState.out() + withoutState.err())
                .isEqualTo(3);
        assertThat(withoutState.out())
                .contains("uploaded 0 files in 0 batches; 1 batches the server already had; 0 already sent before");
        assertThat(fileStatuses(Json.mapper()
                        .readTree(elsewhere
                                .resolve("frostbyte-report-vendor-1.json")
                                .toFile())))
                .hasSize(5)
                .contains("f-0005 scan.pdf rejected");
        assertThat(batchCount()).isEqualTo(before + 1);

        Files.writeString(
                dir.resolve("addendum.txt"), "Addendum to the supply agreement: deliveries move to Tuesdays.\n");
        Run third = ingest(
                dir.toString(),
                "--tenant",
                "ingest-co",
                "--batch-id",
                "vendor",
                "--report-dir",
                reports.toString(),
                "--timeout-minutes",
                "5");

        assertThat(third.out())
                .as(third.err())
                .contains("uploaded 1 files in 1 batches; 0 batches the server already had; 5 already sent before");
        assertThat(batchCount()).isEqualTo(before + 2);
        assertThat(fileStatuses(Json.mapper()
                        .readTree(reports.resolve("frostbyte-report-vendor-2.json")
                                .toFile())))
                .containsExactly("f-0001 addendum.txt indexed");
        assertThat(third.exit()).isEqualTo(IngestCommand.EXIT_NOT_ALL_INDEXED);

        Run changed = ingest(
                dir.toString(),
                "--tenant",
                "ingest-co",
                "--batch-id",
                "vendor",
                "--report-dir",
                work.resolve("reports-changed").toString());

        assertThat(changed.exit()).as(changed.out()).isEqualTo(1);
        assertThat(changed.err())
                .contains("frostbyte: batch vendor-1 was refused: BATCH_ALREADY_EXISTS")
                .contains("pass another --batch-id");
        assertThat(batchCount()).isEqualTo(before + 2);
    }

    @Test
    void a_dry_run_lists_what_would_be_rejected_and_sends_nothing() throws Exception {
        Path dir = Files.createDirectories(work.resolve("dry"));
        Files.writeString(dir.resolve("empty.txt"), "");
        Files.copy(CORPUS.resolve("tika-test-documents/text/testTXT.txt"), dir.resolve("notes.txt"));
        Files.write(dir.resolve("scan.pdf"), png());
        Path reports = work.resolve("dry-reports");
        long before = batchCount();

        Run dry = ingest(dir.toString(), "--tenant", "ingest-co", "--dry-run", "--report-dir", reports.toString());

        assertThat(dry.exit()).as(dry.out() + dry.err()).isEqualTo(IngestCommand.EXIT_DRY_RUN_REJECTS);
        assertThat(dry.out())
                .contains("f-0001 empty.txt: would be rejected, UNSUPPORTED_FORMAT: The file is empty.")
                .contains("f-0003 scan.pdf: would be rejected, UNSUPPORTED_FORMAT: The file name's extension does not"
                        + " belong to its content (image/png).")
                .doesNotContain("f-0002")
                .contains("would upload 3 files in 1 batches; 2 would be rejected or left out");
        assertThat(batchCount()).isEqualTo(before);
        assertThat(Files.exists(reports.resolve(IngestState.FILE_NAME))).isFalse();

        Files.delete(dir.resolve("empty.txt"));
        Files.delete(dir.resolve("scan.pdf"));
        Run clean = ingest(dir.toString(), "--tenant", "ingest-co", "--dry-run", "--report-dir", reports.toString());
        assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("would upload 1 files in 1 batches; 0 would be rejected or left out");
    }

    @Test
    void a_wrong_token_ends_the_command_with_exit_code_1_before_anything_is_read() throws Exception {
        Path dir = Files.createDirectories(work.resolve("unauthorized"));
        Files.copy(CORPUS.resolve("tika-test-documents/text/testTXT.txt"), dir.resolve("notes.txt"));
        StringWriter err = new StringWriter();
        CommandLine cli = FrostbyteCommand.commandLine(
                Map.of("FROSTBYTE_URL", node.url().orElseThrow().toString(), "FROSTBYTE_TOKEN", "not-a-token"));
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("ingest", dir.toString(), "--tenant", "ingest-co", "--report-dir", dir.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("frostbyte: AUTHENTICATION_REQUIRED");
        assertThat(Files.exists(dir.resolve(IngestState.FILE_NAME))).isFalse();
    }

    // "file_id filename file_status" from either report shape: ours (batch status inside) or the server's report
    private static List<String> fileStatuses(JsonNode report) {
        JsonNode files = report.has("batch") ? report.path("batch").path("files") : report.path("files");
        List<String> statuses = new ArrayList<>();
        files.forEach(file -> statuses.add(file.path("file_id").asText() + " "
                + file.path("original_filename").asText() + " "
                + file.path("file_status").asText()));
        return statuses;
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xFF0000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
