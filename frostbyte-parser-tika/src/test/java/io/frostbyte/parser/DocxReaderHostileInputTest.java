package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streaming {@link DocxReader} never expands a DTD's entities or resolves external ones: a part with a DOCTYPE,
 * too deep or malformed, is left to the XWPF reader, whose hardened parser decides as it did before.
 */
class DocxReaderHostileInputTest {
    private static final String W = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    private static String billionLaughs() {
        StringBuilder entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            String previous = i == 1 ? "lol" : "lol" + (i - 1);
            entities.append("<!ENTITY lol")
                    .append(i)
                    .append(" \"")
                    .append(("&" + previous + ";").repeat(10))
                    .append("\">");
        }
        return entities.toString();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void rejectsEntityExpansion_whenTheDocumentPartDeclaresEntities() throws IOException {
        byte[] docx = Docx.withDocumentXml("<?xml version=\"1.0\"?><!DOCTYPE w:document [" + billionLaughs() + "]>"
                + "<w:document " + W + "><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>");

        assertThatThrownBy(() -> DocxReader.streamed(docx, ParseLimits.defaults()))
                .isInstanceOf(DocxReader.Unsupported.class)
                .hasMessage("dtd");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void rejectsDoctype_whenItDeclaresNoEntity() throws IOException {
        byte[] docx = Docx.withDocumentXml("<?xml version=\"1.0\"?><!DOCTYPE w:document>" + "<w:document " + W
                + "><w:body><w:p><w:r><w:t>plain</w:t></w:r></w:p></w:body></w:document>");

        assertThatThrownBy(() -> DocxReader.streamed(docx, ParseLimits.defaults()))
                .isInstanceOf(DocxReader.Unsupported.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void neverReadsAnExternalEntity_whenTheDocumentPartReferencesOne() throws IOException {
        byte[] docx = Docx.withDocumentXml("<?xml version=\"1.0\"?><!DOCTYPE w:document ["
                + "<!ENTITY secret SYSTEM \"file:///etc/passwd\">]><w:document " + W + "><w:body><w:p><w:r>"
                + "<w:t>before &secret; after</w:t></w:r></w:p></w:body></w:document>");

        assertThatThrownBy(() -> DocxReader.streamed(docx, ParseLimits.defaults()))
                .isInstanceOf(DocxReader.Unsupported.class);
        ParseOutcome outcome =
                Corpus.PARSER.parse(Corpus.TENANT, new ByteArrayInputStream(docx), null, ParseLimits.defaults());
        if (outcome instanceof ParseOutcome.Parsed parsed) {
            assertThat(parsed.document().canonicalText()).doesNotContain("root:");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void rejectsElementsDeeperThanPoiAccepts_withoutRecursingIntoThem() throws IOException {
        String body = "<w:p>" + "<w:smartTag>".repeat(5000) + "<w:r><w:t>deep</w:t></w:r>"
                + "</w:smartTag>".repeat(5000) + "</w:p>";

        assertThatThrownBy(() -> DocxReader.streamed(Docx.of(body), ParseLimits.defaults()))
                .isInstanceOf(DocxReader.Unsupported.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void rejectsEntityExpansion_whenThePackageRelationshipsDeclareEntities() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in =
                        new java.util.zip.ZipInputStream(new ByteArrayInputStream(Docx.of("<w:p/>")));
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bytes)) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals("_rels/.rels")) {
                    content = ("<?xml version=\"1.0\"?><!DOCTYPE Relationships [" + billionLaughs() + "]>"
                                    + new String(content, java.nio.charset.StandardCharsets.UTF_8)
                                            .replaceFirst("<\\?xml[^>]*>", "")
                                            .replace("word/document.xml", "word/document.xml&lol9;"))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(content);
                out.closeEntry();
            }
        }

        assertThatThrownBy(() -> DocxReader.streamed(bytes.toByteArray(), ParseLimits.defaults()))
                .isInstanceOf(DocxReader.Unsupported.class)
                .hasMessage("dtd");
    }

    @Test
    void leavesAFileToPoi_whenItIsNotAZip() {
        byte[] ole2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};

        assertThatThrownBy(() -> DocxReader.streamed(ole2, ParseLimits.defaults()))
                .isInstanceOf(DocxReader.Unsupported.class)
                .hasMessage("not_a_zip");
    }

    @Test
    void leavesAFileToPoi_whenTheZipIsTruncated() throws IOException {
        byte[] docx = Docx.of("<w:p><w:r><w:t>text</w:t></w:r></w:p>");
        byte[] truncated = java.util.Arrays.copyOf(docx, docx.length / 2);

        assertThatThrownBy(() -> DocxReader.streamed(truncated, ParseLimits.defaults()))
                .isInstanceOf(DocxReader.Unsupported.class);
    }

    @Test
    void streamsAPlainDocument_withoutPoisObjectModel() throws Exception {
        Extraction extraction =
                DocxReader.streamed(Docx.of("<w:p><w:r><w:t>plain text</w:t></w:r></w:p>"), ParseLimits.defaults());

        assertThat(extraction.blocks).hasSize(1);
        assertThat(extraction.blocks.get(0).text()).isEqualTo("plain text");
    }
}
