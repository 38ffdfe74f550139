package io.frostbyte.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A native (text) PDF of a given number of A4 pages, written with PDFBox from the XQuAD paragraphs of the shared corpus
 * (CC BY-SA 4.0, Wikipedia): a numbered heading per page in bold, then paragraphs in 10 pt Helvetica, about 3,000
 * characters a page, like a report. Each paragraph carries its page and position, so no two chunks have the same text
 * and the embedding cache cannot shorten the run.
 */
final class LongPdf {
    private static final float MARGIN = 56;
    private static final float LEADING = 13;
    private static final int LINE_CHARS = 95;

    private LongPdf() {}

    static byte[] generate(Path corpus, int pages) throws IOException {
        List<String> paragraphs = paragraphs(corpus.resolve("retrieval-xquad-en/beir-format/corpus.jsonl"));
        PDType1Font body = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        int next = 0;
        try (PDDocument document = new PDDocument()) {
            for (int page = 1; page <= pages; page++) {
                PDPage pdfPage = new PDPage(PDRectangle.A4);
                document.addPage(pdfPage);
                float top = PDRectangle.A4.getHeight() - MARGIN;
                try (PDPageContentStream content = new PDPageContentStream(document, pdfPage)) {
                    content.beginText();
                    content.setFont(bold, 14);
                    content.newLineAtOffset(MARGIN, top);
                    content.showText(page + ". Section " + page);
                    content.setFont(body, 10);
                    content.setLeading(LEADING);
                    content.newLine();
                    content.newLine();
                    int lines = 2;
                    int inPage = 0;
                    while (lines < 52) {
                        String paragraph =
                                "(" + page + "." + (++inPage) + ") " + paragraphs.get(next++ % paragraphs.size());
                        List<String> wrapped = wrap(paragraph);
                        if (lines + wrapped.size() > 54) {
                            break;
                        }
                        for (String line : wrapped) {
                            content.showText(line);
                            content.newLine();
                        }
                        content.newLine();
                        lines += wrapped.size() + 1;
                    }
                    content.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private static List<String> paragraphs(Path corpusJsonl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> paragraphs = new ArrayList<>();
        for (String line : Files.readAllLines(corpusJsonl, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row = mapper.readTree(line);
            paragraphs.add(latin1(row.path("text").asText()));
        }
        if (paragraphs.isEmpty()) {
            throw new IOException("no paragraphs in " + corpusJsonl);
        }
        return paragraphs;
    }

    /** The standard Helvetica encodes Latin-1 only; anything else becomes a space. */
    private static String latin1(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints()
                .forEach(cp -> out.append(cp >= 0x20 && cp <= 0x7e || cp >= 0xa0 && cp <= 0xff ? (char) cp : ' '));
        return out.toString().replaceAll(" +", " ").strip();
    }

    private static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > LINE_CHARS) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
