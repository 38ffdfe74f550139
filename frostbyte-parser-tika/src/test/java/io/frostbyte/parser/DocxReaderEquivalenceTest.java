package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.document.ParseLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streaming {@link DocxReader} reads every corpus DOCX exactly as the XWPF-based {@link DocxPoiReader}: the same
 * blocks, furniture, drops, tracked changes and metadata, or the same failure.
 */
class DocxReaderEquivalenceTest {

    static List<Path> corpusDocx() {
        List<Path> files = new ArrayList<>();
        for (String folder : new String[] {"docling-testdata", "tika-test-documents", "unstructured-example-docs"}) {
            for (Path path : Corpus.files(folder)) {
                if (path.getFileName()
                        .toString()
                        .toLowerCase(java.util.Locale.ROOT)
                        .endsWith(".docx")) {
                    files.add(path);
                }
            }
        }
        return files;
    }

    static String describe(Extraction e) {
        return "blocks=" + e.blocks + "\nfurniture=" + e.furniture + "\ndropped=" + e.dropped + "\ntracked="
                + e.trackedChanges + "\nmetadata=" + e.metadata + "\nwarnings=" + e.warnings + "\npages="
                + e.pageCount + "\nattachments=" + e.attachments;
    }

    static String outcome(ThrowingRead read) {
        try {
            return describe(read.read());
        } catch (Exception | StackOverflowError e) {
            return "failed:" + e.getClass().getName();
        }
    }

    interface ThrowingRead {
        Extraction read() throws Exception;
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void every_corpus_docx_reads_as_the_xwpf_reader_reads_it() {
        ParseLimits limits = ParseLimits.defaults();
        List<Path> files = corpusDocx();
        assertThat(files).hasSizeGreaterThanOrEqualTo(59);
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = new LinkedHashMap<>();
        Map<String, String> fallbacks = new LinkedHashMap<>();
        for (Path path : files) {
            byte[] bytes = Corpus.bytes(path);
            String name = Corpus.ROOT.relativize(path).toString();
            expected.put(name, outcome(() -> DocxPoiReader.read(bytes, limits)));
            actual.put(name, outcome(() -> DocxReader.read(bytes, limits)));
            try {
                DocxReader.streamed(bytes, limits);
            } catch (DocxReader.Unsupported e) {
                fallbacks.put(name, e.getMessage());
            }
        }
        System.out.println("DOCX read through the XWPF fallback: " + fallbacks);
        assertThat(actual).containsExactlyEntriesOf(expected);
        assertThat(fallbacks.size()).as("files on the fallback: %s", fallbacks).isLessThanOrEqualTo(6);
    }

    private static final String W = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    private static final String R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

