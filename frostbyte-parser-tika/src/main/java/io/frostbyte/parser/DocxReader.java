package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.Furniture;
import io.frostbyte.core.document.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * DOCX by streaming the package's XML parts (spec/02 §2.2), with exactly the output of the XWPF-based
 * {@link DocxPoiReader}: headings from heading/title styles and outline levels (of the paragraph or its style chain),
 * list items with their nesting level from numbering ({@code w:numPr}, also inherited from styles), tables on a full
 * grid with {@code gridSpan}/{@code vMerge} as merged cells, tracked changes resolved as all accepted ({@code w:ins}
 * kept, {@code w:del} dropped, both counted), comments, images and field codes dropped, page headers and footers as
 * furniture. Nested tables deeper than {@code parse.max_nesting_depth} are dropped.
 *
 * <p>The package (zip, content types, relationships, core properties) is read by {@link DocxPackage}, and the main
 * document, styles and comments parts with the JDK's StAX parser without DTDs or external entities, instead of loading
 * them into XMLBeans' schema object model; headers, footers and block-level content controls (small) keep POI's text
 * extraction ({@link DocxHeaderFooterText}). What this class does not reproduce exactly (odd attribute values or part
 * names, a DTD, malformed XML or zip, strict OOXML, footnote references in headers, ...) makes it read the file again
 * with {@link DocxPoiReader}, so its output and its failures stay exactly those of POI.
 */
final class DocxReader {
    static final String WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private static final String RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    private static final int MAX_STYLE_CHAIN = 16;
    /** POI's XML parsers refuse elements nested deeper than this; so does ours (then POI decides). */
    private static final int MAX_ELEMENT_DEPTH = 100;

    private static final XMLInputFactory XML = xmlInputFactory();

    private final ParseLimits limits;
    private final Extraction extraction = new Extraction();
    private Map<String, Style> styles;
    private long tableCellsUsed;
    private DocxHeaderFooterText poiTexts;

    /** A construct this reader does not reproduce exactly: the file is read again through POI's object model. */
    static final class Unsupported extends Exception {
        Unsupported(String construct) {
            super(construct, null, false, false);
        }
    }

    private DocxReader(ParseLimits limits) {
        this.limits = limits;
    }

    static Extraction read(byte[] bytes, ParseLimits limits) throws IOException {
        try {
            return streamed(bytes, limits);
        } catch (Unsupported e) {
            return DocxPoiReader.read(bytes, limits);
        }
    }

    /** The streaming reading alone; {@link Unsupported} when the file needs POI's. */
    static Extraction streamed(byte[] bytes, ParseLimits limits) throws Unsupported {
        if (!ZipExpansionGuard.isZip(bytes)) {
            throw new Unsupported("not_a_zip");
        }
        DocxReader reader = new DocxReader(limits);
        try {
            DocxPackage pkg = DocxPackage.read(bytes);
            pkg.checkAllRelationships();
            reader.readPackage(pkg);
        } catch (Unsupported e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new Unsupported("xml");
        }
        reader.extraction.metadata.values().removeIf(value -> value == null || value.isBlank());
        return reader.extraction;
    }

