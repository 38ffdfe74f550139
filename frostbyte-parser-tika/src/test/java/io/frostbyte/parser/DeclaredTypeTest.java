package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.intake.IntakeType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.junit.jupiter.api.Test;

class DeclaredTypeTest {
    private static final Map<String, IntakeType> BY_EXTENSION =
            Map.of("pdf", IntakeType.PDF, "docx", IntakeType.DOCX, "xlsx", IntakeType.XLSX, "pptx", IntakeType.PPTX);

    @Test
    void on_every_corpus_pdf_and_office_file_a_confirmed_type_is_the_one_tikas_detector_gives() throws IOException {
        Detector tika = new AutoDetectParser().getDetector();
        int confirmed = 0;
        int files = 0;
        for (String folder : new String[] {"docling-testdata", "tika-test-documents", "unstructured-example-docs"}) {
            for (Path path : Corpus.files(folder)) {
                String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
                IntakeType type = BY_EXTENSION.get(name.substring(name.lastIndexOf('.') + 1));
                if (type == null || path.toString().contains("/groundtruth/")) {
                    continue;
                }
                files++;
                byte[] bytes = Corpus.bytes(path);
                Optional<MediaType> fast = DeclaredType.confirmed(bytes, type.mimeType());
                if (fast.isEmpty()) {
                    continue;
                }
                Metadata hint = new Metadata();
                hint.set(Metadata.CONTENT_TYPE, type.mimeType());
                try (TikaInputStream stream = TikaInputStream.get(bytes)) {
                    assertThat(fast.get()).as(path.toString()).isEqualTo(tika.detect(stream, hint));
                }
                confirmed++;
            }
        }
        assertThat(files).isGreaterThan(150);
        assertThat(confirmed).isGreaterThan(140);
    }

    @Test
    void a_pdf_signature_confirms_a_declared_pdf_only() {
        byte[] pdf = "%PDF-1.7\n%...".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bomPdf = ("\uFEFF%PDF-1.4\n").getBytes(StandardCharsets.UTF_8);
        byte[] late = " %PDF-1.4\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(DeclaredType.confirmed(pdf, "application/pdf")).contains(MediaType.application("pdf"));
        assertThat(DeclaredType.confirmed(bomPdf, "application/pdf")).contains(MediaType.application("pdf"));
        assertThat(DeclaredType.confirmed(late, "application/pdf")).isEmpty();
        assertThat(DeclaredType.confirmed(pdf, IntakeType.DOCX.mimeType())).isEmpty();
        assertThat(DeclaredType.confirmed(pdf, "text/plain")).isEmpty();
        assertThat(DeclaredType.confirmed(pdf, null)).isEmpty();
        assertThat(DeclaredType.confirmed(new byte[0], "application/pdf")).isEmpty();
    }

    @Test
    void a_package_confirms_only_the_office_type_its_content_types_part_names() throws IOException {
        byte[] docx =
                zip(List.of("[Content_Types].xml", "word/document.xml"), contentTypes("wordprocessingml.document"));

        assertThat(DeclaredType.confirmed(docx, IntakeType.DOCX.mimeType()))
                .contains(MediaType.parse(IntakeType.DOCX.mimeType()));
        assertThat(DeclaredType.confirmed(docx, IntakeType.XLSX.mimeType())).isEmpty();
        assertThat(DeclaredType.confirmed(docx, "application/pdf")).isEmpty();
    }

    @Test
    void a_macro_enabled_package_a_late_content_types_part_or_a_broken_zip_is_left_to_detection() throws IOException {
        String macro = contentTypes("wordprocessingml.document")
                .replace(
                        "</Types>",
                        "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/></Types>");
        byte[] withMacro = zip(List.of("[Content_Types].xml"), macro);
        byte[] late = zip(
                List.of("a.xml", "b.xml", "c.xml", "d.xml", "[Content_Types].xml"),
                contentTypes("wordprocessingml.document"));
        byte[] docx = zip(List.of("[Content_Types].xml"), contentTypes("wordprocessingml.document"));
        byte[] truncated = java.util.Arrays.copyOf(docx, 40);

        assertThat(DeclaredType.confirmed(withMacro, IntakeType.DOCX.mimeType()))
                .isEmpty();
        assertThat(DeclaredType.confirmed(late, IntakeType.DOCX.mimeType())).isEmpty();
        assertThat(DeclaredType.confirmed(truncated, IntakeType.DOCX.mimeType()))
                .isEmpty();
    }

    private static String contentTypes(String main) {
        return "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
                + main + ".main+xml\"/></Types>";
    }

    private static byte[] zip(List<String> names, String contentTypes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(
                        (name.equals("[Content_Types].xml") ? contentTypes : "<x/>").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
