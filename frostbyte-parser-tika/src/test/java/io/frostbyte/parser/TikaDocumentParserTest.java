package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.document.Block;
import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.DroppedContent;
import io.frostbyte.core.document.MergedCell;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import io.frostbyte.core.document.Table;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class TikaDocumentParserTest {
    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private static ParseOutcome parseBytes(byte[] bytes, String declaredType, ParseLimits limits) {
        return Corpus.PARSER.parse(Corpus.TENANT, new ByteArrayInputStream(bytes), declaredType, limits);
    }

    private static List<Block> blocksOfType(CanonicalDocument document, BlockType type) {
        return document.blocks().stream().filter(b -> b.type() == type).toList();
    }

    @Test
    void docx_heading_styles_become_headings_with_their_levels() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/docx/sources/unit_test_headers.docx");

        assertThat(blocksOfType(document, BlockType.HEADING))
                .extracting(Block::level, Block::text)
                .containsExactly(
                        tuple(1, "Test Document"),
                        tuple(1, "Section 1"),
                        tuple(2, "Section 1.1"),
                        tuple(2, "Section 1.2"),
                        tuple(3, "Section 1.2.3"),
                        tuple(1, "Section 2"),
                        tuple(3, "Section 2.1.1"),
                        tuple(2, "Section 2.1"));
        assertThat(document.sections()).hasSize(8);
        assertThat(document.sections().get(2).parentId()).isEqualTo("s002");
        Corpus.assertOffsetsIndexTheCanonicalText(document);
    }

    @Test
    void xlsx_gives_one_section_per_sheet_with_the_sheet_table() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/xlsx/sources/xlsx_01.xlsx");

        assertThat(blocksOfType(document, BlockType.HEADING))
                .extracting(Block::text)
                .containsExactly("Sheet1", "Sheet2", "Sheet3", "Sheet4");
        Table first = blocksOfType(document, BlockType.TABLE).getFirst().table();
        assertThat(first.rows()).isEqualTo(7);
        assertThat(first.cells().get(0)).containsExactly("first", "second", "third");
        assertThat(first.cells().get(6)).containsExactly("6", "0", "-6");
        assertThat(document.stats().droppedContent())
                .containsExactly(new DroppedContent("embedded_document", 1, "embedded_object", 1));
    }

    @Test
    void csv_delimiter_and_header_row_are_detected() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/csv/sources/csv-semicolon.csv");

        assertThat(document.blocks()).singleElement().extracting(Block::type).isEqualTo(BlockType.TABLE);
        Table table = document.blocks().getFirst().table();
        assertThat(table.headerRows()).isEqualTo(1);
        assertThat(table.cells().getFirst()).startsWith("Index", "Customer Id", "First Name", "Last Name");
        assertThat(table.columns()).isEqualTo(table.cells().getFirst().size());
        assertThat(document.stats().sourceEncoding()).isEqualTo("UTF-8");
    }

    @Test
    void html_list_items_carry_their_nesting_level() {
        CanonicalDocument document = Corpus.parsed("unstructured-example-docs/fake-html.html");

        assertThat(blocksOfType(document, BlockType.LIST_ITEM))
                .extracting(Block::level, Block::text)
                .containsExactly(
                        tuple(1, "A test list"),
                        tuple(2, "With sub-bullets!"),
                        tuple(2, "And another"),
                        tuple(1, "Back at the root"));
    }

    @Test
    void html_rowspan_and_colspan_become_merged_cells_on_a_full_grid() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/html/sources/example_05.html");

        Table table = blocksOfType(document, BlockType.TABLE).getFirst().table();
        assertThat(table.headerRows()).isEqualTo(1);
        assertThat(table.cells().get(0)).containsExactly("Header 1", "Header 2 & 3 (colspan)", "");
        assertThat(table.cells().get(1)).containsExactly("Row 1 & 2, Col 1 (rowspan)", "Row 1, Col 2", "Row 1, Col 3");
        assertThat(table.cells().get(2)).containsExactly("", "Row 2, Col 2 & 3 (colspan)", "");
        assertThat(table.merged())
                .startsWith(new MergedCell(0, 1, 1, 2), new MergedCell(1, 0, 2, 1), new MergedCell(2, 1, 1, 2));
    }

    @Test
    void markdown_headings_lists_and_code_blocks_are_recognized() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/md/sources/blocks.md");

        assertThat(blocksOfType(document, BlockType.HEADING))
                .extracting(Block::level, Block::text)
                .containsExactly(
                        tuple(1, "my heading"),
                        tuple(1, "my setext heading level 1"),
                        tuple(2, "my setext heading level 2"));
        assertThat(blocksOfType(document, BlockType.CODE))
                .extracting(Block::text)
                .containsExactly("print(\"Hi!\")", "print(\"Hello world!\")");
        assertThat(blocksOfType(document, BlockType.LIST_ITEM))
                .extracting(Block::text)
                .containsExactly("foo", "bar");
    }

    @Test
    void utf16_and_utf32_texts_give_the_same_canonical_text_as_their_utf8_sibling() {
        String utf8 = Corpus.parsed("unstructured-example-docs/fake-text.txt").canonicalText();

        for (String variant : List.of(
                "fake-text-utf-16.txt", "fake-text-utf-16-le.txt", "fake-text-utf-16-be.txt", "fake-text-utf-32.txt")) {
            CanonicalDocument document = Corpus.parsed("unstructured-example-docs/" + variant);
            assertThat(document.canonicalText()).as(variant).isEqualTo(utf8);
            assertThat(document.stats().sourceEncoding()).as(variant).startsWith("UTF-");
        }
        assertThat(utf8).startsWith("This is a test document to use for unit tests.\n\n");
    }

    @Test
    void a_non_utf8_markdown_file_gives_the_same_text_as_its_utf8_sibling() {
        CanonicalDocument latin = Corpus.parsed("unstructured-example-docs/umlauts-non-utf8.md");
        CanonicalDocument utf8 = Corpus.parsed("unstructured-example-docs/umlauts-utf8.md");

        assertThat(latin.canonicalText())
                .isEqualTo(utf8.canonicalText())
                .containsAnyOf("ä", "ö", "ü", "Ä", "Ö", "Ü", "ß");
        assertThat(latin.stats().sourceEncoding()).isNotEqualTo("UTF-8");
    }

    @Test
    void pdf_text_is_split_into_its_pages() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/normal_4pages.pdf");

        assertThat(document.pages()).hasSize(4);
        assertThat(document.blocks()).extracting(Block::page).contains(1, 2, 3, 4);
        assertThat(document.pages().get(1).startChar())
                .isGreaterThan(document.pages().get(0).endChar());
        Corpus.assertOffsetsIndexTheCanonicalText(document);
    }

    @Test
    void a_password_protected_pdf_and_docx_are_file_encrypted() {
        assertThat(Corpus.parse(Corpus.file("unstructured-example-docs/pdf/password.pdf"), ParseLimits.defaults()))
                .extracting(o -> ((ParseOutcome.Failed) o).code())
                .isEqualTo(ErrorCode.FILE_ENCRYPTED);
        assertThat(Corpus.parse(
                        Corpus.file("tika-test-documents/docx/testWORD_protected_passtika.docx"),
                        ParseLimits.defaults()))
                .extracting(o -> ((ParseOutcome.Failed) o).code())
                .isEqualTo(ErrorCode.FILE_ENCRYPTED);
    }

    @Test
    void a_truncated_docx_and_a_truncated_pdf_are_file_corrupted() {
        assertThat(Corpus.parse(
                        Corpus.file("tika-test-documents/docx/testWORD_truncated.docx"), ParseLimits.defaults()))
                .extracting(o -> ((ParseOutcome.Failed) o).code())
                .isEqualTo(ErrorCode.FILE_CORRUPTED);
        byte[] pdf = Corpus.bytes(Corpus.file("docling-testdata/pdf/sources/normal_4pages.pdf"));
        byte[] truncated = Arrays.copyOf(pdf, 1024);

        assertThat(parseBytes(truncated, "application/pdf", ParseLimits.defaults()))
                .extracting(o -> ((ParseOutcome.Failed) o).code())
                .isEqualTo(ErrorCode.FILE_CORRUPTED);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void a_declared_docx_whose_first_part_is_a_bomb_is_file_corrupted_before_its_type_is_confirmed()
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] spaces = new byte[1024 * 1024];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 200; i++) {
                zip.write(spaces);
            }
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(
                    ("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                                    + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>")
                            .getBytes(StandardCharsets.UTF_8));
        }

        ParseOutcome outcome = parseBytes(out.toByteArray(), DOCX, ParseLimits.defaults());

        assertThat(outcome)
                .isEqualTo(new ParseOutcome.Failed(
                        ErrorCode.FILE_CORRUPTED, "a container part expands more than parse.max_expansion_ratio 100"));
    }

    @Test
    void a_zip_bomb_disguised_as_docx_is_file_corrupted_before_tika_inflates_it() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(
                    ("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                                    + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>")
                            .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] spaces = new byte[1024 * 1024];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 200; i++) {
                zip.write(spaces);
            }
        }
        byte[] bomb = out.toByteArray();
        assertThat(bomb.length).isLessThan(1024 * 1024);

        long start = System.nanoTime();
        ParseOutcome outcome = parseBytes(bomb, DOCX, ParseLimits.defaults());

        assertThat(outcome)
                .isEqualTo(new ParseOutcome.Failed(
                        ErrorCode.FILE_CORRUPTED, "a container part expands more than parse.max_expansion_ratio 100"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(120));
    }

    private static byte[] nestedTables(int levels) {
        StringBuilder html = new StringBuilder("<html><body><p>outer text</p>");
        for (int i = 0; i < levels; i++) {
            html.append("<table><tr><td>level ").append(i);
        }
        for (int i = 0; i < levels; i++) {
            html.append("</td></tr></table>");
        }
        return html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nested_html_tables_keep_the_outer_text_and_drop_what_is_beyond_the_nesting_limit() {
        ParseOutcome outcome = parseBytes(nestedTables(20), "text/html", ParseLimits.defaults());

        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        CanonicalDocument document = ((ParseOutcome.Parsed) outcome).document();
        assertThat(document.blocks().getFirst().text()).isEqualTo("outer text");
        assertThat(document.canonicalText())
                .contains("level 0")
                .contains("level 5")
                .doesNotContain("level 19");
        assertThat(document.stats().droppedContent())
                .extracting(DroppedContent::elementType, DroppedContent::reason)
                .contains(tuple("nested_element", "limit_exceeded"));
    }

    @Test
    void html_nested_hundreds_of_levels_deep_is_refused_as_file_corrupted() {
        // Tika's SecureContentHandler stops at 100 levels of element nesting ("suspected zip bomb")
        assertThat(parseBytes(nestedTables(500), "text/html", ParseLimits.defaults()))
                .isEqualTo(new ParseOutcome.Failed(ErrorCode.FILE_CORRUPTED, "parsing failed with TikaException"));
    }

    @Test
    void a_billion_laughs_xml_is_refused_without_expanding_entities() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
                + "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
                + "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
                + "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
                + "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
                + "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
                + "]><lolz>&lol9;</lolz>";

        ParseOutcome outcome =
                parseBytes(xml.getBytes(StandardCharsets.UTF_8), "application/xml", ParseLimits.defaults());

        assertThat(outcome).isInstanceOf(ParseOutcome.Failed.class);
        assertThat(((ParseOutcome.Failed) outcome).code()).isEqualTo(ErrorCode.FILE_CORRUPTED);
    }

    @Test
    void a_parse_running_past_its_time_limit_is_parse_timeout() {
        ParseOutcome outcome = Corpus.parse(
                Corpus.file("docling-testdata/pdf/sources/redp5110_sampled.pdf"),
                ParseLimits.defaults().withTimeout(Duration.ofMillis(1)));

        assertThat(outcome)
                .isEqualTo(new ParseOutcome.Failed(ErrorCode.PARSE_TIMEOUT, "parse exceeded parse.timeout of 1 ms"));
    }

    @Test
    void text_beyond_the_character_limit_is_dropped_as_limit_exceeded() {
        ParseOutcome outcome = Corpus.parse(
                Corpus.file("docling-testdata/docx/sources/unit_test_headers.docx"),
                ParseLimits.defaults().withMaxCharacters(100));

        CanonicalDocument document = ((ParseOutcome.Parsed) outcome).document();
        assertThat(document.stats().totalCharacters()).isBetween(1L, 100L);
        assertThat(document.stats().droppedContent())
                .extracting(DroppedContent::elementType, DroppedContent::reason)
                .containsOnly(tuple("text", "limit_exceeded"));
    }

    @Test
    void an_image_needs_ocr_a_broken_image_is_corrupted_and_an_unknown_binary_is_unsupported() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0};
        byte[] binary = {0, 1, 2, 3, (byte) 0xFE, (byte) 0xED, 9, 9, 0, 0, 0, 7, 5, 5};

        assertThat(new TikaDocumentParser(java.util.Optional.empty())
                        .parse(Corpus.TENANT, new ByteArrayInputStream(png), null, ParseLimits.defaults()))
                .extracting(o -> ((ParseOutcome.Failed) o).code())
                .isEqualTo(ErrorCode.OCR_UNAVAILABLE);
        if (Corpus.PARSER.ocr().isPresent()) {
            assertThat(parseBytes(png, null, ParseLimits.defaults()))
                    .extracting(o -> ((ParseOutcome.Failed) o).code())
                    .isEqualTo(ErrorCode.FILE_CORRUPTED);
        }
        assertThat(parseBytes(binary, null, ParseLimits.defaults()))
                .extracting(o -> ((ParseOutcome.Failed) o).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
        assertThat(parseBytes(new byte[0], null, ParseLimits.defaults()))
                .isEqualTo(new ParseOutcome.Failed(ErrorCode.NO_TEXT_EXTRACTED, "the file is empty"));
    }

    @Test
    void lineage_and_doc_id_derive_from_the_raw_bytes_tenant_and_limits() {
        CanonicalDocument document = Corpus.parsed("unstructured-example-docs/fake-text.txt");

        assertThat(document.lineage().parser()).isEqualTo("frostbyte-parser-tika");
        assertThat(document.lineage().engineVersion()).isEqualTo("3.3.1");
        assertThat(document.lineage().parseConfigSha256())
                .isEqualTo(TikaDocumentParser.parseConfigSha256(ParseLimits.defaults()));
        assertThat(document.docId())
                .isEqualTo(io.frostbyte.core.document.DocId.of(
                        Corpus.TENANT, document.lineage().rawSha256()));
    }
}