    private void readPackage(DocxPackage pkg) throws Exception {
        String document = null;
        for (DocxPackage.Relationship relationship : pkg.relationships("")) {
            if (relationship.type().equals(DocxPackage.OFFICE_DOCUMENT)) {
                if (document != null || relationship.external()) {
                    throw new Unsupported("main_part");
                }
                document = relationship.target();
            }
        }
        if (document == null || !pkg.exists(document)) {
            throw new Unsupported("main_part");
        }
        String stylesPart = null;
        String commentsPart = null;
        List<String> headers = new ArrayList<>();
        List<String> footers = new ArrayList<>();
        for (DocxPackage.Relationship relationship : pkg.relationships(document)) {
            String type = relationship.type();
            if (relationship.external() || !type.startsWith(RELATIONSHIPS) || !pkg.exists(relationship.target())) {
                continue;
            }
            String part = relationship.target();
            String kind = type.substring(RELATIONSHIPS.length());
            switch (kind) {
                case "styles" -> stylesPart = part;
                case "comments" -> commentsPart = part;
                case "header" -> headers.add(part);
                case "footer" -> footers.add(part);
                case "numbering", "settings", "footnotes", "endnotes" -> wellFormed(pkg, part, WORD_NS, kind);
                case "chart" -> wellFormed(pkg, part, null, "chartSpace");
                case "glossaryDocument" -> {
                    // POI loads the glossary's own styles, settings, ... parts, not the glossary itself
                    for (DocxPackage.Relationship child : pkg.relationships(part)) {
                        if (!child.external()
                                && pkg.exists(child.target())
                                && child.target().endsWith(".xml")) {
                            wellFormed(pkg, child.target(), null, null);
                        }
                    }
                }
                default -> {}
            }
        }
        if (stylesPart != null) {
            styles = readStyles(pkg.open(stylesPart));
        }
        readDocument(pkg.open(document));
        furniture(pkg, headers, footers);
        if (commentsPart != null) {
            long comments = countComments(pkg.open(commentsPart));
            if (comments > 0) {
                extraction.dropped.merge("comment\u00001\u0000comment", comments, Long::sum);
            }
        }
        properties(pkg);
    }

    private void properties(DocxPackage pkg) throws Exception {
        for (String type : new String[] {RELATIONSHIPS + "extended-properties", RELATIONSHIPS + "custom-properties"}) {
            List<DocxPackage.Relationship> relationships = new ArrayList<>();
            for (DocxPackage.Relationship relationship : pkg.relationships("")) {
                if (relationship.type().equals(type)) {
                    relationships.add(relationship);
                }
            }
            if (relationships.size() > 1) {
                throw new Unsupported("properties");
            }
            if (relationships.size() == 1) {
                DocxPackage.Relationship relationship = relationships.get(0);
                if (relationship.external()) {
                    throw new Unsupported("properties");
                }
                if (pkg.exists(relationship.target())) {
                    wellFormed(pkg, relationship.target(), null, "Properties");
                }
            }
        }
        extraction.metadata.putAll(pkg.coreProperties());
    }

    // ---------------------------------------------------------------- XML

