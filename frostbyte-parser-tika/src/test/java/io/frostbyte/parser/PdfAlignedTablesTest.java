package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.document.Block;
import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentJson;
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
import org.junit.jupiter.api.Timeout;

/** PDF tables without ruling lines, recovered from the alignment of their text, and what must stay text. */
@Timeout(60)
class PdfAlignedTablesTest {
    private static final PDType1Font HELVETICA = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final PDType1Font HELVETICA_BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    /** One piece of text drawn at a position (PDF user space, origin bottom left). */
    private record Text(float x, float y, String text, boolean bold) {
        static Text plain(float x, float y, String text) {
            return new Text(x, y, text, false);
        }
    }

    private static byte[] pdf(List<Text> texts) throws IOException {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                for (Text text : texts) {
                    content.beginText();
                    content.setFont(text.bold() ? HELVETICA_BOLD : HELVETICA, 10);
                    content.newLineAtOffset(text.x(), text.y());
                    content.showText(text.text());
                    content.endText();
                }
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static CanonicalDocument parse(byte[] pdf) {
        ParseOutcome outcome =
                Corpus.PARSER.parse(Corpus.TENANT, new ByteArrayInputStream(pdf), null, ParseLimits.defaults());
        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed) outcome).document();
    }

    private static List<Block> ofType(CanonicalDocument document, BlockType type) {
        return document.blocks().stream().filter(b -> b.type() == type).toList();
    }

    /** A paragraph above and below, between them a table of 3 rows and 4 columns drawn without any line. */
    private static List<Text> unruledTable() {
        List<Text> texts = new java.util.ArrayList<>();
        texts.add(Text.plain(72, 780, "The team for the spring release is listed below with their roles."));
        texts.add(Text.plain(72, 766, "Each member keeps one area of the product and reviews the others."));
        float[] columns = {72, 190, 320, 440};
        String[][] rows = {
            {"Name", "Role", "City", "Team"},
            {"Alice Martin", "Engineer", "Lyon", "Parsing"},
            {"Bob Chen", "Designer", "Oslo", "Search"},
        };
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < columns.length; c++) {
                texts.add(new Text(columns[c], 730 - r * 16, rows[r][c], r == 0));
            }
        }
        texts.add(Text.plain(72, 670, "Questions about the release go to the team lead by the end of the week."));
        return texts;
    }

    @Test
    void an_unruled_pdf_table_becomes_a_table_block_with_its_rows_columns_and_cell_texts() throws IOException {
        CanonicalDocument document = parse(pdf(unruledTable()));

        List<Block> tables = ofType(document, BlockType.TABLE);
        assertThat(tables).hasSize(1);
        assertThat(tables.getFirst().table().rows()).isEqualTo(3);
        assertThat(tables.getFirst().table().columns()).isEqualTo(4);
        assertThat(tables.getFirst().table().cells())
                .containsExactly(
                        List.of("Name", "Role", "City", "Team"),
                        List.of("Alice Martin", "Engineer", "Lyon", "Parsing"),
                        List.of("Bob Chen", "Designer", "Oslo", "Search"));
        assertThat(document.blocks())
                .filteredOn(b -> b.type() != BlockType.TABLE)
                .extracting(Block::text)
                .noneMatch(text -> text.contains("Alice") || text.contains("Engineer"))
                .anyMatch(text -> text.startsWith("The team for the spring release"))
                .anyMatch(text -> text.startsWith("Questions about the release"));
        assertThat(document.blocks().indexOf(tables.getFirst()))
                .isGreaterThan(0)
                .isLessThan(document.blocks().size() - 1);
    }

    @Test
    void the_same_unruled_table_parses_to_the_same_canonical_json_twice() throws IOException {
        byte[] pdf = pdf(unruledTable());

        assertThat(CanonicalDocumentJson.write(parse(pdf))).isEqualTo(CanonicalDocumentJson.write(parse(pdf)));
    }

    @Test
    void two_columns_of_prose_stay_paragraphs_and_are_not_a_table() throws IOException {
        String[] left = {
            "Frostbyte reads every document a tenant sends",
            "and keeps the structure that a reader would see",
            "on the page: headings, lists, tables and the text",
            "between them, in the order a person reads them.",
            "Pages set in two columns are read column by",
            "column, so that a sentence is never cut across",
            "the gutter and joined with the other column.",
            "This paragraph keeps going for a few more lines",
        };
        String[] right = {
            "so that both columns hold enough lines of text",
            "for the layout to count as two columns of prose",
            "rather than a short table of two columns with",
            "cells that happen to sit side by side on a line.",
            "Long lines of running text in both columns are",
            "what sets prose apart from a table, whose cells",
            "are short and hold names, numbers and labels.",
            "The right column ends here with a full stop.",
        };
        List<Text> texts = new java.util.ArrayList<>();
        for (int i = 0; i < left.length; i++) {
            texts.add(Text.plain(60, 760 - i * 13, left[i]));
            texts.add(Text.plain(315, 760 - i * 13, right[i]));
        }

        CanonicalDocument document = parse(pdf(texts));

        assertThat(ofType(document, BlockType.TABLE)).isEmpty();
        String text = document.canonicalText();
        assertThat(text).contains("Frostbyte reads every document a tenant sends");
        assertThat(text.indexOf("This paragraph keeps going")).isLessThan(text.indexOf("so that both columns"));
    }

    @Test
    void a_bulleted_list_with_a_hanging_indent_stays_a_list() throws IOException {
        List<Text> texts = new java.util.ArrayList<>();
        String[][] items = {
            {"Upload the files of a batch through the", "gateway, which checks their type and size."},
            {"Parse each file into the canonical", "document with its headings and tables."},
            {"Index the chunks of every document so", "that search finds them within seconds."},
        };
        float y = 760;
        for (String[] item : items) {
            texts.add(Text.plain(72, y, "\u2022"));
            texts.add(Text.plain(90, y, item[0]));
            texts.add(Text.plain(90, y - 13, item[1]));
            y -= 30;
        }

        CanonicalDocument document = parse(pdf(texts));

        assertThat(ofType(document, BlockType.TABLE)).isEmpty();
        assertThat(ofType(document, BlockType.LIST_ITEM))
                .extracting(Block::text)
                .hasSize(3)
                .first()
                .asString()
                .contains("Upload the files of a batch");
    }

    @Test
    void a_key_value_form_with_aligned_values_is_not_a_table() throws IOException {
        String[][] fields = {
            {"Name:", "Alice Martin"},
            {"Date of birth:", "12 March 1985"},
            {"Department:", "Engineering"},
            {"Office:", "Lyon, building B"},
            {"Phone:", "+33 4 00 00 00 00"},
        };
        List<Text> texts = new java.util.ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            texts.add(Text.plain(72, 760 - i * 16, fields[i][0]));
            texts.add(Text.plain(200, 760 - i * 16, fields[i][1]));
        }

        CanonicalDocument document = parse(pdf(texts));

        assertThat(ofType(document, BlockType.TABLE)).isEmpty();
        assertThat(document.canonicalText()).contains("Name:", "Alice Martin", "Department:", "Engineering");
    }
}
