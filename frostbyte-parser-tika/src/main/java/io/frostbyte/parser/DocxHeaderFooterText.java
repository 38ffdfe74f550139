package io.frostbyte.parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.poi.ooxml.POIXMLDocumentPart;
import org.apache.poi.ooxml.POIXMLTypeLoader;
import org.apache.poi.xwpf.usermodel.BodyType;
import org.apache.poi.xwpf.usermodel.IBody;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.xmlbeans.XmlCursor;
import org.apache.xmlbeans.XmlException;
import org.apache.xmlbeans.XmlObject;
import org.apache.xmlbeans.XmlOptions;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTHdrFtr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTP;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTSdtBlock;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTTbl;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTTc;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.FtrDocument;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.HdrDocument;

/**
 * The text of a page header or footer part exactly as POI's {@code XWPFHeaderFooter.getText()} gives it, and of a
 * block-level content control as {@code XWPFSDT} gives it: the part or element (small) is loaded into XMLBeans and read
 * with POI's paragraph, table and content-control classes, without loading the main document (a blank one stands in). Parts referring to footnotes or endnotes (whose text POI takes from the main document) are left to
 * {@link DocxPoiReader}.
 */
final class DocxHeaderFooterText {
    private XWPFDocument blank;

    /** The blank document standing in for the main one (POI's paragraph classes need one), made on first use. */
    private XWPFDocument blank() {
        if (blank == null) {
            blank = new XWPFDocument();
        }
        return blank;
    }

    /** The text of one header ({@code header} true) or footer part. */
    String text(byte[] xml, boolean header) throws DocxReader.Unsupported {
        String raw = new String(xml, StandardCharsets.ISO_8859_1);
        if (raw.contains("footnoteReference") || raw.contains("endnoteReference") || raw.contains("<!DOCTYPE")) {
            throw new DocxReader.Unsupported("header_reference");
        }
        CTHdrFtr content;
        try {
            content = header
                    ? HdrDocument.Factory.parse(
                                    new java.io.ByteArrayInputStream(xml), POIXMLTypeLoader.DEFAULT_XML_OPTIONS)
                            .getHdr()
                    : FtrDocument.Factory.parse(
                                    new java.io.ByteArrayInputStream(xml), POIXMLTypeLoader.DEFAULT_XML_OPTIONS)
                            .getFtr();
        } catch (XmlException | java.io.IOException | RuntimeException e) {
            throw new DocxReader.Unsupported("header_xml");
        }
        if (content == null) {
            throw new DocxReader.Unsupported("header_xml");
        }
        return new Body(blank(), content).text();
    }

    /** The text of a block-level content control ({@code w:sdt} element XML) as {@code XWPFSDT} gives it. */
    String sdtText(String xml) throws DocxReader.Unsupported {
        CTSdtBlock sdt;
        try {
            // the w:sdt element's content and attributes become those of the parsed object
            sdt = CTSdtBlock.Factory.parse(
                    xml, new XmlOptions(POIXMLTypeLoader.DEFAULT_XML_OPTIONS).setLoadReplaceDocumentElement(null));
        } catch (XmlException | RuntimeException e) {
            throw new DocxReader.Unsupported("sdt_xml");
        }
        return new XWPFSDT(sdt, new Body(blank(), null)).getContent().getText();
    }

    /** A header or footer body, read as {@code XWPFHeader.onDocumentRead} and flattened as {@code getText()}. */
    private static final class Body implements IBody {
        private final XWPFDocument document;
        private final List<XWPFParagraph> paragraphs = new ArrayList<>();
        private final List<XWPFTable> tables = new ArrayList<>();
        private final List<IBodyElement> bodyElements = new ArrayList<>();

        Body(XWPFDocument document, CTHdrFtr content) {
            this.document = document;
            if (content == null) {
                return;
            }
            try (XmlCursor cursor = content.newCursor()) {
                cursor.selectPath("./*");
                while (cursor.toNextSelection()) {
                    XmlObject o = cursor.getObject();
                    if (o instanceof CTP p) {
                        XWPFParagraph paragraph = new XWPFParagraph(p, this);
                        paragraphs.add(paragraph);
                        bodyElements.add(paragraph);
                    }
                    if (o instanceof CTTbl t) {
                        XWPFTable table = new XWPFTable(t, this);
                        tables.add(table);
                        bodyElements.add(table);
                    }
                    if (o instanceof CTSdtBlock s) {
                        bodyElements.add(new XWPFSDT(s, this));
                    }
                }
            }
        }

        String text() {
            StringBuilder t = new StringBuilder(64);
            for (XWPFParagraph paragraph : paragraphs) {
                if (!paragraph.isEmpty()) {
                    String text = paragraph.getText();
                    if (text != null && !text.isEmpty()) {
                        t.append(text);
                        t.append('\n');
                    }
                }
            }
            for (XWPFTable table : tables) {
                String text = table.getText();
                if (text != null && !text.isEmpty()) {
                    t.append(text);
                    t.append('\n');
                }
            }
            for (IBodyElement bodyElement : bodyElements) {
                if (bodyElement instanceof XWPFSDT sdt) {
                    t.append(sdt.getContent().getText()).append('\n');
                }
            }
            return t.toString();
        }

        @Override
        public POIXMLDocumentPart getPart() {
            return document;
        }

        @Override
        public BodyType getPartType() {
            return BodyType.HEADER;
        }

        @Override
        public List<IBodyElement> getBodyElements() {
            return Collections.unmodifiableList(bodyElements);
        }

        @Override
        public List<XWPFParagraph> getParagraphs() {
            return Collections.unmodifiableList(paragraphs);
        }

        @Override
        public List<XWPFTable> getTables() {
            return Collections.unmodifiableList(tables);
        }

        @Override
        public XWPFParagraph getParagraph(CTP p) {
            for (XWPFParagraph paragraph : paragraphs) {
                if (paragraph.getCTP().equals(p)) {
                    return paragraph;
                }
            }
            return null;
        }

        @Override
        public XWPFTable getTable(CTTbl ctTable) {
            for (XWPFTable table : tables) {
                if (table.getCTTbl().equals(ctTable)) {
                    return table;
                }
            }
            return null;
        }

        @Override
        public XWPFParagraph getParagraphArray(int pos) {
            return pos >= 0 && pos < paragraphs.size() ? paragraphs.get(pos) : null;
        }

        @Override
        public XWPFTable getTableArray(int pos) {
            return pos >= 0 && pos < tables.size() ? tables.get(pos) : null;
        }

        @Override
        public XWPFParagraph insertNewParagraph(XmlCursor cursor) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public XWPFTable insertNewTbl(XmlCursor cursor) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public void insertTable(int pos, XWPFTable table) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public XWPFTableCell getTableCell(CTTc cell) {
            return null;
        }

        @Override
        public XWPFDocument getXWPFDocument() {
            return document;
        }
    }
}
