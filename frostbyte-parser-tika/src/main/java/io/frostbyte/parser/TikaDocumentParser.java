package io.frostbyte.parser;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.document.DocumentParser;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.tika.Tika;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * {@link DocumentParser} over Apache Tika: one {@link AutoDetectParser} shared by all parses, Tika's XHTML mapped to
 * blocks by {@link XhtmlBlockHandler}; TXT, CSV and Markdown are read by this module's own readers so that charset,
 * delimiter, header and Markdown structure are handled as spec/02 says. Each parse runs on its own platform thread bounded
 * by {@link ParseLimits#timeout()}; on timeout the thread is interrupted and abandoned (an in-process parser cannot be
 * killed: PAR-3's child process is the real bound). Embedded documents and attachments are counted and dropped, never
 * parsed. Thread-safe.
 */
public final class TikaDocumentParser implements DocumentParser {
    public static final String NAME = "frostbyte-parser-tika";
    public static final String VERSION = "0.3.0";

    private static final Set<String> MARKDOWN = Set.of("text/markdown", "text/x-markdown", "text/x-web-markdown");
    private static final Set<String> CSV = Set.of("text/csv", "text/tab-separated-values", "text/x-csv");

    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    private static final Set<String> OCR_IMAGES = Set.of("image/png", "image/tiff", "image/jpeg", "image/bmp");

    private final AutoDetectParser tika = new AutoDetectParser();
    private final Optional<TesseractOcr> ocr;
    private final OcrSettings ocrSettings;
    private final MediaTypeRegistry registry = MediaTypeRegistry.getDefaultRegistry();
    private final String tikaVersion = tikaVersion();

    /** A parser that OCRs through Tesseract when it is on the {@code PATH}, with {@link OcrSettings#defaults()}. */
    public TikaDocumentParser() {
        this(OcrSettings.defaults());
    }

    /** A parser that OCRs through Tesseract on the {@code PATH} (when installed and enabled) with these settings. */
    public TikaDocumentParser(OcrSettings ocrSettings) {
        this(
                requireNonNull(ocrSettings, "ocrSettings is null").enabled()
                        ? TesseractOcr.onPath(ocrSettings.languages())
                        : Optional.empty(),
                ocrSettings);
    }

    /** @param ocr the OCR engine, empty when none is installed (images then fail with {@code OCR_UNAVAILABLE}) */
    public TikaDocumentParser(Optional<TesseractOcr> ocr) {
        this(ocr, OcrSettings.defaults());
    }

    /**
     * @param ocr the OCR engine, empty when none is installed (images then fail with {@code OCR_UNAVAILABLE})
     * @param ocrSettings DPI, page time, confidence threshold; when not enabled, {@code ocr} is not used
     */
    public TikaDocumentParser(Optional<TesseractOcr> ocr, OcrSettings ocrSettings) {
        requireNonNull(ocr, "ocr is null");
        this.ocrSettings = requireNonNull(ocrSettings, "ocrSettings is null");
        this.ocr = ocrSettings.enabled() ? ocr : Optional.empty();
    }

    /** The OCR settings this parser applies. */
    public OcrSettings ocrSettings() {
        return ocrSettings;
    }

    /** The OCR engine this parser uses, if any. */
    public Optional<TesseractOcr> ocr() {
        return ocr;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public ParseOutcome parse(TenantId tenant, InputStream content, String declaredMimeType, ParseLimits limits) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(content, "content is null");
        requireNonNull(limits, "limits is null");
        byte[] bytes;
        try {
            bytes = BoundedBytes.readAtMost(content, limits.maxBytes());
        } catch (IOException e) {
            return failed(ErrorCode.FILE_CORRUPTED, "reading the file failed", e);
        }
        if (bytes == null) {
            return new ParseOutcome.Failed(
                    ErrorCode.FILE_CORRUPTED, "file exceeds parse.max_bytes " + limits.maxBytes());
        }
        CompletableFuture<ParseOutcome> result = new CompletableFuture<>();
        // a platform thread, not a virtual one: a parse computes for up to its timeout without blocking, and a virtual
        // thread doing so would hold one of the few carrier threads every request and job's I/O needs
        Thread worker = Thread.ofPlatform()
                .name("frostbyte-parse")
                .daemon(true)
                .start(() -> result.complete(parseBytes(tenant, bytes, declaredMimeType, limits)));
        try {
            return result.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            return new ParseOutcome.Failed(
                    ErrorCode.PARSE_TIMEOUT,
                    "parse exceeded parse.timeout of " + limits.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            return new ParseOutcome.Failed(ErrorCode.PARSE_TIMEOUT, "parse was interrupted");
        } catch (ExecutionException e) {
            return failed(ErrorCode.PARSER_ERROR, "parser failed", e.getCause());
        }
    }

    private ParseOutcome parseBytes(TenantId tenant, byte[] bytes, String declaredMimeType, ParseLimits limits) {
        try {
            if (bytes.length == 0) {
                return new ParseOutcome.Failed(ErrorCode.NO_TEXT_EXTRACTED, "the file is empty");
            }
            // before detection, which may inflate a container's first parts
            if (ZipExpansionGuard.isZip(bytes) && ZipExpansionGuard.expandsTooMuch(bytes, limits.maxExpansionRatio())) {
                return new ParseOutcome.Failed(
                        ErrorCode.FILE_CORRUPTED,
                        "a container part expands more than parse.max_expansion_ratio " + limits.maxExpansionRatio());
            }
            MediaType type = detect(bytes, declaredMimeType);
            String base = type.getBaseType().toString();
            Extraction extraction;
            Metadata metadata = new Metadata();
            if (MARKDOWN.contains(base)) {
                extraction = MarkdownReader.read(bytes, limits);
            } else if (CSV.contains(base)) {
                extraction = CsvReader.read(bytes, limits);
            } else if (base.equals("text/plain")) {
                extraction = PlainTextReader.read(bytes);
            } else if (base.startsWith("image/")) {
                if (!OCR_IMAGES.contains(base)) {
                    return new ParseOutcome.Failed(ErrorCode.UNSUPPORTED_FORMAT, "no OCR for " + base);
                }
                if (ocr.isEmpty()) {
                    return new ParseOutcome.Failed(
                            ErrorCode.OCR_UNAVAILABLE, "an image needs OCR; no OCR engine is installed");
                }
                Path scratch = Files.createTempDirectory("frostbyte-ocr");
                try {
                    extraction = ImageOcrReader.read(bytes, limits, ocr.get(), scratch, pageTimeout(limits));
                } catch (ImageOcrReader.NothingRecognized e) {
                    return new ParseOutcome.Failed(ErrorCode.OCR_FAILED, "OCR failed on every page of " + base);
                } finally {
                    deleteRecursively(scratch);
                }
            } else if (base.equals("application/pdf")) {
                Path scratch = Files.createTempDirectory("frostbyte-ocr");
                try {
                    extraction =
                            PdfLayoutReader.read(bytes, limits, ocr, scratch, ocrSettings.dpi(), pageTimeout(limits));
                } finally {
                    deleteRecursively(scratch);
                }
                if (extraction.blocks.isEmpty() && extraction.warnings.contains("ocr_unavailable")) {
                    return new ParseOutcome.Failed(
                            ErrorCode.OCR_UNAVAILABLE, "a scanned PDF needs OCR; no OCR engine is installed");
                }
            } else if (base.equals(DOCX) || base.equals(PPTX) || base.equals("message/rfc822")) {
                Extraction own = ownReader(base, bytes, limits);
                extraction = own != null ? own : viaTika(bytes, type, base, metadata, limits);
            } else if (!tika.getParsers().containsKey(type) && !hasParserForSupertype(type)) {
                return new ParseOutcome.Failed(ErrorCode.UNSUPPORTED_FORMAT, "no parser accepts " + base);
            } else {
                extraction = viaTika(bytes, type, base, metadata, limits);
            }
            return assemble(tenant, bytes, base, extraction, metadata, limits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ParseOutcome.Failed(ErrorCode.PARSE_TIMEOUT, "parse was interrupted");
        } catch (Exception | StackOverflowError e) {
            return new ParseOutcome.Failed(
                    categorize(e), "parsing failed with " + e.getClass().getSimpleName());
        } catch (OutOfMemoryError e) {
            return new ParseOutcome.Failed(ErrorCode.PARSE_TIMEOUT, "parse exceeded the heap");
        }
    }

    /** One page's OCR time: {@code ocr.page_timeout_seconds}, never more than the whole parse's. */
    private java.time.Duration pageTimeout(ParseLimits limits) {
        return ocrSettings.pageTimeout().compareTo(limits.timeout()) < 0 ? ocrSettings.pageTimeout() : limits.timeout();
    }

    /** DOCX, PPTX and EML by this module's POI and mime4j readers; null when POI cannot read the file (OOXML strict). */
    private Extraction ownReader(String base, byte[] bytes, ParseLimits limits) throws Exception {
        try {
            return switch (base) {
                case DOCX -> DocxReader.read(bytes, limits);
                case PPTX -> PptxReader.read(bytes, limits);
                default ->
                    EmlReader.read(
                            bytes,
                            limits,
                            html -> viaTika(html, MediaType.TEXT_HTML, "text/html", new Metadata(), limits));
            };
        } catch (org.apache.poi.ooxml.POIXMLException
                | org.apache.poi.openxml4j.exceptions.OLE2NotOfficeXmlFileException e) {
            return null;
        }
    }

    private Extraction viaTika(byte[] bytes, MediaType type, String base, Metadata metadata, ParseLimits limits)
            throws IOException, SAXException, TikaException {
        String pageDiv =
                base.equals("application/pdf") ? "page" : base.contains("presentationml") ? "slide-content" : "\u0000";
        XhtmlBlockHandler handler = new XhtmlBlockHandler(limits, pageDiv);
        metadata.set(Metadata.CONTENT_TYPE, type.toString());
        try (TikaInputStream stream = TikaInputStream.get(bytes)) {
            tika.parse(stream, handler, metadata, context(handler, base));
        } catch (XhtmlBlockHandler.CharacterLimitReached e) {
            // keep what was collected; the drop is already recorded
        }
        Extraction extraction = handler.extraction();
        if (base.equals("application/pdf")) {
            RunningLines.moveToFurniture(extraction);
        }
        return extraction;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover scratch file in the temporary directory holds no state the next parse reads
        }
    }

    private boolean hasParserForSupertype(MediaType type) {
        MediaType current = registry.getSupertype(type);
        while (current != null && !current.equals(MediaType.OCTET_STREAM) && !current.equals(MediaType.TEXT_PLAIN)) {
            if (tika.getParsers().containsKey(current)) {
                return true;
            }
            current = registry.getSupertype(current);
        }
        return false;
    }

    private MediaType detect(byte[] bytes, String declaredMimeType) throws IOException {
        Optional<MediaType> confirmed = DeclaredType.confirmed(bytes, declaredMimeType);
        if (confirmed.isPresent()) {
            return confirmed.get();
        }
        Metadata hint = new Metadata();
        if (declaredMimeType != null && !declaredMimeType.isBlank()) {
            hint.set(Metadata.CONTENT_TYPE, declaredMimeType);
        }
        MediaType detected;
        try (TikaInputStream stream = TikaInputStream.get(bytes)) {
            detected = tika.getDetector().detect(stream, hint);
        }
        if (detected.equals(MediaType.OCTET_STREAM) && SourceText.isBomlessUnicode(bytes)) {
            detected = MediaType.TEXT_PLAIN;
        }
        MediaType declared =
                declaredMimeType == null ? null : MediaType.parse(declaredMimeType.toLowerCase(Locale.ROOT));
        if (declared != null && detected.getBaseType().equals(MediaType.TEXT_PLAIN)) {
            String declaredBase = declared.getBaseType().toString();
            if (MARKDOWN.contains(declaredBase) || CSV.contains(declaredBase)) {
                return declared.getBaseType();
            }
        }
        return detected;
    }

    private static ParseContext context(XhtmlBlockHandler handler, String mimeType) {
        ParseContext context = new ParseContext();
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setExtractMarkedContent(true);
        pdf.setExtractInlineImages(false);
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        context.set(PDFParserConfig.class, pdf);
        TesseractOCRConfig noOcr = new TesseractOCRConfig();
        noOcr.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, noOcr);
        context.set(HtmlMapper.class, StructureHtmlMapper.INSTANCE);
        context.set(
                EmbeddedDocumentExtractor.class,
                new DroppingEmbeddedDocumentExtractor(
                        handler, mimeType.startsWith("message/") ? "attachment" : "embedded_object"));
        return context;
    }

    private ParseOutcome assemble(
            TenantId tenant,
            byte[] bytes,
            String mimeType,
            Extraction extraction,
            Metadata metadata,
            ParseLimits limits) {
        CanonicalDocumentBuilder builder = new CanonicalDocumentBuilder(limits.maxCharacters());
        builder.lowOcrConfidenceThreshold(ocrSettings.minPageConfidence());
        builder.pageCount(Math.min(extraction.pageCount, limits.maxPages()));
        builder.sourceEncoding(extraction.sourceEncoding);
        for (RawBlock block : extraction.blocks) {
            if (block.page() > limits.maxPages()) {
                builder.drop("text", limits.maxPages(), "limit_exceeded", 1);
                continue;
            }
            int pageEnd = Math.min(block.pageEnd(), limits.maxPages());
            switch (block.type()) {
                case HEADING -> builder.heading(block.level(), block.text(), block.page());
                case PARAGRAPH -> builder.paragraph(block.text(), block.page(), pageEnd);
                case LIST_ITEM -> builder.listItem(block.level(), block.text(), block.page());
                case TABLE -> builder.table(block.table(), block.page(), pageEnd);
                case FIGURE_CAPTION -> builder.figureCaption(block.text(), block.page());
                case CODE -> builder.code(block.text(), block.page());
            }
        }
        for (Extraction.FurnitureLine line : extraction.furniture) {
            builder.furniture(Math.min(line.page(), limits.maxPages()), line.kind(), line.text());
        }
        extraction
                .drops()
                .forEach(entry -> builder.drop(
                        entry.getKey().elementType(),
                        entry.getKey().page(),
                        entry.getKey().reason(),
                        entry.getValue()));
        extraction.warnings.forEach(builder::warning);
        builder.metadata("title", metadata.get(TikaCoreProperties.TITLE));
        builder.metadata("author", metadata.get(TikaCoreProperties.CREATOR));
        builder.metadata("created", metadata.get(TikaCoreProperties.CREATED));
        extraction.metadata.forEach(builder::metadata);
        extraction.attachments.forEach(builder::attachment);
        extraction.ocrConfidenceOfPage.forEach((page, confidence) -> {
            if (page <= limits.maxPages()) {
                builder.ocrPage(page, confidence);
            }
        });
        builder.ocrEngine(extraction.ocrEngine);
        builder.trackedChanges(extraction.trackedChanges);
        if (builder.isEmpty()) {
            return new ParseOutcome.Failed(ErrorCode.NO_TEXT_EXTRACTED, "no text in " + mimeType);
        }
        return new ParseOutcome.Parsed(builder.build(
                tenant, mimeType, sha256(bytes), NAME, VERSION, parseConfigSha256(limits, ocrSettings), tikaVersion));
    }

    /** sha256 of the canonical JSON of the effective {@code parse.*} settings and the default {@code ocr.*} ones. */
    static String parseConfigSha256(ParseLimits limits) {
        return parseConfigSha256(limits, OcrSettings.defaults());
    }

    /** sha256 of the canonical JSON of the effective {@code parse.*} and {@code ocr.*} settings (spec/02 lineage). */
    static String parseConfigSha256(ParseLimits limits, OcrSettings ocrSettings) {
        java.util.SortedMap<String, Object> settings = new java.util.TreeMap<>(limits.settings());
        settings.putAll(ocrSettings.settings());
        return sha256(CanonicalJson.write(settings).getBytes(StandardCharsets.UTF_8));
    }

    static ErrorCode categorize(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getName();
            if (cause instanceof EncryptedDocumentException
                    || name.endsWith("EncryptedDocumentException")
                    || name.endsWith("InvalidPasswordException")) {
                return ErrorCode.FILE_ENCRYPTED;
            }
            if (cause instanceof UnsupportedFormatException) {
                return ErrorCode.UNSUPPORTED_FORMAT;
            }
            if (cause instanceof ZeroByteFileException) {
                return ErrorCode.NO_TEXT_EXTRACTED;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        String name = error.getClass().getName();
        if (error instanceof TikaException
                || error instanceof IOException
                || error instanceof SAXException
                || name.startsWith("org.apache.poi.")
                || name.startsWith("org.apache.xmlbeans.")) {
            return ErrorCode.FILE_CORRUPTED;
        }
        if (error instanceof StackOverflowError) {
            return ErrorCode.FILE_CORRUPTED;
        }
        return ErrorCode.PARSER_ERROR;
    }

    private static String causeName(Throwable error) {
        Throwable cause = error.getCause();
        return cause == null || cause == error
                ? ""
                : " caused by " + cause.getClass().getSimpleName();
    }

    private static ParseOutcome failed(ErrorCode fallback, String message, Throwable error) {
        ErrorCode code = error == null ? fallback : categorize(error);
        return new ParseOutcome.Failed(
                code,
                message + (error == null ? "" : " with " + error.getClass().getSimpleName()));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static String tikaVersion() {
        String version = Tika.getString();
        return version.startsWith("Apache Tika ") ? version.substring("Apache Tika ".length()) : version;
    }

    /** Counts embedded documents and attachments as dropped content; never parses them. */
    private static final class DroppingEmbeddedDocumentExtractor implements EmbeddedDocumentExtractor {
        private final XhtmlBlockHandler handler;
        private final String reason;

        DroppingEmbeddedDocumentExtractor(XhtmlBlockHandler handler, String reason) {
            this.handler = handler;
            this.reason = reason;
        }

        @Override
        public boolean shouldParseEmbedded(Metadata metadata) {
            handler.droppedEmbeddedDocument(reason);
            return false;
        }

        @Override
        public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml) {
            // never called: shouldParseEmbedded is false
        }
    }
}
