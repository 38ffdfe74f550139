package io.frostbyte.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalDocumentJsonReadTest {
    private static final TenantId TENANT = TenantId.of("acme-corp");
    private static final String RAW = "470c315a04a9db7d9f322567a9782164433432df8f30a07298ed7ebb7dfea0cb";
    private static final String CONFIG = "e77659c4a4db986a0ebdc8b57811daa31dea5223845e8e2a567fcd4a34e9ddee";

    private static CanonicalDocument everything() {
        return new CanonicalDocumentBuilder(10_000)
                .heading(1, "Master \"Services\" \\ Agreement", 1)
                .paragraph("Emoji 😀, a control \u0001 char, tabs\tand é ü ß.", 1, 1)
                .listItem(2, " nested item ", 1)
                .heading(2, "Prices", 2)
                .table(
                        new Table(
                                1,
                                List.of(
                                        List.of("Item", "Qty", "Note"),
                                        List.of("Support 😀", "", "x"),
                                        List.of("a", "b", "c")),
                                List.of(new MergedCell(1, 0, 1, 2))),
                        2,
                        3)
                .code("  int x = 1;   \n    return x;\n\n", 3)
                .figureCaption("Figure 1: a chart", 3)
                .furniture(2, Furniture.Kind.PAGE_FOOTER, "Page 2 of 3")
                .furniture(1, Furniture.Kind.PAGE_HEADER, "ACME")
                .drop("image", 2, "image_without_text", 3)
                .drop("chart", 0, "chart", 1)
                .warning("w2")
                .warning("w1")
                .metadata("title", "Agreement")
                .metadata("author", "Dana")
                .sourceEncoding("UTF-8")
                .ocrPage(3, 0.64)
                .ocrEngine("tesseract/5.3.0")
                .trackedChanges(2)
                .attachment(new Attachment("a.pdf", "application/pdf", 1234))
                .pageCount(4)
                .build(TENANT, "application/pdf", RAW, "frostbyte-parser-tika", "0.1.0", CONFIG, "3.3.1");
    }

    @Test
    void reading_what_write_wrote_gives_the_same_document_and_the_same_bytes() {
        CanonicalDocument document = everything();
        String json = CanonicalDocumentJson.write(document);

        CanonicalDocument read = CanonicalDocumentJson.read(json);

        assertThat(CanonicalDocumentJson.write(read)).isEqualTo(json);
        assertThat(read).isEqualTo(document);
        assertThat(read.canonicalText()).isEqualTo(document.canonicalText());
        assertThat(read.sections()).isEqualTo(document.sections());
    }

    @Test
    void a_minimal_document_and_whole_number_confidences_round_trip() {
        CanonicalDocument minimal = new CanonicalDocumentBuilder(100)
                .paragraph("x", 1, 1)
                .ocrPage(1, 1.0)
                .build(TENANT, "text/plain", RAW, "p", "1", CONFIG, "3.3.1");
        String json = CanonicalDocumentJson.write(minimal);

        assertThat(CanonicalDocumentJson.write(CanonicalDocumentJson.read(json)))
                .isEqualTo(json);
    }

    @Test
    void json_that_is_not_a_canonical_document_is_refused() {
        String json = CanonicalDocumentJson.write(everything());

        assertThatThrownBy(() -> CanonicalDocumentJson.read("{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalDocumentJson.read(json + "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalDocumentJson.read(
                        json.replace("\"schema_version\":\"1.0\"", "\"schema_version\":\"9\"")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalDocumentJson.read(json.replace("\"type\":\"heading\"", "\"type\":\"poem\"")))
                .isInstanceOf(IllegalArgumentException.class);
        // a tampered text no longer matches its offsets and the canonical text hash
        assertThatThrownBy(() -> CanonicalDocumentJson.read(json.replace("Prices", "Price$!")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
