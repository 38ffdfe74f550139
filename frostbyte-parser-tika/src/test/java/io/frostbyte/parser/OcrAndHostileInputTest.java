package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.DroppedContent;
import io.frostbyte.core.document.Page;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;

/**
 * OCR through Tesseract (installed by {@code .ci/run}: Debian {@code tesseract-ocr tesseract-ocr-eng}) and hostile
 * inputs. The images are rendered from the corpus' scanned PDF {@code testOCR.pdf} ("Happy New Year 2003!").
 */
class OcrAndHostileInputTest {
    private static final String SCANNED = "tika-test-documents/pdf/testOCR.pdf";

    private static ParseOutcome parse(TikaDocumentParser parser, byte[] bytes, ParseLimits limits) {
        return parser.parse(Corpus.TENANT, new ByteArrayInputStream(bytes), null, limits);
    }

    private static void requireTesseract() {
        assumeTrue(Corpus.PARSER.ocr().isPresent(), "tesseract is not installed (apt tesseract-ocr tesseract-ocr-eng)");
    }

    private static BufferedImage scannedPage() throws IOException {
        try (PDDocument document = Loader.loadPDF(Corpus.bytes(Corpus.file(SCANNED)))) {
            return new PDFRenderer(document).renderImageWithDPI(0, 200, ImageType.GRAY);
        }
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] tiff(List<BufferedImage> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    @Test
    void a_scanned_pdf_page_without_a_text_layer_is_ocrd_with_its_confidence() {
        requireTesseract();
        CanonicalDocument document = Corpus.parsed(SCANNED);

        assertThat(document.canonicalText()).isEqualTo("Happy New Year 2003!");
        Page page = document.pages().getFirst();
        assertThat(page.source()).isEqualTo("ocr");
        assertThat(page.ocrConfidence()).isGreaterThan(0.7);
        assertThat(document.stats().ocrPages()).isEqualTo(1);
        assertThat(document.stats().lowOcrConfidencePages()).isEmpty();
        assertThat(document.lineage().ocrEngine()).startsWith("tesseract 5.");
        assertThat(CanonicalDocumentJson.write(document))
                .contains("\"ocr_pages\":1")
                .contains("\"source\":\"ocr\"");
    }

    @Test
    void a_png_is_one_ocr_page_and_a_multi_page_tiff_one_ocr_page_per_frame() throws IOException {
        requireTesseract();
        BufferedImage page = scannedPage();

        CanonicalDocument fromPng =
                ((ParseOutcome.Parsed) parse(Corpus.PARSER, png(page), ParseLimits.defaults())).document();
        CanonicalDocument fromTiff = ((ParseOutcome.Parsed)
                        parse(Corpus.PARSER, tiff(List.of(page, page)), ParseLimits.defaults()))
                .document();

        assertThat(fromPng.mimeType()).isEqualTo("image/png");
        assertThat(fromPng.canonicalText()).isEqualTo("Happy New Year 2003!");
        assertThat(fromPng.stats().ocrPages()).isEqualTo(1);
        assertThat(fromTiff.mimeType()).isEqualTo("image/tiff");
        assertThat(fromTiff.pages())
                .extracting(Page::page, Page::source)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple(1, "ocr"),
                        org.assertj.core.api.Assertions.tuple(2, "ocr"));
        assertThat(fromTiff.blocks()).extracting(b -> b.page()).containsExactly(1, 2);
        assertThat(fromTiff.stats().ocrAverageConfidence()).isGreaterThan(0.7);
    }

