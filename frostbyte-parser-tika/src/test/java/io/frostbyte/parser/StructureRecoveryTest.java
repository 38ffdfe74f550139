package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.frostbyte.core.document.Block;
import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.DroppedContent;
import io.frostbyte.core.document.Furniture;
import io.frostbyte.core.document.MergedCell;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

/** DOCX, PPTX, EML and PDF structure beyond Tika's defaults, on real corpus files where the corpus has one. */
class StructureRecoveryTest {
    private static List<Block> ofType(CanonicalDocument document, BlockType type) {
        return document.blocks().stream().filter(b -> b.type() == type).toList();
    }

    private static ParseOutcome parse(byte[] bytes) {
        return Corpus.PARSER.parse(Corpus.TENANT, new ByteArrayInputStream(bytes), null, ParseLimits.defaults());
    }

    @Test
    void docx_numbered_and_bulleted_paragraphs_are_list_items_with_their_nesting_level() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/docx/sources/docx_lists.docx");

        assertThat(ofType(document, BlockType.LIST_ITEM))
                .extracting(Block::text, Block::level)
                .contains(
                        tuple("List item 1.1.1", 3),
                        tuple("List item 1.2.1", 3),
                        tuple("Sub-item A", 2),
                        tuple("Buy fresh bread from the corner bakery", 3));
        assertThat(ofType(document, BlockType.LIST_ITEM)).hasSize(48);
        assertThat(document.canonicalText()).doesNotContain("\u00b7 List item");
    }

    @Test
    void docx_heading_styles_give_levels_and_the_title_style_level_one() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/docx/sources/unit_test_headers.docx");

        assertThat(ofType(document, BlockType.HEADING))
                .extracting(Block::text, Block::level)
                .startsWith(tuple("Test Document", 1), tuple("Section 1", 1), tuple("Section 1.1", 2))
                .contains(tuple("Section 1.2.3", 3));
    }

    @Test
    void docx_vertical_and_horizontal_spans_become_merged_cells_on_the_full_grid() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/docx/sources/word_tables.docx");

        List<Block> tables = ofType(document, BlockType.TABLE);
        assertThat(tables).hasSize(7);
        assertThat(tables.get(1).table().cells().get(1)).containsExactly("Cell 1.0", "Merged Cell 1.1 1.2", "");
        assertThat(tables.get(1).table().merged()).contains(new MergedCell(1, 1, 1, 2));
        assertThat(tables.get(3).table().cells().get(1)).containsExactly("Cell 1.0", "Merged Cell 1.1 2.1", "Cell 1.2");
        assertThat(tables.get(3).table().cells().get(2)).containsExactly("Cell 2.0", "", "Cell 2.2");
        assertThat(tables.get(3).table().merged()).contains(new MergedCell(1, 1, 2, 1));
    }

    @Test
    void docx_tracked_changes_are_resolved_as_accepted_and_counted() throws IOException {
        byte[] docx = Docx.of("<w:p><w:r><w:t xml:space=\"preserve\">The fee is </w:t></w:r>"
                + "<w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>100</w:delText></w:r></w:del>"
                + "<w:ins w:id=\"2\" w:author=\"a\"><w:r><w:t>120</w:t></w:r></w:ins>"
                + "<w:r><w:t xml:space=\"preserve\"> euros.</w:t></w:r></w:p>");

        CanonicalDocument document = ((ParseOutcome.Parsed) parse(docx)).document();

        assertThat(document.canonicalText()).isEqualTo("The fee is 120 euros.");
        assertThat(document.stats().trackedChanges()).isEqualTo(2);
        assertThat(CanonicalDocumentJson.write(document)).contains("\"tracked_changes\":2");
    }

    @Test
    void docx_comments_are_excluded_from_the_text_and_counted_as_dropped() {
        CanonicalDocument document = Corpus.parsed("tika-test-documents/docx/testComment.docx");

        assertThat(document.canonicalText()).isEqualTo("Here is some text.");
        assertThat(document.stats().droppedContent()).contains(new DroppedContent("comment", 1, "comment", 1));
    }

    @Test
    void pptx_slides_are_pages_whose_titles_are_level_one_headings() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pptx/sources/powerpoint_sample.pptx");

        assertThat(document.pages()).hasSize(3);
        assertThat(ofType(document, BlockType.HEADING))
                .extracting(Block::text, Block::level, Block::page)
                .containsExactly(tuple("Test Table Slide", 1, 1), tuple("Second slide title", 1, 2));
        assertThat(ofType(document, BlockType.LIST_ITEM))
                .extracting(Block::text)
                .startsWith("With foo", "Bar", "And baz things");
        assertThat(document.sections()).hasSize(2);
        assertThat(ofType(document, BlockType.TABLE).getFirst().table().merged())
                .isNotEmpty();
    }

    @Test
    void eml_headers_become_metadata_the_body_text_and_attachments_are_listed_unparsed() {
        CanonicalDocument document = Corpus.parsed("unstructured-example-docs/eml/fake-email-attachment.eml");

        assertThat(document.metadata())
                .containsEntry("subject", "Fake email with attachment")
                .containsEntry("from", "mallori@unstructured.io")
                .containsEntry("to", "mallori@unstructured.io")
                .containsEntry("date", "2022-12-23T18:08:48Z")
                .containsKey("message_id");
        assertThat(document.blocks().getFirst().type()).isEqualTo(BlockType.HEADING);
        assertThat(document.blocks().getFirst().text()).isEqualTo("Fake email with attachment");
        assertThat(document.canonicalText()).contains("Here's the attachments!");
        assertThat(document.attachments()).hasSize(1);
        assertThat(document.attachments().getFirst().filename()).isEqualTo("fake-attachment.txt");
        assertThat(document.attachments().getFirst().mimeType()).isEqualTo("text/plain");
        assertThat(document.attachments().getFirst().sizeBytes()).isPositive();
        assertThat(document.stats().droppedContent()).contains(new DroppedContent("attachment", 1, "attachment", 1));
        assertThat(CanonicalDocumentJson.write(document))
                .contains("\"attachments\":[{\"filename\":\"fake-attachment.txt\"");
    }

    @Test
    void pdf_headings_come_from_font_size_statistics() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/code_and_formula.pdf");

        assertThat(ofType(document, BlockType.HEADING))
                .extracting(Block::text, Block::page)
                .containsExactly(tuple("JavaScript Code Example", 1), tuple("Formula", 2));
    }

    @Test
    void pdf_section_titles_in_a_tex_bold_face_at_body_size_are_headings() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/2305.03393v1-pg9.pdf");

        assertThat(ofType(document, BlockType.HEADING))
                .extracting(Block::text)
                .containsExactly("5.1 Hyper Parameter Optimization", "5.2 Quantitative Results");
    }

    @Test
    void pdf_numbered_subsections_a_point_larger_than_the_body_are_headings_not_list_items() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/normal_4pages.pdf");

        assertThat(ofType(document, BlockType.HEADING))
                .extracting(Block::text)
                .contains("(1) 「감염병의 예방 및 관리에 관한 법률」 개정", "(4) 신종위험에 대비한 상품 부족");
        assertThat(ofType(document, BlockType.LIST_ITEM))
                .noneMatch(b -> b.text().startsWith("(2) 생명보험"));
    }

    @Test
    void pdf_lines_sharing_a_baseline_with_other_text_and_large_check_boxes_are_not_headings() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/table_mislabeled_as_picture.pdf");

        assertThat(ofType(document, BlockType.HEADING)).isEmpty();
    }

    @Test
    void pdf_words_hyphenated_at_line_ends_are_rejoined_and_ligatures_spelled_out() throws IOException {
        byte[] pdf;
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            List<String> lines = List.of(
                    "The parser keeps the infor-", "mation of every page and the", "pre-", "Columbian era intact.");
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                for (int i = 0; i < lines.size(); i++) {
                    content.beginText();
                    content.setFont(font, 10);
                    content.newLineAtOffset(72, 700 - i * 12);
                    content.showText(lines.get(i));
                    content.endText();
                }
            }
            document.save(out);
            pdf = out.toByteArray();
        }

        CanonicalDocument document = ((ParseOutcome.Parsed) parse(pdf)).document();

        assertThat(document.canonicalText())
                .isEqualTo("The parser keeps the information of every page and the pre- Columbian era intact.");
    }

    @Test
    void a_pdf_table_drawn_with_ruling_lines_becomes_a_table_block_with_its_cells() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/redp5110_sampled.pdf");

        Block table = ofType(document, BlockType.TABLE).stream()
                .filter(b -> b.page() == 8)
                .findFirst()
                .orElseThrow();
        assertThat(table.table().columns()).isEqualTo(3);
        assertThat(table.table().cells().getFirst()).containsExactly("Column name", "Data type", "Description");
        assertThat(table.table().cells().get(1)).containsExactly("FUNCTION_ID", "VARCHAR(30)", "ID of the function.");
        assertThat(ofType(document, BlockType.PARAGRAPH))
                .noneMatch(b -> b.text().startsWith("FUNCTION_ID"));
    }

    @Test
    void a_korean_pdf_table_keeps_its_three_columns_and_wrapped_cells_in_one_row() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/normal_4pages.pdf");

        List<Block> tables = ofType(document, BlockType.TABLE);
        assertThat(tables).hasSize(1);
        assertThat(tables.getFirst().page()).isEqualTo(2);
        assertThat(tables.getFirst().table().cells().getFirst()).containsExactly("구분", "개정전", "개정후");
        assertThat(tables.getFirst().table().cells().get(1)).containsExactly("분류", "1군 감염병", "1급 감염병");
    }

    @Test
    void ruled_boxes_of_prose_and_diagrams_cut_by_rules_are_not_pdf_tables() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/redp5110_sampled.pdf");

        assertThat(ofType(document, BlockType.TABLE)).extracting(Block::page).doesNotContain(3, 10, 18);
    }

    @Test
    void a_run_of_heading_candidates_on_a_front_cover_keeps_only_the_two_largest_sizes() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/redp5110_sampled.pdf");

        assertThat(ofType(document, BlockType.HEADING))
                .extracting(Block::text)
                .contains("1.1 Security fundamentals", "2.2 Separation of duties", "3.6.6 Activating RCAC")
                .contains("Row and Column Access Control Support in IBM DB2 for i")
                .doesNotContain("Front cover", "Implement roles and separation of duties", "Column name Data type");
    }

    @Test
    void pdf_lines_repeated_at_page_edges_are_furniture_kept_out_of_the_text() {
        CanonicalDocument document = Corpus.parsed("docling-testdata/pdf/sources/redp5110_sampled.pdf");

        assertThat(document.furniture())
                .filteredOn(f -> f.text().startsWith("© Copyright IBM Corp. 2014. All rights reserved."))
                .extracting(Furniture::kind)
                .hasSizeGreaterThanOrEqualTo(3)
                .containsOnly(Furniture.Kind.PAGE_FOOTER);
        assertThat(document.canonicalText()).doesNotContain("All rights reserved.");
    }

    @Test
    void a_two_column_pdf_page_is_read_left_column_first_even_when_drawn_row_by_row() throws IOException {
        byte[] pdf;
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                for (int row = 0; row < 8; row++) {
                    float y = 760 - row * 14;
                    for (String column : List.of("left", "right")) {
                        content.beginText();
                        content.setFont(font, 10);
                        content.newLineAtOffset(column.equals("left") ? 60 : 320, y);
                        content.showText(column + " column line " + row);
                        content.endText();
                    }
                }
            }
            document.save(out);
            pdf = out.toByteArray();
        }

        CanonicalDocument document = ((ParseOutcome.Parsed) parse(pdf)).document();

        String text = document.canonicalText();
        assertThat(text.indexOf("left column line 7")).isLessThan(text.indexOf("right column line 0"));
        assertThat(text.indexOf("left column line 0")).isLessThan(text.indexOf("left column line 1"));
    }

    @Test
    void a_pdf_of_ten_thousand_empty_pages_keeps_the_page_limit_and_drops_the_rest() throws IOException {
        byte[] pdf;
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage first = new PDPage(PDRectangle.A4);
            document.addPage(first);
            try (PDPageContentStream content = new PDPageContentStream(document, first)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText("Only the first page has text.");
                content.endText();
            }
            for (int i = 1; i < 10_000; i++) {
                document.addPage(new PDPage(PDRectangle.A4));
            }
            document.save(out);
            pdf = out.toByteArray();
        }

        long start = System.nanoTime();
        ParseOutcome outcome = parse(pdf);

        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(60);
        CanonicalDocument document = ((ParseOutcome.Parsed) outcome).document();
        assertThat(document.pages()).hasSize(2000);
        assertThat(document.canonicalText()).isEqualTo("Only the first page has text.");
        assertThat(document.stats().droppedContent()).contains(new DroppedContent("page", 2001, "limit_exceeded", 1));
    }
}