    /** A DOCX package with the given body and optional styles, header, footer, comments and core properties. */
    static byte[] docx(String body, String styles, String header, String footer, String comments, String core)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder types = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
                + "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>");
        StringBuilder rels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        StringBuilder packageRels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"" + R + "officeDocument\" Target=\"word/document.xml\"/>");
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            if (styles != null) {
                rels.append("<Relationship Id=\"rId1\" Type=\"" + R + "styles\" Target=\"styles.xml\"/>");
                put(zip, "word/styles.xml", "<w:styles " + W + ">" + styles + "</w:styles>");
            }
            if (header != null) {
                rels.append("<Relationship Id=\"rId2\" Type=\"" + R + "header\" Target=\"header1.xml\"/>");
                rels.append("<Relationship Id=\"rId10\" Type=\"" + R + "header\" Target=\"header2.xml\"/>");
                put(zip, "word/header1.xml", "<w:hdr " + W + ">" + header + "</w:hdr>");
                put(zip, "word/header2.xml", "<w:hdr " + W + "><w:p><w:r><w:t>second header</w:t></w:r></w:p></w:hdr>");
            }
            if (footer != null) {
                rels.append("<Relationship Id=\"rId3\" Type=\"" + R + "footer\" Target=\"footer1.xml\"/>");
                put(zip, "word/footer1.xml", "<w:ftr " + W + ">" + footer + "</w:ftr>");
            }
            if (comments != null) {
                rels.append("<Relationship Id=\"rId4\" Type=\"" + R + "comments\" Target=\"comments.xml\"/>");
                put(zip, "word/comments.xml", "<w:comments " + W + ">" + comments + "</w:comments>");
            }
            if (core != null) {
                types.append("<Override PartName=\"/docProps/core.xml\" "
                        + "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>");
                packageRels.append("<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
                        + "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>");
                put(
                        zip,
                        "docProps/core.xml",
                        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
                                + "package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                                + "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
                                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" + core
                                + "</cp:coreProperties>");
            }
            put(zip, "[Content_Types].xml", types.append("</Types>").toString());
            put(zip, "_rels/.rels", packageRels.append("</Relationships>").toString());
            put(
                    zip,
                    "word/_rels/document.xml.rels",
                    rels.append("</Relationships>").toString());
            put(
                    zip,
                    "word/document.xml",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " + W
                            + " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
                            + " xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>" + body + "</w:body></w:document>");
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String p(String pPr, String runs) {
        return "<w:p>" + (pPr.isEmpty() ? "" : "<w:pPr>" + pPr + "</w:pPr>") + runs + "</w:p>";
    }

    private static String r(String text) {
        return "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r>";
    }

    private static String tc(String tcPr, String content) {
        return "<w:tc>" + (tcPr.isEmpty() ? "" : "<w:tcPr>" + tcPr + "</w:tcPr>") + content + "</w:tc>";
    }

    static List<byte[]> synthetic() throws IOException {
        String styles = "<w:style w:type=\"paragraph\" w:styleId=\"H2\"><w:name w:val=\"heading 2\"/></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"T\"><w:name w:val=\" Title \"/></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"Out\"><w:name w:val=\"Custom\"/>"
                + "<w:pPr><w:outlineLvl w:val=\"3\"/></w:pPr></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"Child\"><w:name w:val=\"Child\"/>"
                + "<w:basedOn w:val=\"Out\"/></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"List\"><w:name w:val=\"List Bullet\"/>"
                + "<w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"4\"/></w:numPr></w:pPr></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"ListChild\"><w:name w:val=\"x\"/>"
                + "<w:basedOn w:val=\"List\"/></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"NoNum\"><w:name w:val=\"y\"/>"
                + "<w:pPr><w:numPr><w:ilvl w:val=\"1\"/></w:numPr></w:pPr><w:basedOn w:val=\"List\"/></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"Loop\"><w:name w:val=\"loop\"/>"
                + "<w:basedOn w:val=\"Loop\"/></w:style>"
                + "<w:style w:type=\"paragraph\" w:styleId=\"H2\"><w:name w:val=\"heading 5\"/></w:style>";
        String paragraphs = p("<w:outlineLvl w:val=\"0\"/>", r("outline zero"))
                + p("<w:outlineLvl w:val=\"9\"/>", r("outline nine"))
                + p("<w:outlineLvl w:val=\"-3\"/>", r("outline negative"))
                + p("<w:outlineLvl w:val=\" +2 \"/><w:pStyle w:val=\"T\"/>", r("outline plus"))
                + p("<w:pStyle w:val=\"H2\"/>", r("heading two"))
                + p("<w:pStyle w:val=\"T\"/>", r("title"))
                + p("<w:pStyle w:val=\"Child\"/>", r("child of outline"))
                + p("<w:pStyle w:val=\"ListChild\"/>", r("list child"))
                + p("<w:pStyle w:val=\"NoNum\"/>", r("no num id"))
                + p("<w:pStyle w:val=\"Loop\"/>", r("loop"))
                + p("<w:pStyle w:val=\"Missing\"/>", r("missing style"))
                + p("<w:numPr><w:ilvl w:val=\"12\"/><w:numId w:val=\"2\"/></w:numPr>", r("deep list"))
                + p("<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"0\"/></w:numPr>", r("num zero"))
                + p("<w:numPr><w:numId w:val=\"3\"/></w:numPr><w:pStyle w:val=\"H2\"/>", r("heading wins"))
                + p(
                        "<w:pStyle w:val=\"List\"/><w:numPr><w:ilvl w:val=\"2\"/><w:numId w:val=\"7\"/></w:numPr>",
                        r("own num"))
                + p(
                        "",
                        "<w:ins><w:r><w:t>inserted </w:t></w:r></w:ins><w:del><w:r><w:delText>gone</w:delText>"
                                + "</w:r></w:del><w:moveFrom><w:r><w:t>moved</w:t></w:r></w:moveFrom><w:moveTo>"
                                + "<w:r><w:t>moved here</w:t></w:r></w:moveTo>")
                + p(
                        "",
                        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"
                                + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>" + r("7")
                                + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:fldSimple w:instr=\"DATE\">"
                                + r("today") + "</w:fldSimple>")
                + p(
                        "",
                        "<w:hyperlink r:id=\"x\" xmlns:r=\"" + R + "\">" + r("link") + "</w:hyperlink>"
                                + "<w:smartTag>" + r(" tagged") + "</w:smartTag>"
                                + "<w:r><w:tab/><w:t>a</w:t><w:br/><w:t>b</w:t><w:cr/><w:noBreakHyphen/><w:ptab/>"
                                + "<w:softHyphen/><w:sym w:char=\"F020\"/></w:r>")
                + p(
                        "",
                        "<w:r><w:t>  spaced  &amp; &#x41;&lt;<![CDATA[cdata]]></w:t></w:r>"
                                + "<w:r><w:footnoteReference w:id=\"1\"/><w:t>after note</w:t></w:r>")
                + p(
                        "",
                        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>"
                                + p("<w:outlineLvl w:val=\"1\"/>", r("in the box"))
                                + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
                                + "<w:txbxContent>" + p("", r("fallback box")) + "</w:txbxContent></v:textbox>"
                                + "</w:pict></mc:Fallback></mc:AlternateContent></w:r>")
                + p("", "<w:r><w:object/><w:pict/></w:r>" + r(" "))
                + p(
                        "",
                        "<w:sdt><w:sdtPr><w:alias w:val=\"a\"/></w:sdtPr><w:sdtContent>" + r("inline sdt")
                                + "</w:sdtContent></w:sdt>")
                + p("", "<w:customXml><w:r><w:t>custom</w:t></w:r></w:customXml>")
                + p("", "<w:r><w:t>nested<w:x>inner</w:x>text</w:t></w:r>")
                + "<w:bookmarkStart w:id=\"0\"/><w:customXml>" + p("", r("hidden in custom xml")) + "</w:customXml>"
                + "<mc:AlternateContent><mc:Choice>" + p("", r("hidden in choice")) + "</mc:Choice>"
                + "</mc:AlternateContent>";
        String deep = "<w:r>".repeat(1) + "<w:smartTag>".repeat(70) + "<w:t>too deep</w:t>" + "</w:smartTag>".repeat(70)
                + "</w:r>";
        paragraphs += p("", r("shallow") + deep);
        String tables = "<w:tbl><w:tblPr/><w:tblGrid/>"
                + "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("<w:gridSpan w:val=\"2\"/>", p("", r("span two")))
                + tc("<w:vMerge w:val=\"restart\"/>", p("", r("merged down"))) + "</w:tr>"
                + "<w:tr><w:trPr><w:tblHeader w:val=\"1\"/></w:trPr>" + tc("", p("", r("a")) + p("", r("b")))
                + tc("", p("", r("c"))) + tc("<w:vMerge/>", p("", r("continued"))) + "</w:tr>"
                + "<w:tr>" + tc("<w:gridSpan w:val=\"0\"/>", p("", r("zero span"))) + tc("", "")
                + tc("<w:vMerge w:val=\"continue\"/>", "") + "</w:tr>"
                + "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("", p("", r("not a header"))) + "</w:tr>"
                + "<w:tr>"
                + tc(
                        "",
                        "<w:tbl><w:tr>" + tc("", p("", r("nested one")))
                                + tc("", "<w:tbl><w:tr>" + tc("", p("", r("nested two"))) + "</w:tr></w:tbl>")
                                + "</w:tr></w:tbl><w:tbl/>" + p("", "<w:ins>" + r("after nested") + "</w:ins>"))
                + "</w:tr></w:tbl>"
                + "<w:tbl><w:tblPr/></w:tbl>"
                + "<w:tbl><w:tr><w:trPr><w:tblHeader w:val=\"false\"/></w:trPr>" + tc("", p("", r("x")))
                + "</w:tr><w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("", p("", r("y"))) + "</w:tr></w:tbl>";
        String header = p("", r("Company header") + "<w:r><w:tab/></w:r>" + r("page"))
                + p(
                        "",
                        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText>"
                                + "</w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>" + r("3")
                                + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>")
                + "<w:tbl><w:tr>" + tc("", p("", r("header cell"))) + tc("", p("", r("two"))) + "</w:tr></w:tbl>"
                + p("", "");
        String footer = p("", r("Company header") + "<w:r><w:tab/></w:r>" + r("page"))
                + p(
                        "",
                        "<w:r><w:drawing><w:txbxContent>" + p("", r("box in footer"))
                                + "</w:txbxContent></w:drawing></w:r>");
        String comments = "<w:comment w:id=\"0\">" + p("", r("c1")) + "</w:comment><w:comment w:id=\"1\"/>"
                + "<w:other/><w:comment w:id=\"2\"/>";
        String core = "<dc:title>The title</dc:title><dc:creator>Ann Author</dc:creator>"
                + "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2021-03-04T05:06:07Z</dcterms:created>";
        List<byte[]> documents = new ArrayList<>();
        documents.add(docx(paragraphs + tables, styles, header, footer, comments, core));
        documents.add(docx(paragraphs, null, null, null, null, null));
        documents.add(docx(tables, null, null, footer, null, "<dc:title> </dc:title>"));
        documents.add(docx(
                p("", r("x")),
                "<w:style w:styleId=\"A\"><w:name w:val=\"heading 3\"/></w:style>",
                header,
                null,
                "",
                "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2021-03-04T05:06:07.25+02:00" + "</dcterms:created>"));
        documents.add(docx(
                "<w:sdt><w:sdtContent>" + p("", r("block sdt")) + "</w:sdtContent></w:sdt>",
                null,
                null,
                null,
                null,
                null));
        documents.add(docx(p("<w:outlineLvl/>", r("outline without value")), null, null, null, null, null));
        documents.add(docx(p("<w:outlineLvl w:val=\"x\"/>", r("outline not a number")), null, null, null, null, null));
        documents.add(docx(
                p("", r("header with sdt")),
                null,
                "<w:sdt><w:sdtContent>" + p("", r("sdt in header")) + "</w:sdtContent></w:sdt>" + p("", r("after")),
                null,
                null,
                null));
        String sdt = "<w:sdt><w:sdtPr><w:alias w:val=\"a\"/></w:sdtPr><w:sdtContent>"
                + p("", r("block sdt &amp; more") + "<w:r><w:tab/></w:r>" + r("tabbed"))
                + "<w:tbl><w:tr>" + tc("", p("", r("table in sdt"))) + "</w:tr></w:tbl>"
                + "<w:sdt><w:sdtContent>" + p("", r("nested sdt")) + "</w:sdtContent></w:sdt>"
                + p(
                        "",
                        "<w:r><w:drawing><wp:inline xmlns:wp=\"urn:wp\"><a:graphic xmlns:a=\"urn:a\">"
                                + "<a:t>in drawing</a:t></a:graphic></wp:inline></w:drawing></w:r>"
                                + "<w:ins><w:r><w:t>ins in sdt</w:t></w:r></w:ins>")
                + "</w:sdtContent></w:sdt>";
        documents.add(docx(
                sdt + p("", r("after"))
                        + "<w:tbl><w:tr>" + tc("", sdt + p("", r("cell text"))) + "<w:sdt><w:sdtContent>"
                        + tc("", p("", r("cell in sdt"))) + "</w:sdtContent></w:sdt></w:tr><w:sdt><w:sdtContent>"
                        + "<w:tr>" + tc("", p("", r("row in sdt"))) + "</w:tr></w:sdtContent></w:sdt></w:tbl>",
                null,
                null,
                null,
                null,
                null));
        return documents;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void synthetic_docx_documents_read_as_the_xwpf_reader_reads_them() throws IOException {
        ParseLimits defaults = ParseLimits.defaults();
        ParseLimits nestingTwo = new ParseLimits(
                defaults.maxBytes(),
                defaults.maxPages(),
                defaults.maxCharacters(),
                defaults.maxEmbeddedDocuments(),
                2,
                7,
                defaults.timeout(),
                defaults.maxExpansionRatio());
        int streamed = 0;
        for (ParseLimits limits : List.of(defaults, nestingTwo)) {
            for (byte[] bytes : synthetic()) {
                assertThat(outcome(() -> DocxReader.read(bytes, limits)))
                        .isEqualTo(outcome(() -> DocxPoiReader.read(bytes, limits)));
                try {
                    DocxReader.streamed(bytes, limits);
                    streamed++;
                } catch (DocxReader.Unsupported e) {
                    // read through POI
                }
            }
        }
        assertThat(streamed).isGreaterThanOrEqualTo(8);
    }
}