    private static XMLInputFactory xmlInputFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external entities are not read");
        });
        try {
            factory.setProperty("jdk.xml.maxElementDepth", MAX_ELEMENT_DEPTH);
        } catch (IllegalArgumentException e) {
            // the element depth is then bounded by the readers' own checks
        }
        return factory;
    }

    /** A reader positioned on the root element of a part; a DTD (or anything before the root but comments) is left to POI. */
    static XMLStreamReader open(InputStream in) throws XMLStreamException, Unsupported {
        XMLStreamReader reader = XML.createXMLStreamReader(in);
        while (true) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    return reader;
                }
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE -> throw new Unsupported("dtd");
                case XMLStreamConstants.END_DOCUMENT -> throw new Unsupported("empty_part");
                default -> {}
            }
        }
    }

    private static boolean word(XMLStreamReader reader, String localName) {
        return localName.equals(reader.getLocalName()) && WORD_NS.equals(reader.getNamespaceURI());
    }

    /** Consumes the rest of the current element, up to and including its end tag. */
    static void skip(XMLStreamReader reader) throws XMLStreamException, Unsupported {
        int depth = 1;
        while (depth > 0) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD -> throw new Unsupported("entity");
                case XMLStreamConstants.END_DOCUMENT -> throw new Unsupported("truncated");
                default -> {}
            }
        }
    }

    /** Moves to the next child element of the current one; false (on its end tag) when there is none. */
    static boolean nextChild(XMLStreamReader reader) throws XMLStreamException, Unsupported {
        while (true) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    return true;
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    return false;
                }
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD -> throw new Unsupported("entity");
                case XMLStreamConstants.END_DOCUMENT -> throw new Unsupported("truncated");
                default -> {}
            }
        }
    }

    /** A part POI parses while loading: well-formed, with the root element it expects (XMLBeans checks it). */
    private static void wellFormed(DocxPackage pkg, String part, String namespace, String root)
            throws XMLStreamException, IOException, Unsupported {
        try (InputStream in = pkg.open(part)) {
            XMLStreamReader reader = open(in);
            if ((root != null && !root.equals(reader.getLocalName()))
                    || (namespace != null && !namespace.equals(reader.getNamespaceURI()))) {
                throw new Unsupported("root_of_" + root);
            }
            skip(reader);
            reader.close();
        }
    }

    /** The {@code w:val} of the current element as XMLBeans reads an {@code ST_DecimalNumber}; null when absent. */
    private static BigInteger decimal(XMLStreamReader reader) throws Unsupported {
        String value = reader.getAttributeValue(WORD_NS, "val");
        if (value == null) {
            return null;
        }
        try {
            return new BigInteger(value.strip());
        } catch (NumberFormatException e) {
            throw new Unsupported("decimal");
        }
    }

    private static int clamped(BigInteger value) {
        return value == null
                ? 0
                : value.min(BigInteger.valueOf(1000)).max(BigInteger.ZERO).intValue();
    }

    // ---------------------------------------------------------------- styles

    /** What a paragraph or a style sets in its {@code w:pPr} that headings and lists depend on. */
    private static final class Props {
        boolean hasOutline;
        BigInteger outline;
        boolean hasStyle;
        String styleId;
        boolean hasNumPr;
        boolean hasNumId;
        BigInteger numId;
        BigInteger ilvl;
    }

    private record Style(String name, String basedOn, Props props) {}

    private static Map<String, Style> readStyles(InputStream part) throws XMLStreamException, IOException, Unsupported {
        Map<String, Style> styles = new HashMap<>();
        try (InputStream in = part) {
            XMLStreamReader reader = open(in);
            if (!word(reader, "styles")) {
                throw new Unsupported("styles_root");
            }
            while (nextChild(reader)) {
                if (!word(reader, "style")) {
                    skip(reader);
                    continue;
                }
                String id = reader.getAttributeValue(WORD_NS, "styleId");
                String name = null;
                boolean hasName = false;
                String basedOn = null;
                boolean hasBasedOn = false;
                Props props = null;
                while (nextChild(reader)) {
                    if (!hasName && word(reader, "name")) {
                        hasName = true;
                        name = reader.getAttributeValue(WORD_NS, "val");
                        skip(reader);
                    } else if (!hasBasedOn && word(reader, "basedOn")) {
                        hasBasedOn = true;
                        basedOn = reader.getAttributeValue(WORD_NS, "val");
                        skip(reader);
                    } else if (props == null && word(reader, "pPr")) {
                        props = props(reader);
                    } else {
                        skip(reader);
                    }
                }
                if (id != null) {
                    styles.putIfAbsent(id, new Style(name, basedOn, props));
                }
            }
            reader.close();
        }
        return styles;
    }

    /** Reads a {@code w:pPr} (the reader on its start tag) up to its end tag. */
    private static Props props(XMLStreamReader reader) throws XMLStreamException, Unsupported {
        Props props = new Props();
        while (nextChild(reader)) {
            if (!props.hasOutline && word(reader, "outlineLvl")) {
                props.hasOutline = true;
                props.outline = decimal(reader);
                skip(reader);
            } else if (!props.hasStyle && word(reader, "pStyle")) {
                props.hasStyle = true;
                props.styleId = reader.getAttributeValue(WORD_NS, "val");
                skip(reader);
            } else if (!props.hasNumPr && word(reader, "numPr")) {
                props.hasNumPr = true;
                boolean hasIlvl = false;
                while (nextChild(reader)) {
                    if (!props.hasNumId && word(reader, "numId")) {
                        props.hasNumId = true;
                        props.numId = decimal(reader);
                    } else if (!hasIlvl && word(reader, "ilvl")) {
                        hasIlvl = true;
                        props.ilvl = decimal(reader);
                    }
                    skip(reader);
                }
            } else {
                skip(reader);
            }
        }
        return props;
    }

    private int headingLevel(Props props) throws Unsupported {
        if (props != null && props.hasOutline) {
            return outlineHeading(props.outline);
        }
        String styleId = props == null ? null : props.styleId;
        for (int i = 0; styleId != null && styles != null && i < MAX_STYLE_CHAIN; i++) {
            Style style = styles.get(styleId);
            if (style == null) {
                break;
            }
            String name = style.name() == null
                    ? ""
                    : style.name().toLowerCase(Locale.ROOT).strip();
            if (name.equals("title")) {
                return 1;
            }
            if (name.matches("heading [1-9]")) {
                return name.charAt(8) - '0';
            }
            if (style.props() != null && style.props().hasOutline) {
                return outlineHeading(style.props().outline);
            }
            styleId = style.basedOn();
        }
        return 0;
    }

    private static int outlineHeading(BigInteger value) throws Unsupported {
        if (value == null) {
            throw new Unsupported("outline_without_value");
        }
        int outline = value.intValue();
        return outline < 9 ? outline + 1 : 0;
    }

    private int listLevel(Props paragraph) {
        Props numPr = paragraph != null && paragraph.hasNumPr ? paragraph : null;
        String styleId = paragraph == null ? null : paragraph.styleId;
        for (int i = 0; numPr == null && styleId != null && styles != null && i < MAX_STYLE_CHAIN; i++) {
            Style style = styles.get(styleId);
            if (style == null) {
                break;
            }
            numPr = style.props() != null && style.props().hasNumPr ? style.props() : null;
            styleId = style.basedOn();
        }
        if (numPr == null || !numPr.hasNumId || clamped(numPr.numId) == 0) {
            return 0;
        }
        return Math.min(clamped(numPr.ilvl), 8) + 1;
    }

    // ---------------------------------------------------------------- document

    private void readDocument(InputStream part) throws XMLStreamException, IOException, Unsupported {
        try (InputStream in = part) {
            XMLStreamReader reader = open(in);
            if (!word(reader, "document")) {
                throw new Unsupported("document_root");
            }
            while (nextChild(reader)) {
                if (word(reader, "body")) {
                    body(reader);
                } else {
                    skip(reader);
                }
            }
            reader.close();
        }
    }

    private void body(XMLStreamReader reader) throws XMLStreamException, Unsupported {
        while (nextChild(reader)) {
            if (word(reader, "p")) {
                paragraph(reader);
            } else if (word(reader, "tbl")) {
                table(reader, 1);
            } else if (word(reader, "sdt")) {
                text(BlockType.PARAGRAPH, 0, sdtText(reader));
            } else {
                skip(reader);
            }
        }
    }

    private void paragraph(XMLStreamReader reader) throws XMLStreamException, Unsupported {
        StringBuilder text = new StringBuilder();
        Props props = paragraphText(reader, text);
        String value = text.toString();
        if (value.isBlank()) {
            return;
        }
        int heading = headingLevel(props);
        if (heading > 0) {
            text(BlockType.HEADING, heading, value);
            return;
        }
        int listLevel = listLevel(props);
        text(listLevel > 0 ? BlockType.LIST_ITEM : BlockType.PARAGRAPH, listLevel > 0 ? listLevel : 0, value);
    }

    private void text(BlockType type, int level, String text) {
        if (!text.isBlank()) {
            extraction.blocks.add(RawBlock.text(type, level, text, 1, 1));
        }
    }

    /** The final text of a paragraph (the reader on its start tag, left on its end tag); its own {@code w:pPr}. */
    private Props paragraphText(XMLStreamReader reader, StringBuilder text) throws XMLStreamException, Unsupported {
        Props[] props = new Props[1];
        walk(reader, text, 0, props);
        return props[0];
    }

    /**
     * The children of the current element, as {@link DocxPoiReader}'s DOM walk: insertions kept, deletions, field
     * codes and fallback content skipped; nothing below 65 levels under the paragraph.
     */
    private void walk(XMLStreamReader reader, StringBuilder text, int depth, Props[] props)
            throws XMLStreamException, Unsupported {
        if (depth > 64) {
            skip(reader);
            return;
        }
        while (nextChild(reader)) {
            String name = reader.getLocalName();
            if (!WORD_NS.equals(reader.getNamespaceURI())) {
                if (name.equals("Fallback")) {
                    skip(reader);
                } else {
                    walk(reader, text, depth + 1, null);
                }
                continue;
            }
            switch (name) {
                case "pPr" -> {
                    if (props != null && props[0] == null) {
                        props[0] = props(reader);
                    } else {
                        skip(reader);
                    }
                }
                case "rPr", "instrText", "delText", "delInstrText", "footnoteReference" -> skip(reader);
                case "del", "moveFrom" -> {
                    extraction.trackedChanges++;
                    skip(reader);
                }
                case "ins", "moveTo" -> {
                    extraction.trackedChanges++;
                    walk(reader, text, depth + 1, null);
                }
                case "t" -> appendText(reader, text);
                case "tab", "ptab" -> {
                    text.append('\t');
                    skip(reader);
                }
                case "br", "cr" -> {
                    text.append('\n');
                    skip(reader);
                }
                case "noBreakHyphen" -> {
                    text.append('-');
                    skip(reader);
                }
                case "drawing", "pict", "object" -> {
                    extraction.drop("image", 1, "image_without_text");
                    walk(reader, text, depth + 1, null);
                }
                case "txbxContent" -> {
                    text.append('\n');
                    walk(reader, text, depth + 1, null);
                    text.append('\n');
                }
                default -> walk(reader, text, depth + 1, null);
            }
        }
    }

    /** The character data directly inside a {@code w:t} (not that of any child element). */
    private static void appendText(XMLStreamReader reader, StringBuilder text) throws XMLStreamException, Unsupported {
        int depth = 1;
        while (depth > 0) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (depth == 1) {
                        text.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                    }
                }
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD -> throw new Unsupported("entity");
                case XMLStreamConstants.END_DOCUMENT -> throw new Unsupported("truncated");
                default -> {}
            }
        }
    }

    private DocxHeaderFooterText poiTexts() {
        if (poiTexts == null) {
            poiTexts = new DocxHeaderFooterText();
        }
        return poiTexts;
    }

    /**
     * The text of a block-level content control as XWPF's {@code XWPFSDT.getContent().getText()} gives it: the element
     * (the reader on its start tag, left on its end tag) is copied out, with the namespaces it uses, and read by POI.
     */
    private String sdtText(XMLStreamReader reader) throws XMLStreamException, Unsupported {
        StringBuilder xml = new StringBuilder();
        Map<String, String> used = new HashMap<>();
        copy(reader, xml, used, Set.of());
        int rootEnd = xml.indexOf(">");
        StringBuilder declarations = new StringBuilder();
        for (Map.Entry<String, String> binding : used.entrySet()) {
            declarations
                    .append(binding.getKey().isEmpty() ? " xmlns" : " xmlns:" + binding.getKey())
                    .append("=\"")
                    .append(escape(binding.getValue()))
                    .append('"');
        }
        xml.insert(xml.charAt(rootEnd - 1) == '/' ? rootEnd - 1 : rootEnd, declarations);
        String content = xml.toString();
        if (content.contains("footnoteReference") || content.contains("endnoteReference")) {
            throw new Unsupported("sdt_reference");
        }
        return poiTexts().sdtText(content);
    }

    /**
     * Copies the current element with the namespace declarations it has; {@code used} gets the namespaces it uses that
     * are declared outside the copied root ({@code inScope}: the prefixes declared inside it, around this element).
     */
    private static void copy(XMLStreamReader reader, StringBuilder xml, Map<String, String> used, Set<String> inScope)
            throws XMLStreamException, Unsupported {
        Set<String> declaredHere = reader.getNamespaceCount() == 0 ? inScope : new java.util.HashSet<>(inScope);
        String name = qualified(reader.getPrefix(), reader.getLocalName());
        xml.append('<').append(name);
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String prefix = reader.getNamespacePrefix(i) == null ? "" : reader.getNamespacePrefix(i);
            declaredHere.add(prefix);
            xml.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix)
                    .append("=\"")
                    .append(escape(reader.getNamespaceURI(i)))
                    .append('"');
        }
        use(used, declaredHere, reader.getPrefix(), reader.getNamespaceURI());
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            use(used, declaredHere, reader.getAttributePrefix(i), reader.getAttributeNamespace(i));
            xml.append(' ')
                    .append(qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i)))
                    .append("=\"")
                    .append(escape(reader.getAttributeValue(i)))
                    .append('"');
        }
        xml.append('>');
        while (true) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> copy(reader, xml, used, declaredHere);
                case XMLStreamConstants.END_ELEMENT -> {
                    xml.append("</").append(name).append('>');
                    return;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                    xml.append(escape(reader.getText()));
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD -> throw new Unsupported("entity");
                case XMLStreamConstants.END_DOCUMENT -> throw new Unsupported("truncated");
                default -> {}
            }
        }
    }

    private static void use(Map<String, String> used, Set<String> declaredHere, String prefix, String namespace)
            throws Unsupported {
        String key = prefix == null ? "" : prefix;
        if (namespace == null || namespace.isEmpty() || key.equals("xml") || declaredHere.contains(key)) {
            if (key.isEmpty() && (namespace == null || namespace.isEmpty()) && used.containsKey("")) {
                throw new Unsupported("sdt_namespaces");
            }
            return;
        }
        String previous = used.putIfAbsent(key, namespace);
        if (previous != null && !previous.equals(namespace)) {
            throw new Unsupported("sdt_namespaces");
        }
    }

    private static String qualified(String prefix, String localName) {
        return prefix == null || prefix.isEmpty() ? localName : prefix + ":" + localName;
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\r' -> escaped.append("&#13;");
                case '\t' -> escaped.append("&#9;");
                case '\n' -> escaped.append("&#10;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    // ---------------------------------------------------------------- tables

    private enum Merge {
        NONE,
        START,
        CONTINUE
    }

    private record Slot(String text, int column, int span, Merge merge) {}

    private record Row(List<Slot> slots, boolean header) {}

    private void table(XMLStreamReader reader, int depth) throws XMLStreamException, Unsupported {
        if (depth > limits.maxNestingDepth()) {
            extraction.drop("table", 1, "limit_exceeded");
            skip(reader);
            return;
        }
        // XWPFTable reads only the direct w:tr rows, XWPFTableRow only the direct w:tc cells: content controls or
        // custom XML around rows or cells are not read
        List<Row> rows = new ArrayList<>();
        while (nextChild(reader)) {
            if (word(reader, "tr")) {
                rows.add(row(reader, depth));
            } else {
                skip(reader);
            }
        }
        List<List<TableGrid.Cell>> cells = new ArrayList<>();
        boolean header = true;
        for (int r = 0; r < rows.size(); r++) {
            List<TableGrid.Cell> row = new ArrayList<>();
            // XWPFTableRow.isRepeatHeader: this row and every row above it repeat as header
            header = header && rows.get(r).header();
            for (Slot slot : rows.get(r).slots()) {
                if (slot.merge() == Merge.CONTINUE) {
                    continue;
                }
                int rowspan = 1;
                if (slot.merge() == Merge.START) {
                    while (r + rowspan < rows.size()
                            && continues(rows.get(r + rowspan).slots(), slot.column())) {
                        rowspan++;
                    }
                }
                row.add(new TableGrid.Cell(
                        CanonicalDocumentBuilder.normalizeInline(slot.text()), rowspan, slot.span(), header));
            }
            cells.add(row);
        }
        tableCellsUsed += extraction.addTable(cells, limits.maxTableCells() - tableCellsUsed);
    }

    private static boolean continues(List<Slot> row, int column) {
        for (Slot slot : row) {
            if (slot.column() == column) {
                return slot.merge() == Merge.CONTINUE;
            }
        }
        return false;
    }

    private Row row(XMLStreamReader reader, int depth) throws XMLStreamException, Unsupported {
        List<Slot> slots = new ArrayList<>();
        boolean header = false;
        boolean seenTrPr = false;
        int column = 0;
        while (nextChild(reader)) {
            if (word(reader, "tc")) {
                Slot slot = cell(reader, depth, column);
                slots.add(slot);
                column += slot.span();
            } else if (!seenTrPr && word(reader, "trPr")) {
                seenTrPr = true;
                header = repeatHeader(reader);
            } else {
                skip(reader);
            }
        }
        return new Row(slots, header);
    }

    private static boolean repeatHeader(XMLStreamReader reader) throws XMLStreamException, Unsupported {
        boolean header = false;
        boolean seen = false;
        while (nextChild(reader)) {
            if (!seen && word(reader, "tblHeader")) {
                seen = true;
                String value = reader.getAttributeValue(WORD_NS, "val");
                header = switch (value == null ? "true" : value.strip()) {
                    case "true", "1", "on" -> true;
                    case "false", "0", "off" -> false;
                    default -> throw new Unsupported("on_off");
                };
            }
            skip(reader);
        }
        return header;
    }

    /** One {@code w:tc}: its text (as {@link DocxPoiReader#cellText}), span and vertical merge. */
    private Slot cell(XMLStreamReader reader, int depth, int column) throws XMLStreamException, Unsupported {
        int span = 1;
        Merge merge = Merge.NONE;
        boolean seenTcPr = false;
        StringBuilder text = new StringBuilder();
        while (nextChild(reader)) {
            if (!seenTcPr && word(reader, "tcPr")) {
                seenTcPr = true;
                boolean seenSpan = false;
                boolean seenMerge = false;
                while (nextChild(reader)) {
                    if (!seenSpan && word(reader, "gridSpan")) {
                        seenSpan = true;
                        span = Math.max(1, Math.min(TableGrid.MAX_SPAN, clamped(decimal(reader))));
                    } else if (!seenMerge && word(reader, "vMerge")) {
                        seenMerge = true;
                        String value = reader.getAttributeValue(WORD_NS, "val");
                        if (value == null || value.equals("continue")) {
                            merge = Merge.CONTINUE;
                        } else if (value.equals("restart")) {
                            merge = Merge.START;
                        } else {
                            throw new Unsupported("v_merge");
                        }
                    }
                    skip(reader);
                }
            } else {
                cellContent(reader, depth, text);
            }
        }
        return new Slot(text.toString(), column, span, merge);
    }

    /** Appends the text of one child of a cell: a paragraph, a nested table (within the nesting limit). */
    private void cellContent(XMLStreamReader reader, int depth, StringBuilder text)
            throws XMLStreamException, Unsupported {
        if (word(reader, "p")) {
            paragraphText(reader, text);
            text.append(' ');
        } else if (word(reader, "tbl")) {
            if (depth + 1 > limits.maxNestingDepth()) {
                extraction.drop("table", 1, "limit_exceeded");
                skip(reader);
                return;
            }
            while (nextChild(reader)) {
                if (word(reader, "tr")) {
                    while (nextChild(reader)) {
                        if (word(reader, "tc")) {
                            StringBuilder nested = new StringBuilder();
                            while (nextChild(reader)) {
                                if (word(reader, "tcPr")) {
                                    skip(reader);
                                } else {
                                    cellContent(reader, depth + 1, nested);
                                }
                            }
                            text.append(nested).append(' ');
                        } else {
                            skip(reader);
                        }
                    }
                } else {
                    skip(reader);
                }
            }
        } else if (word(reader, "sdt")) {
            text.append(sdtText(reader)).append(' ');
        } else {
            skip(reader);
        }
    }

    // ---------------------------------------------------------------- headers, footers, comments

    private void furniture(DocxPackage pkg, List<String> headers, List<String> footers) throws Unsupported {
        if (headers.isEmpty() && footers.isEmpty()) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String header : headers) {
            furnitureLine(seen, Furniture.Kind.PAGE_HEADER, poiTexts().text(xml(pkg, header), true));
        }
        for (String footer : footers) {
            furnitureLine(seen, Furniture.Kind.PAGE_FOOTER, poiTexts().text(xml(pkg, footer), false));
        }
    }

    private static byte[] xml(DocxPackage pkg, String part) throws Unsupported {
        byte[] xml = pkg.xml(part);
        if (xml == null) {
            throw new Unsupported("not_an_xml_part");
        }
        return xml;
    }

    private void furnitureLine(Set<String> seen, Furniture.Kind kind, String text) {
        if (text != null && !text.isBlank() && seen.add(kind + text.strip())) {
            extraction.furniture.add(new Extraction.FurnitureLine(1, kind, text.strip()));
        }
    }

    private static long countComments(InputStream part) throws XMLStreamException, IOException, Unsupported {
        long count = 0;
        try (InputStream in = part) {
            XMLStreamReader reader = open(in);
            if (!word(reader, "comments")) {
                throw new Unsupported("comments_root");
            }
            while (nextChild(reader)) {
                if (word(reader, "comment")) {
                    count++;
                }
                skip(reader);
            }
            reader.close();
        }
        return count;
    }
}
