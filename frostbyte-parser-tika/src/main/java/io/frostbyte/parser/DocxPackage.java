package io.frostbyte.parser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The OPC package of a DOCX as POI's {@code OPCPackage} sees it, for the common case only: zip entries, content types,
 * relationships (in POI's order, by id) and core properties. Anything POI might judge differently (odd part names,
 * duplicate entries, a part without a content type, malformed relationships, unusual core properties, ...) is
 * {@link DocxReader.Unsupported}, and the file is read by POI itself.
 */
final class DocxPackage {
    static final String OFFICE_DOCUMENT =
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
    private static final String RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static final String CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types";
    private static final String CORE_PROPERTIES_TYPE = "application/vnd.openxmlformats-package.core-properties+xml";
    private static final String CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
    private static final String DC_NS = "http://purl.org/dc/elements/1.1/";
    private static final String DCTERMS_NS = "http://purl.org/dc/terms/";
    private static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*"
            + "(/[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*)*|([A-Za-z0-9_\\-.]+/)*_rels/[A-Za-z0-9_\\-.]*\\.rels");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    /** A relationship of a part, its target resolved to a part name (lower case, without the leading slash). */
    record Relationship(String id, String type, String target, boolean external) {}

    /** POI's {@code ZipSecureFile}: an entry above this size must not inflate more than 100 times. */
    private static final long GRACE_ENTRY_SIZE = 100 * 1024;

    private final Map<String, byte[]> xmlParts = new HashMap<>();
    private final Set<String> names = new HashSet<>();

    private DocxPackage() {}

    static DocxPackage read(byte[] bytes) throws DocxReader.Unsupported {
        DocxPackage pkg = new DocxPackage();
        byte[] buffer = new byte[16 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.endsWith("/")) {
                    continue;
                }
                if (!name.equals("[Content_Types].xml")
                        && !PART_NAME.matcher(name).matches()) {
                    throw new DocxReader.Unsupported("part_name");
                }
                String key = name.toLowerCase(Locale.ROOT);
                if (!pkg.names.add(key)) {
                    throw new DocxReader.Unsupported("duplicate_part");
                }
                boolean xml = key.endsWith(".xml") || key.endsWith(".rels");
                long size = entry.getSize();
                java.io.ByteArrayOutputStream content = xml
                        ? new java.io.ByteArrayOutputStream(size > 0 && size < (1 << 26) ? (int) size + 1 : 8192)
                        : null;
                long inflated = 0;
                int read;
                while ((read = zip.read(buffer)) > 0) {
                    inflated += read;
                    if (content != null) {
                        content.write(buffer, 0, read);
                    }
                }
                long compressed = entry.getCompressedSize();
                if (inflated > GRACE_ENTRY_SIZE && compressed >= 0 && (double) compressed / inflated < 0.01) {
                    // POI's ZipSecureFile refuses such an entry as a zip bomb: POI decides
                    throw new DocxReader.Unsupported("inflate_ratio");
                }
                if (content != null) {
                    pkg.xmlParts.put(key, content.toByteArray());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new DocxReader.Unsupported("zip");
        }
        pkg.checkContentTypes();
        return pkg;
    }

    private Map<String, String> overrides;
    private Map<String, String> defaults;

    private void checkContentTypes() throws DocxReader.Unsupported {
        byte[] types = xmlParts.get("[content_types].xml");
        if (types == null) {
            throw new DocxReader.Unsupported("content_types");
        }
        overrides = new HashMap<>();
        defaults = new HashMap<>();
        try {
            XMLStreamReader reader = DocxReader.open(new ByteArrayInputStream(types));
            if (!CONTENT_TYPES_NS.equals(reader.getNamespaceURI())
                    || !reader.getLocalName().equals("Types")) {
                throw new DocxReader.Unsupported("content_types");
            }
            while (DocxReader.nextChild(reader)) {
                String contentType = reader.getAttributeValue(null, "ContentType");
                if (!CONTENT_TYPES_NS.equals(reader.getNamespaceURI()) || contentType == null) {
                    throw new DocxReader.Unsupported("content_types");
                }
                switch (reader.getLocalName()) {
                    case "Default" -> {
                        String extension = reader.getAttributeValue(null, "Extension");
                        if (extension == null
                                || defaults.put(extension.toLowerCase(Locale.ROOT), contentType) != null) {
                            throw new DocxReader.Unsupported("content_types");
                        }
                    }
                    case "Override" -> {
                        String partName = reader.getAttributeValue(null, "PartName");
                        if (partName == null
                                || !partName.startsWith("/")
                                || overrides.put(partName.substring(1).toLowerCase(Locale.ROOT), contentType) != null) {
                            throw new DocxReader.Unsupported("content_types");
                        }
                    }
                    default -> throw new DocxReader.Unsupported("content_types");
                }
                DocxReader.skip(reader);
            }
        } catch (XMLStreamException e) {
            throw new DocxReader.Unsupported("content_types");
        }
        for (String name : names) {
            if (!name.equals("[content_types].xml") && contentType(name) == null) {
                throw new DocxReader.Unsupported("part_without_content_type");
            }
        }
    }

    private String contentType(String name) {
        String override = overrides.get(name);
        if (override != null) {
            return override;
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot < name.lastIndexOf('/') ? null : defaults.get(name.substring(dot + 1));
    }

    boolean exists(String name) {
        return names.contains(name);
    }

    /** The bytes of an XML part ({@code .xml} or {@code .rels}), null when there is none. */
    byte[] xml(String name) {
        return xmlParts.get(name);
    }

    InputStream open(String name) throws DocxReader.Unsupported {
        byte[] part = xmlParts.get(name);
        if (part == null) {
            throw new DocxReader.Unsupported("not_an_xml_part");
        }
        return new ByteArrayInputStream(part);
    }

    /** Checks every relationships part (POI loads them all); a malformed one is left to POI. */
    void checkAllRelationships() throws DocxReader.Unsupported {
        for (String name : xmlParts.keySet()) {
            int rels = name.lastIndexOf("_rels/");
            if (name.endsWith(".rels") && rels >= 0) {
                parseRelationships(name, name.substring(0, rels));
            }
        }
    }

    /** The relationships of a part ({@code ""} for the package), by id as POI iterates them. */
    List<Relationship> relationships(String source) throws DocxReader.Unsupported {
        int slash = source.lastIndexOf('/');
        String folder = slash < 0 ? "" : source.substring(0, slash + 1);
        String relsName = source.isEmpty() ? "_rels/.rels" : folder + "_rels/" + source.substring(slash + 1) + ".rels";
        if (!xmlParts.containsKey(relsName)) {
            if (names.contains(relsName)) {
                throw new DocxReader.Unsupported("relationships");
            }
            return List.of();
        }
        return new ArrayList<>(parseRelationships(relsName, folder).values());
    }

    private TreeMap<String, Relationship> parseRelationships(String relsName, String folder)
            throws DocxReader.Unsupported {
        TreeMap<String, Relationship> relationships = new TreeMap<>();
        try {
            XMLStreamReader reader = DocxReader.open(new ByteArrayInputStream(xmlParts.get(relsName)));
            if (!RELATIONSHIPS_NS.equals(reader.getNamespaceURI())
                    || !reader.getLocalName().equals("Relationships")) {
                throw new DocxReader.Unsupported("relationships");
            }
            while (DocxReader.nextChild(reader)) {
                if (!RELATIONSHIPS_NS.equals(reader.getNamespaceURI())
                        || !reader.getLocalName().equals("Relationship")) {
                    throw new DocxReader.Unsupported("relationships");
                }
                String id = reader.getAttributeValue(null, "Id");
                String type = reader.getAttributeValue(null, "Type");
                String target = reader.getAttributeValue(null, "Target");
                String mode = reader.getAttributeValue(null, "TargetMode");
                if (id == null
                        || type == null
                        || target == null
                        || (mode != null && !mode.equals("External") && !mode.equals("Internal"))) {
                    throw new DocxReader.Unsupported("relationships");
                }
                boolean external = "External".equals(mode);
                Relationship relationship =
                        new Relationship(id, type, external ? target : resolve(folder, target), external);
                if (relationships.put(id, relationship) != null) {
                    throw new DocxReader.Unsupported("relationships");
                }
                DocxReader.skip(reader);
            }
        } catch (XMLStreamException e) {
            throw new DocxReader.Unsupported("relationships");
        }
        return relationships;
    }

    /** A relative or absolute internal target against the folder of its source, as a part name key. */
    private static String resolve(String folder, String target) throws DocxReader.Unsupported {
        if (target.isEmpty()
                || target.indexOf(':') >= 0
                || target.indexOf('%') >= 0
                || target.indexOf('#') >= 0
                || target.indexOf('?') >= 0
                || target.indexOf('\\') >= 0
                || target.indexOf(' ') >= 0) {
            throw new DocxReader.Unsupported("relationship_target");
        }
        String path = target.startsWith("/") ? target.substring(1) : folder + target;
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            switch (segment) {
                case "." -> {}
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw new DocxReader.Unsupported("relationship_target");
                    }
                    segments.remove(segments.size() - 1);
                }
                case "" -> throw new DocxReader.Unsupported("relationship_target");
                default -> segments.add(segment);
            }
        }
        return String.join("/", segments).toLowerCase(Locale.ROOT);
    }

    /** Title, creator and creation time of the core properties part, as POI's unmarshaller reads them. */
    Map<String, String> coreProperties() throws DocxReader.Unsupported {
        String core = null;
        for (String name : names) {
            if (CORE_PROPERTIES_TYPE.equals(contentType(name))) {
                if (core != null) {
                    throw new DocxReader.Unsupported("core_properties");
                }
                core = name;
            }
        }
        Map<String, String> values = new HashMap<>();
        if (core == null) {
            return values;
        }
        byte[] xml = xmlParts.get(core);
        if (xml == null || new String(xml, StandardCharsets.ISO_8859_1).contains("markup-compatibility")) {
            throw new DocxReader.Unsupported("core_properties");
        }
        try {
            XMLStreamReader reader = DocxReader.open(new ByteArrayInputStream(xml));
            if (!CP_NS.equals(reader.getNamespaceURI())
                    || !reader.getLocalName().equals("coreProperties")) {
                throw new DocxReader.Unsupported("core_properties");
            }
            while (DocxReader.nextChild(reader)) {
                String namespace = reader.getNamespaceURI();
                String local = reader.getLocalName();
                boolean date = DCTERMS_NS.equals(namespace) && (local.equals("created") || local.equals("modified"));
                if (DCTERMS_NS.equals(namespace) && !date) {
                    throw new DocxReader.Unsupported("core_properties");
                }
                for (int i = 0; i < reader.getAttributeCount(); i++) {
                    if (!date
                            || !XSI_NS.equals(reader.getAttributeNamespace(i))
                            || !reader.getAttributeLocalName(i).equals("type")
                            || !reader.getAttributeValue(i).equals("dcterms:W3CDTF")) {
                        throw new DocxReader.Unsupported("core_properties");
                    }
                }
                String text = elementText(reader);
                String key = DC_NS.equals(namespace) && local.equals("title")
                        ? "title"
                        : DC_NS.equals(namespace) && local.equals("creator")
                                ? "author"
                                : date && local.equals("created") ? "created" : null;
                if (date || (CP_NS.equals(namespace) && local.equals("lastPrinted"))) {
                    if (!text.isEmpty() && !DATE.matcher(text).matches()) {
                        throw new DocxReader.Unsupported("core_date");
                    }
                    if (!text.isEmpty()) {
                        try {
                            text = Instant.parse(text).toString();
                        } catch (DateTimeParseException e) {
                            throw new DocxReader.Unsupported("core_date");
                        }
                    }
                }
                if (key != null && !values.containsKey(key)) {
                    values.put(key, text.isEmpty() ? null : text);
                }
            }
        } catch (XMLStreamException e) {
            throw new DocxReader.Unsupported("core_properties");
        }
        return values;
    }

    /** The text of a simple element (the reader on its start tag, left on its end tag); children are unusual. */
    private static String elementText(XMLStreamReader reader) throws XMLStreamException, DocxReader.Unsupported {
        StringBuilder text = new StringBuilder();
        while (true) {
            switch (reader.next()) {
                case XMLStreamConstants.END_ELEMENT -> {
                    return text.toString();
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                    text.append(reader.getText());
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {}
                default -> throw new DocxReader.Unsupported("core_properties");
            }
        }
    }
}
