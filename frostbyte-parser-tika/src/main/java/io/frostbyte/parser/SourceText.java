package io.frostbyte.parser;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.tika.parser.txt.CharsetDetector;
import org.apache.tika.parser.txt.CharsetMatch;

/**
 * Decodes a plain-text source (TXT, CSV, Markdown): a UTF-32/UTF-16/UTF-8 byte-order mark wins; then UTF-32 or UTF-16
 * recognized by their zero bytes; then strict UTF-8; else the detected charset, with ISO-8859-1 read as its superset
 * windows-1252.
 */
record SourceText(String text, String encoding) {
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");

    static SourceText decode(byte[] bytes) {
        int n = bytes.length;
        if (n >= 4 && bytes[0] == 0 && bytes[1] == 0 && (bytes[2] & 0xFF) == 0xFE && (bytes[3] & 0xFF) == 0xFF) {
            return of(bytes, 4, UTF_32BE);
        }
        if (n >= 4 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE && bytes[2] == 0 && bytes[3] == 0) {
            return of(bytes, 4, UTF_32LE);
        }
        if (n >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            return of(bytes, 3, StandardCharsets.UTF_8);
        }
        if (n >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
            return of(bytes, 2, StandardCharsets.UTF_16BE);
        }
        if (n >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
            return of(bytes, 2, StandardCharsets.UTF_16LE);
        }
        Charset zeroPattern = zeroBytePattern(bytes);
        if (zeroPattern != null) {
            return of(bytes, 0, zeroPattern);
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new SourceText(text, "UTF-8");
        } catch (CharacterCodingException e) {
            return of(bytes, 0, detected(bytes));
        }
    }

    private static SourceText of(byte[] bytes, int offset, Charset charset) {
        return new SourceText(new String(bytes, offset, bytes.length - offset, charset), charset.name());
    }

    /** True for UTF-16 or UTF-32 text without a byte-order mark, recognized by its zero bytes. */
    static boolean isBomlessUnicode(byte[] bytes) {
        return zeroBytePattern(bytes) != null;
    }

    private static Charset zeroBytePattern(byte[] bytes) {
        int sample = Math.min(bytes.length, 4096) & ~3;
        if (sample < 4) {
            return null;
        }
        int[] zerosAt = new int[4];
        for (int i = 0; i < sample; i++) {
            if (bytes[i] == 0) {
                zerosAt[i % 4]++;
            }
        }
        int quarter = sample / 4;
        if (zerosAt[1] > quarter * 9 / 10 && zerosAt[2] > quarter * 9 / 10 && zerosAt[3] > quarter * 9 / 10) {
            return UTF_32LE;
        }
        if (zerosAt[0] > quarter * 9 / 10 && zerosAt[1] > quarter * 9 / 10 && zerosAt[2] > quarter * 9 / 10) {
            return UTF_32BE;
        }
        int evenZeros = zerosAt[0] + zerosAt[2];
        int oddZeros = zerosAt[1] + zerosAt[3];
        int half = sample / 2;
        if (oddZeros > half * 7 / 10 && evenZeros < half / 10) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenZeros > half * 7 / 10 && oddZeros < half / 10) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    private static Charset detected(byte[] bytes) {
        CharsetDetector detector = new CharsetDetector();
        detector.setText(bytes);
        CharsetMatch match = detector.detect();
        if (match == null || match.getConfidence() < 10) {
            return Charset.forName("windows-1252");
        }
        String name = match.getName().toUpperCase(Locale.ROOT);
        if (name.equals("ISO-8859-1") || name.equals("US-ASCII") || name.startsWith("UTF")) {
            return Charset.forName("windows-1252");
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.forName("windows-1252");
        }
    }
}
