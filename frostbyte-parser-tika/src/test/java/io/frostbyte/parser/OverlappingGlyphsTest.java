package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Duplicate overlapping glyphs ("fake bold": the same text drawn twice a fraction of a point apart) are extracted once,
 * with exactly the decisions of PDFBox's own suppression, which {@link OverlappingGlyphs} replaces.
 */
@Timeout(60)
class OverlappingGlyphsTest {
    private static final PDType1Font HELVETICA = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

    /** One piece of text drawn at a position (PDF user space, origin bottom left). */
    private record Text(float x, float y, String text) {}

    @Test
    void text_drawn_twice_at_a_tiny_offset_is_extracted_once() throws IOException {
        byte[] pdf = pdf(List.of(
                new Text(72, 700, "Quarterly results improved"),
                new Text(72.4f, 700, "Quarterly results improved"),
                new Text(72, 680, "Revenue grew in every region this year.")));

        String text = parse(pdf).canonicalText();

        assertThat(text).contains("Quarterly results improved").contains("Revenue grew in every region this year.");
        assertThat(occurrences(text, "Quarterly")).isEqualTo(1);
        assertThat(text).doesNotContain("QQ").doesNotContain("uu");
    }

    @Test
    void identical_text_far_apart_on_the_page_stays_twice() throws IOException {
        byte[] pdf = pdf(List.of(
                new Text(72, 700, "Total amount"),
                new Text(350, 700, "Total amount"),
                new Text(72, 640, "Total amount"),
                new Text(72, 600, "The same words appear on other lines too.")));

        String text = parse(pdf).canonicalText();

        assertThat(occurrences(text, "Total amount")).isEqualTo(3);
    }

    @Test
    void decides_like_pdfbox_tree_lookup_on_random_glyphs_with_close_positions() {
        Random random = new Random(20240610L);
        String[] texts = {"a", "b", "e", "ff", "fi", " ", "\u00e9"};
        for (int page = 0; page < 200; page++) {
            OverlappingGlyphs glyphs = new OverlappingGlyphs();
            PdfBoxReference reference = new PdfBoxReference();
            int count = 1 + random.nextInt(400);
            for (int i = 0; i < count; i++) {
                String text = texts[random.nextInt(texts.length)];
                float x = random.nextInt(40) * 2.5f + random.nextInt(4) * 0.1f;
                float y = random.nextInt(20) * 3f + random.nextInt(4) * 0.1f;
                float width = switch (random.nextInt(6)) {
                    case 0 -> 0f;
                    case 1 -> random.nextFloat() * 60f; // large glyphs: more cells than the grid visits
                    default -> random.nextFloat() * 8f;
                };
                assertThat(glyphs.shows(text, x, y, width))
                        .as("glyph %d of page %d", i, page)
                        .isEqualTo(reference.shows(text, x, y, width));
            }
        }
    }

    @Test
    void decides_like_pdfbox_on_extreme_coordinates_and_widths() {
        float[] values = {
            0f,
            -0f,
            1f,
            -1f,
            0.3f,
            7.99f,
            8f,
            -8f,
            1e7f,
            -1e7f,
            3e38f,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN,
            Float.MIN_VALUE
        };
        float[] widths = {0f, -0f, 1f, 3f, 30f, -1f, Float.POSITIVE_INFINITY, Float.NaN, 1e30f};
        Random random = new Random(7L);
        for (int round = 0; round < 300; round++) {
            OverlappingGlyphs glyphs = new OverlappingGlyphs();
            PdfBoxReference reference = new PdfBoxReference();
            for (int i = 0; i < 60; i++) {
                String text = random.nextBoolean() ? "x" : "";
                float x = values[random.nextInt(values.length)];
                float y = values[random.nextInt(values.length)];
                float width = widths[random.nextInt(widths.length)];
                Object expected = outcome(() -> reference.shows(text, x, y, width));
                Object actual = outcome(() -> glyphs.shows(text, x, y, width));
                assertThat(actual)
                        .as("round %d glyph %d: %s at %s,%s width %s", round, i, text, x, y, width)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void forgets_the_glyphs_of_the_previous_page_after_a_reset() {
        OverlappingGlyphs glyphs = new OverlappingGlyphs();
        assertThat(glyphs.shows("a", 100, 100, 6)).isTrue();
        assertThat(glyphs.shows("a", 100.5f, 100, 6)).isFalse();
        assertThat(glyphs.shows("b", 100.5f, 100, 6)).isTrue();

        glyphs.reset();

        assertThat(glyphs.shows("a", 100.5f, 100, 6)).isTrue();
    }

    @Test
    void keeps_deciding_correctly_when_a_page_holds_many_glyphs() {
        OverlappingGlyphs glyphs = new OverlappingGlyphs();
        PdfBoxReference reference = new PdfBoxReference();
        for (int line = 0; line < 120; line++) {
            for (int column = 0; column < 90; column++) {
                String text = String.valueOf((char) ('a' + (line * 7 + column) % 26));
                float x = 20 + column * 6.1f;
                float y = 20 + line * 12f;
                assertThat(glyphs.shows(text, x, y, 5.5f)).isEqualTo(reference.shows(text, x, y, 5.5f));
                assertThat(glyphs.shows(text, x + 0.4f, y, 5.5f))
                        .isEqualTo(reference.shows(text, x + 0.4f, y, 5.5f))
                        .isFalse();
            }
        }
    }

    /** PDFBox 3.0's {@code PDFTextStripper.processTextPosition} duplicate check, as written there. */
    private static final class PdfBoxReference {
        private final Map<String, TreeMap<Float, TreeSet<Float>>> characters = new HashMap<>();

        boolean shows(String text, float x, float y, float width) {
            TreeMap<Float, TreeSet<Float>> same = characters.computeIfAbsent(text, k -> new TreeMap<>());
            float tolerance = width / text.length() / 3.0f;
            SortedMap<Float, TreeSet<Float>> xMatches = same.subMap(x - tolerance, x + tolerance);
            for (TreeSet<Float> xMatch : xMatches.values()) {
                if (!xMatch.subSet(y - tolerance, y + tolerance).isEmpty()) {
                    return false;
                }
            }
            same.computeIfAbsent(x, k -> new TreeSet<>()).add(y);
            return true;
        }
    }

    private interface Decision {
        boolean shows();
    }

    /** The decision, or the class of the exception thrown instead. */
    private static Object outcome(Decision decision) {
        try {
            return decision.shows();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static byte[] pdf(List<Text> texts) throws IOException {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                for (Text text : new ArrayList<>(texts)) {
                    content.beginText();
                    content.setFont(HELVETICA, 12);
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
}
