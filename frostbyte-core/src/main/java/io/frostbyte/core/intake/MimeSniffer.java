package io.frostbyte.core.intake;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * MIME detection from content (spec/01 §1.4): magic bytes in the first {@value #WINDOW_BYTES} bytes, the main part of
 * an OOXML container read from {@code [Content_Types].xml}, and text recognised by its encoding. The extension only
 * chooses between text types whose content rules it satisfies (a {@code .csv} that is not delimited text is plain
 * text, and so rejected for its extension).
 *
 * <p>Bounded: the window is at most 8 KB; a ZIP is read as a stream, at most {@value #MAX_ZIP_ENTRIES} entries and
 * {@value #MAX_ZIP_INFLATED_BYTES} inflated bytes, and its content-types part at most {@value #MAX_CONTENT_TYPES_BYTES}
 * bytes; nothing else of it is kept. Stateless and thread-safe.
 */
public final class MimeSniffer {
    /** The sniffing window: the first bytes of a file. */
    public static final int WINDOW_BYTES = 8192;

    static final int MAX_ZIP_ENTRIES = 10_000;
    static final long MAX_ZIP_INFLATED_BYTES = 64L * 1024 * 1024;
    static final int MAX_CONTENT_TYPES_BYTES = 1024 * 1024;

    private static final Charset CP1252 = Charset.forName("windows-1252");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Pattern CONTENT_TYPE = Pattern.compile("ContentType\\s*=\\s*\"([^\"]{1,200})\"");
    private static final Pattern HEADER_LINE = Pattern.compile("^([A-Za-z0-9-]{1,76}):", Pattern.MULTILINE);
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};

    /**
     * Sniffs a file.
     *
     * @param window the file's first bytes (up to {@value #WINDOW_BYTES}; the whole file when it is shorter)
     * @param size the file's size in bytes
     * @param extension the basename's last extension, lower case, without the dot ({@code ""} if none)
     * @param reopen opens the whole file again from its start, for reading a ZIP container's entries; the stream is
     *     closed here
     */
    public Sniffed sniff(byte[] window, long size, String extension, Supplier<InputStream> reopen) {
        if (size == 0 || window.length == 0) {
            return Sniffed.other("application/x-empty");
        }
        if (startsWith(window, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Sniffed.of(IntakeType.PNG);
        }
        if (startsWith(window, 'I', 'I', 0x2A, 0x00) || startsWith(window, 'M', 'M', 0x00, 0x2A)) {
            return Sniffed.of(IntakeType.TIFF);
        }
        if (indexOf(window, "%PDF-".getBytes(ISO_8859_1), 1024) >= 0) {
            return Sniffed.of(IntakeType.PDF);
        }
        if (startsWith(window, 'P', 'K', 0x03, 0x04)) {
            return sniffZip(reopen);
        }
        Optional<String> binary = knownBinary(window);
        if (binary.isPresent()) {
            return Sniffed.other(binary.get());
        }
        Optional<String> text = decodeText(window, size <= window.length);
        if (text.isEmpty()) {
            return Sniffed.other("application/octet-stream");
        }
        return Sniffed.of(textType(text.get(), extension));
    }

    private static Optional<String> knownBinary(byte[] w) {
        if (startsWith(w, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return Optional.of("application/x-ole-storage");
        }
        if (startsWith(w, 'M', 'Z')) {
            return Optional.of("application/x-msdownload");
        }
        if (startsWith(w, 0x7F, 'E', 'L', 'F')) {
            return Optional.of("application/x-executable");
        }
        if (startsWith(w, 0xFE, 0xED, 0xFA, 0xCE)
                || startsWith(w, 0xFE, 0xED, 0xFA, 0xCF)
                || startsWith(w, 0xCE, 0xFA, 0xED, 0xFE)
                || startsWith(w, 0xCF, 0xFA, 0xED, 0xFE)
                || startsWith(w, 0xCA, 0xFE, 0xBA, 0xBE)) {
            return Optional.of("application/x-mach-binary");
        }
        if (startsWith(w, '#', '!')) {
            return Optional.of("text/x-shellscript");
        }
        if (startsWith(w, 0x1F, 0x8B)) {
            return Optional.of("application/gzip");
        }
        if (startsWith(w, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return Optional.of("application/x-7z-compressed");
        }
        if (startsWith(w, 'R', 'a', 'r', '!', 0x1A, 0x07)) {
            return Optional.of("application/vnd.rar");
        }
        if (w.length >= 262 && new String(w, 257, 5, ISO_8859_1).equals("ustar")) {
            return Optional.of("application/x-tar");
        }
        if (startsWith(w, 'P', 'K', 0x05, 0x06) || startsWith(w, 'P', 'K', 0x07, 0x08)) {
            return Optional.of("application/zip");
        }
        return Optional.empty();
    }

    // ZIP: only OOXML documents whose main part is a document, workbook or presentation (never macro-enabled)
    private static Sniffed sniffZip(Supplier<InputStream> reopen) {
        try (InputStream in = reopen.get();
                ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            long inflated = 0;
            byte[] buffer = new byte[16 * 1024];
            Optional<String> contentTypes = Optional.empty();
            boolean vba = false;
            for (int entries = 0; entries < MAX_ZIP_ENTRIES; entries++) {
                ZipEntry entry = zip.getNextEntry();
                if (entry == null) {
                    break;
                }
                String name = entry.getName();
                if (name.equals("[Content_Types].xml")) {
                    byte[] bytes = zip.readNBytes(MAX_CONTENT_TYPES_BYTES + 1);
                    if (bytes.length > MAX_CONTENT_TYPES_BYTES) {
                        return Sniffed.other("application/zip");
                    }
                    inflated += bytes.length;
                    contentTypes = Optional.of(new String(bytes, StandardCharsets.UTF_8));
                } else if (name.toLowerCase(Locale.ROOT).endsWith("vbaproject.bin")) {
                    vba = true;
                }
                int read;
                while ((read = zip.read(buffer)) > 0) {
                    inflated += read;
                    if (inflated > MAX_ZIP_INFLATED_BYTES) {
                        return contentTypes.isPresent() && !vba
                                ? ooxml(contentTypes.get())
                                : Sniffed.other("application/zip");
                    }
                }
            }
            if (contentTypes.isEmpty() || vba) {
                return Sniffed.other(vba ? "application/vnd.ms-office.vbaProject" : "application/zip");
            }
            return ooxml(contentTypes.get());
        } catch (ZipException e) {
            return Sniffed.other("application/zip");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Sniffed ooxml(String contentTypes) {
        if (macroEnabled(contentTypes)) {
            return Sniffed.other("application/vnd.ms-office.macroenabled");
        }
        return ooxmlMainPart(contentTypes).map(Sniffed::of).orElse(Sniffed.other("application/zip"));
    }

    /**
     * The document type whose main part an OOXML package's {@code [Content_Types].xml} declares (the first one it
     * names), or empty when it names none of DOCX, XLSX and PPTX or declares a macro-enabled or VBA part.
     */
    public static Optional<IntakeType> ooxmlMainPart(String contentTypes) {
        if (macroEnabled(contentTypes)) {
            return Optional.empty();
        }
        Matcher matcher = CONTENT_TYPE.matcher(contentTypes);
        while (matcher.find()) {
            Optional<IntakeType> main = switch (matcher.group(1).toLowerCase(Locale.ROOT)) {
                case "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" ->
                    Optional.of(IntakeType.DOCX);
                case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" ->
                    Optional.of(IntakeType.XLSX);
                case "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml" ->
                    Optional.of(IntakeType.PPTX);
                default -> Optional.empty();
            };
            if (main.isPresent()) {
                return main;
            }
        }
        return Optional.empty();
    }

    private static boolean macroEnabled(String contentTypes) {
        Matcher matcher = CONTENT_TYPE.matcher(contentTypes);
        while (matcher.find()) {
            String type = matcher.group(1).toLowerCase(Locale.ROOT);
            if (type.contains("macroenabled") || type.equals("application/vnd.ms-office.vbaproject")) {
                return true;
            }
        }
        return false;
    }

    private static IntakeType textType(String text, String extension) {
        String head = text.length() > 1024 ? text.substring(0, 1024) : text;
        boolean html = head.stripLeading().toLowerCase(Locale.ROOT).startsWith("<!doctype html")
                || head.toLowerCase(Locale.ROOT).contains("<html");
        return switch (extension) {
            case "csv" -> isDelimited(text) ? IntakeType.CSV : IntakeType.TXT;
            case "md", "markdown" -> IntakeType.MARKDOWN;
            case "html", "htm" -> html ? IntakeType.HTML : IntakeType.TXT;
            case "eml" -> isMessage(text) ? IntakeType.EML : IntakeType.TXT;
            default -> html ? IntakeType.HTML : IntakeType.TXT;
        };
    }

    /** The first 20 lines (fewer in a short file) share a count of at least one of {@code , ; TAB |}. */
    static boolean isDelimited(String text) {
        String[] lines = text.split("\r\n|\n|\r", 22);
        int count = Math.min(lines.length, 20);
        if (lines.length <= 20 && count > 1 && lines[count - 1].isEmpty()) {
            count--; // a trailing newline
        } else if (lines.length > 1 && text.length() >= WINDOW_BYTES / 2 && lines.length <= 20) {
            count--; // the last line may be cut by the window
        }
        if (count < 1) {
            return false;
        }
        for (char delimiter : DELIMITERS) {
            int expected = occurrences(lines[0], delimiter);
            if (expected < 1) {
                continue;
            }
            boolean same = true;
            for (int i = 1; i < count && same; i++) {
                same = occurrences(lines[i], delimiter) == expected;
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    private static int occurrences(String line, char delimiter) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                count++;
            }
        }
        return count;
    }

    /** RFC 5322 headers at the start: {@code From:} plus {@code Date:} or {@code Message-ID:}. */
    static boolean isMessage(String text) {
        int end = text.indexOf("\n\n");
        int crlf = text.indexOf("\r\n\r\n");
        if (crlf >= 0 && (end < 0 || crlf < end)) {
            end = crlf;
        }
        String headers = end < 0 ? text : text.substring(0, end);
        boolean from = false;
        boolean dateOrId = false;
        Matcher matcher = HEADER_LINE.matcher(headers);
        while (matcher.find()) {
            String name = matcher.group(1).toLowerCase(Locale.ROOT);
            from |= name.equals("from");
            dateOrId |= name.equals("date") || name.equals("message-id");
        }
        return from && dateOrId;
    }

    /**
     * The window decoded as text: UTF-8/16/32 with a BOM, UTF-16/32 without one (NUL bytes only as code-unit padding),
     * UTF-8, or cp1252 with no NUL; at least 95 % printable either way.
     *
     * @param complete whether the window is the whole file (otherwise a multi-byte sequence may be cut at its end)
     */
    static Optional<String> decodeText(byte[] w, boolean complete) {
        Charset charset;
        int skip = 0;
        if (startsWith(w, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            skip = 3;
        } else if (startsWith(w, 0xFF, 0xFE, 0x00, 0x00)) {
            charset = UTF_32LE;
            skip = 4;
        } else if (startsWith(w, 0x00, 0x00, 0xFE, 0xFF)) {
            charset = UTF_32BE;
            skip = 4;
        } else if (startsWith(w, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (startsWith(w, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else {
            charset = guessWithoutBom(w);
            if (charset == null) {
                return Optional.empty();
            }
        }
        Optional<String> decoded = decode(w, skip, charset, complete);
        if (decoded.isEmpty() && charset.equals(StandardCharsets.UTF_8) && skip == 0) {
            decoded = indexOfZero(w) < 0 ? decode(w, 0, CP1252, true) : Optional.empty();
        }
        return decoded.filter(MimeSniffer::mostlyPrintable);
    }

    private static Charset guessWithoutBom(byte[] w) {
        if (indexOfZero(w) < 0) {
            return StandardCharsets.UTF_8;
        }
        int usable = w.length - w.length % 4;
        if (usable >= 4 && utf32(w, usable, true)) {
            return UTF_32LE;
        }
        if (usable >= 4 && utf32(w, usable, false)) {
            return UTF_32BE;
        }
        usable = w.length - w.length % 2;
        if (usable >= 2 && nonZeroOnlyAt(w, usable, 0)) {
            return StandardCharsets.UTF_16LE;
        }
        if (usable >= 2 && nonZeroOnlyAt(w, usable, 1)) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    // UTF-32 text of the Basic Multilingual Plane: the two high bytes of every unit are zero, the two low ones not both
    private static boolean utf32(byte[] w, int usable, boolean littleEndian) {
        for (int i = 0; i < usable; i += 4) {
            int high = littleEndian ? i + 2 : i;
            int low = littleEndian ? i : i + 2;
            if (w[high] != 0 || w[high + 1] != 0 || (w[low] == 0 && w[low + 1] == 0)) {
                return false;
            }
        }
        return true;
    }

    // UTF-16 with mostly Latin text: NUL bytes only in the high byte of each unit
    private static boolean nonZeroOnlyAt(byte[] w, int usable, int lowPosition) {
        for (int i = 0; i < usable; i += 2) {
            if (w[i + lowPosition] == 0) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> decode(byte[] w, int skip, Charset charset, boolean complete) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(w, skip, w.length - skip);
        CharBuffer out = CharBuffer.allocate(w.length + 4);
        CoderResult result = decoder.decode(in, out, complete);
        if (result.isError()) {
            return Optional.empty();
        }
        if (complete) {
            if (decoder.flush(out).isError() || in.hasRemaining()) {
                return Optional.empty();
            }
        } else if (in.remaining() > 3) {
            return Optional.empty();
        }
        out.flip();
        return Optional.of(out.toString());
    }

    private static boolean mostlyPrintable(String text) {
        if (text.isEmpty()) {
            return false;
        }
        long printable = text.codePoints()
                .filter(cp -> cp == '\n' || cp == '\r' || cp == '\t' || cp == '\f' || !Character.isISOControl(cp))
                .count();
        long total = text.codePoints().count();
        return printable * 100 >= total * 95;
    }

    private static int indexOfZero(byte[] w) {
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] w, int... magic) {
        if (w.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((w[i] & 0xFF) != (magic[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] w, byte[] needle, int within) {
        int limit = Math.min(w.length, within) - needle.length;
        outer:
        for (int i = 0; i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (w[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