    @Test
    void a_page_under_the_confidence_threshold_is_listed_and_warned_about() throws IOException {
        requireTesseract();
        BufferedImage noise = new BufferedImage(600, 200, BufferedImage.TYPE_BYTE_GRAY);
        java.util.Random random = new java.util.Random(7);
        for (int x = 0; x < 600; x++) {
            for (int y = 0; y < 200; y++) {
                noise.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        java.awt.Graphics2D graphics = noise.createGraphics();
        graphics.setColor(java.awt.Color.BLACK);
        graphics.setFont(new java.awt.Font(java.awt.Font.SERIF, java.awt.Font.ITALIC, 18));
        graphics.drawString("faint words over noise", 40, 100);
        graphics.dispose();

        ParseOutcome outcome = parse(Corpus.PARSER, png(noise), ParseLimits.defaults());

        if (outcome instanceof ParseOutcome.Parsed parsed) {
            CanonicalDocument document = parsed.document();
            double confidence = document.pages().getFirst().ocrConfidence();
            assertThat(document.stats().lowOcrConfidencePages()).isEqualTo(confidence < 0.7 ? List.of(1) : List.of());
            assertThat(document.stats().warnings().contains("low_ocr_confidence"))
                    .isEqualTo(confidence < 0.7);
        } else {
            assertThat(((ParseOutcome.Failed) outcome).code()).isEqualTo(ErrorCode.NO_TEXT_EXTRACTED);
        }
    }

    @Test
    void without_tesseract_an_image_fails_with_ocr_unavailable_and_never_crashes() throws IOException {
        TikaDocumentParser withoutOcr = new TikaDocumentParser(Optional.empty());

        ParseOutcome png = parse(withoutOcr, png(scannedPage()), ParseLimits.defaults());
        ParseOutcome scannedPdf = parse(withoutOcr, Corpus.bytes(Corpus.file(SCANNED)), ParseLimits.defaults());

        assertThat(((ParseOutcome.Failed) png).code()).isEqualTo(ErrorCode.OCR_UNAVAILABLE);
        assertThat(((ParseOutcome.Failed) scannedPdf).code()).isEqualTo(ErrorCode.OCR_UNAVAILABLE);
    }

    @Test
    void the_ocr_confidence_threshold_and_dpi_come_from_the_settings_and_enter_the_config_hash() {
        requireTesseract();
        OcrSettings strict = new OcrSettings(true, "eng", 150, 1.0, java.time.Duration.ofSeconds(60));
        TikaDocumentParser parser = new TikaDocumentParser(Corpus.PARSER.ocr(), strict);

        CanonicalDocument document = ((ParseOutcome.Parsed)
                        parse(parser, Corpus.bytes(Corpus.file(SCANNED)), ParseLimits.defaults()))
                .document();

        assertThat(document.canonicalText()).contains("Happy New Year");
        assertThat(document.stats().lowOcrConfidencePages()).containsExactly(1);
        assertThat(document.stats().warnings()).contains("low_ocr_confidence");
        assertThat(document.lineage().parseConfigSha256())
                .isEqualTo(TikaDocumentParser.parseConfigSha256(ParseLimits.defaults(), strict))
                .isNotEqualTo(TikaDocumentParser.parseConfigSha256(ParseLimits.defaults()));
    }

    @Test
    void ocr_disabled_in_the_settings_fails_images_with_ocr_unavailable_even_with_an_engine() throws IOException {
        TikaDocumentParser disabled = new TikaDocumentParser(
                Corpus.PARSER.ocr(), OcrSettings.defaults().withEnabled(false));

        ParseOutcome png = parse(disabled, png(scannedPage()), ParseLimits.defaults());

        assertThat(disabled.ocr()).isEmpty();
        assertThat(((ParseOutcome.Failed) png).code()).isEqualTo(ErrorCode.OCR_UNAVAILABLE);
    }

    @Test
    void ocr_settings_reject_bad_languages_dpi_thresholds_and_timeouts() {
        java.time.Duration minute = java.time.Duration.ofMinutes(1);

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new OcrSettings(true, "eng; rm -rf", 300, 0.7, minute));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new OcrSettings(true, "eng", 71, 0.7, minute));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new OcrSettings(true, "eng", 1201, 0.7, minute));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new OcrSettings(true, "eng", 300, 1.5, minute));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new OcrSettings(true, "eng", 300, Double.NaN, minute));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new OcrSettings(true, "eng", 300, 0.7, java.time.Duration.ZERO));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new OcrSettings(true, "eng", 300, 0.7, java.time.Duration.ofHours(2)));
        assertThat(OcrSettings.defaults())
                .isEqualTo(new OcrSettings(true, "eng", 300, 0.7, java.time.Duration.ofSeconds(120)));
    }

    @Test
    void tesseract_tsv_words_become_lines_and_the_mean_word_confidence() {
        String tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
                + "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
                + "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tHappy\n"
                + "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t70\tNew\n"
                + "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t50\tYear\n";

        TesseractOcr.Result result = TesseractOcr.parseTsv(tsv);

        assertThat(result.lines()).extracting(TesseractOcr.Line::text).containsExactly("Happy New", "Year");
        assertThat(result.confidence()).isEqualTo(0.7);
    }

    private static byte[] nestedTables(int depth) throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            body.append("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>level ").append(i).append("</w:t></w:r></w:p>");
        }
        for (int i = 0; i < depth; i++) {
            body.append("<w:p/></w:tc></w:tr></w:tbl>");
        }
        return Docx.of(body.toString());
    }

    @Test
    void a_nested_docx_table_keeps_the_outer_text_and_drops_what_is_beyond_the_nesting_limit() throws IOException {
        ParseLimits defaults = ParseLimits.defaults();
        ParseLimits nestingEight = new ParseLimits(
                defaults.maxBytes(),
                defaults.maxPages(),
                defaults.maxCharacters(),
                defaults.maxEmbeddedDocuments(),
                8,
                defaults.maxTableCells(),
                defaults.timeout(),
                defaults.maxExpansionRatio());

        ParseOutcome outcome = parse(Corpus.PARSER, nestedTables(15), nestingEight);

        assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
        CanonicalDocument document = ((ParseOutcome.Parsed) outcome).document();
        assertThat(document.canonicalText())
                .startsWith("level 0 level 1")
                .contains("level 7")
                .doesNotContain("level 8");
        assertThat(document.stats().droppedContent()).contains(new DroppedContent("table", 1, "limit_exceeded", 1));
    }

    /** The XML parser refuses elements deeper than jdk.xml.maxElementDepth (100) before any recursion of ours. */
    @Test
    void a_docx_table_nested_thousands_deep_is_file_corrupted_without_exhausting_the_stack() throws IOException {
        long start = System.nanoTime();
        ParseOutcome outcome = parse(Corpus.PARSER, nestedTables(5000), ParseLimits.defaults());

        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(30);
        assertThat(outcome).isInstanceOf(ParseOutcome.Failed.class);
        assertThat(((ParseOutcome.Failed) outcome).code()).isEqualTo(ErrorCode.FILE_CORRUPTED);
    }

    @Test
    void a_billion_laughs_document_part_inside_a_docx_is_file_corrupted() throws IOException {
        StringBuilder entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            String previous = i == 1 ? "lol" : "lol" + (i - 1);
            entities.append("<!ENTITY lol")
                    .append(i)
                    .append(" \"")
                    .append(("&" + previous + ";").repeat(10))
                    .append("\">");
        }
        byte[] docx = Docx.withDocumentXml("<?xml version=\"1.0\"?><!DOCTYPE w:document [" + entities + "]>"
                + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
                + "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>");

        long start = System.nanoTime();
        ParseOutcome outcome = parse(Corpus.PARSER, docx, ParseLimits.defaults());

        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(30);
        assertThat(outcome).isInstanceOf(ParseOutcome.Failed.class);
        assertThat(((ParseOutcome.Failed) outcome).code()).isEqualTo(ErrorCode.FILE_CORRUPTED);
    }
}
