package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.server.cli.FrostbyteCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code frostbyte parse}: one file to stdout, a directory to --out, failures with their code; real corpus files. */
class ParseCliTest {
    private static final Path DOCLING = Path.of("../../shared/corpus/docling-testdata");

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

    @Test
    void parse_prints_the_canonical_json_of_one_docx_with_its_headings() {
        Run run = run(
                "parse", DOCLING.resolve("docx/sources/unit_test_headers.docx").toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("{\"blocks\":[");
        assertThat(run.out())
                .contains("\"level\":2,\"page\":1,\"page_end\":1,\"section_id\":\"s003\",\"start_char\":")
                .contains("\"text\":\"Section 1.1\",\"type\":\"heading\"")
                .contains("\"mime_type\":\"application/vnd.openxmlformats-officedocument.wordprocessingml.document\"");
    }

    @Test
    void parse_md_prints_markdown_headings_and_nested_list_items() {
        Run run = run(
                "parse", "--md", DOCLING.resolve("docx/sources/docx_lists.docx").toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("# Test Document\n");
        assertThat(run.out()).contains("### Test 5:\n\n- List item 1\n\n  - List item 1.1\n\n    - List item 1.1.1\n");
    }

    @Test
    void parse_of_a_directory_writes_one_file_per_input_into_out(@TempDir Path out) throws IOException {
        Run run = run(
                "parse", "--out", out.toString(), DOCLING.resolve("csv/sources").toString());

        assertThat(run.exit()).isZero();
        try (var written = Files.list(out)) {
            assertThat(written.map(path -> path.getFileName().toString()).sorted())
                    .containsExactly(
                            "csv-comma-in-cell.csv.json",
                            "csv-inconsistent-header.csv.json",
                            "csv-semicolon.csv.json",
                            "csv-tab.csv.json",
                            "csv-too-many-columns.csv.json");
        }
        assertThat(Files.readString(out.resolve("csv-semicolon.csv.json"))).contains("\"table_count\":1");
    }

    @Test
    void several_files_without_out_are_a_usage_error() {
        Run run = run(
                "parse",
                DOCLING.resolve("csv/sources/csv-tab.csv").toString(),
                DOCLING.resolve("csv/sources/csv-semicolon.csv").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("need --out DIR");
    }

    @Test
    void a_file_that_fails_is_reported_with_its_code_and_exit_1(@TempDir Path dir) throws IOException {
        Path truncated = dir.resolve("truncated.pdf");
        byte[] pdf = Files.readAllBytes(DOCLING.resolve("pdf/sources/code_and_formula.pdf"));
        Files.write(truncated, java.util.Arrays.copyOf(pdf, 400));

        Run run = run("parse", truncated.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("truncated.pdf: FILE_CORRUPTED");
        assertThat(run.out()).isEmpty();
    }
}
