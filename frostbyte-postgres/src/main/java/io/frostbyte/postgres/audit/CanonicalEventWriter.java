package io.frostbyte.postgres.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.erdtman.jcs.NumberToJSON;

/**
 * The fast path of the audit hash input (spec/06 §6.1): writes the RFC 8785 (JCS) UTF-8 bytes of an event without
 * {@code event_hash} straight into a reusable buffer, with the envelope's fixed keys in their JCS order and only
 * {@code details} canonicalized generically, and hashes them with a reused digest.
 *
 * <p>The output is byte-identical to what {@link AuditEventJson}'s reference path produces (the envelope as JSON text
 * put through erdtman's {@code JsonCanonicalizer}), because every rule here mirrors that canonicalizer: strings escape
 * only {@code "}, {@code \}, and the control characters below U+0020 ({@code \b \f \n \r \t} by name, the others as
 * {@code \}{@code u00xx} in lowercase hex); everything else is written raw and UTF-8 encoded like
 * {@link String#getBytes}, so an unpaired surrogate becomes {@code ?}; object keys are ordered by UTF-16 code units
 * ({@link String#compareTo}); numbers are read as doubles and written by erdtman's {@link NumberToJSON} (integers of
 * at most 15 digits, exact as doubles, verbatim). Whatever this path does not cover exactly (a non-integral Java
 * number, a non-string map key, an unknown type, JSON text it does not accept, a duplicate key) makes it answer
 * {@code false}, and the caller falls back to the reference path, so results, and errors, stay those of the reference.
 *
 * <p>Not thread-safe: one per thread ({@link #get}).
 */
final class CanonicalEventWriter {
    private static final ThreadLocal<CanonicalEventWriter> WRITERS = ThreadLocal.withInitial(CanonicalEventWriter::new);
    private static final HexFormat HEX = HexFormat.of();
    private static final int INITIAL = 1024;
    private static final int RETAINED = 64 * 1024;
    private static final long MAX_EXACT = 1L << 53;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    // the envelope's keys in JCS order, each with its opening/separating punctuation
    private static final byte[] ACTOR = ascii("{\"actor\":");
    private static final byte[] DETAILS = ascii(",\"details\":");
    private static final byte[] EVENT_ID = ascii(",\"event_id\":");
    private static final byte[] EVENT_TYPE = ascii(",\"event_type\":");
    private static final byte[] PREV_HASH = ascii(",\"prev_hash\":");
    private static final byte[] PREVIOUS_EVENT_ID = ascii(",\"previous_event_id\":");
    private static final byte[] RESOURCE_ID = ascii(",\"resource_id\":");
    private static final byte[] RESOURCE_TYPE = ascii(",\"resource_type\":");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] TENANT_ID = ascii(",\"tenant_id\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");

    private final MessageDigest digest = AuditEventJson.sha256();
    private byte[] out = new byte[INITIAL];
    private int length;
    private byte[] scratch = new byte[INITIAL];
    private char[] chars = new char[256];
    // the details text being parsed
    private String text;
    private int pos;

    static CanonicalEventWriter get() {
        return WRITERS.get();
    }

    /**
     * Writes the envelope with {@code details} given as JSON text (any formatting, e.g. PostgreSQL's {@code jsonb}
     * output).
     *
     * @return false when the fast path does not apply (the buffer is then undefined)
     */
    boolean writeWithDetailsText(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            String timestamp,
            String actor,
            String resourceType,
            String resourceId,
            String previousEventId,
            String detailsJson,
            String prevHash) {
        try {
            if (!head(actor) || detailsJson == null) {
                return false;
            }
            text = detailsJson;
            pos = 0;
            skipWhitespace();
            if (pos >= text.length() || !parseValue()) {
                return false;
            }
            skipWhitespace();
            if (pos != text.length()) {
                return false;
            }
            return tail(
                    eventId, tenantId, seq, eventType, timestamp, resourceType, resourceId, previousEventId, prevHash);
        } catch (RuntimeException e) {
            return false;
        } finally {
            text = null;
        }
    }

    /**
     * Writes the envelope with {@code details} as the Java values an {@code AuditEvent} holds.
     *
     * @return false when the fast path does not apply (the buffer is then undefined)
     */
    boolean writeWithDetailsMap(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            String timestamp,
            String actor,
            String resourceType,
            String resourceId,
            String previousEventId,
            Map<String, ?> details,
            String prevHash) {
        try {
            return head(actor)
                    && details != null
                    && writeMap(details)
                    && tail(
                            eventId,
                            tenantId,
                            seq,
                            eventType,
                            timestamp,
                            resourceType,
                            resourceId,
                            previousEventId,
                            prevHash);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A copy of the bytes written. */
    byte[] bytes() {
        byte[] copy = Arrays.copyOf(out, length);
        release();
        return copy;
    }

    /** {@code hex(sha256(prevHash ASCII || bytes written))}. */
    String hash(String prevHash) {
        digest.reset();
        int n = prevHash.length();
        byte[] prefix = scratchFor(n);
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            char c = prevHash.charAt(i);
            ascii = c < 0x80;
            prefix[i] = (byte) c;
        }
        if (ascii) {
            digest.update(prefix, 0, n);
        } else {
            digest.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        }
        digest.update(out, 0, length);
        String hex = HEX.formatHex(digest.digest());
        release();
        return hex;
    }

    private boolean head(String actor) {
        length = 0;
        if (actor == null) {
            return false;
        }
        raw(ACTOR);
        string(actor);
        raw(DETAILS);
        return true;
    }

    private boolean tail(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            String timestamp,
            String resourceType,
            String resourceId,
            String previousEventId,
            String prevHash) {
        if (eventId == null
                || tenantId == null
                || eventType == null
                || timestamp == null
                || resourceType == null
                || resourceId == null
                || prevHash == null) {
            return false;
        }
        raw(EVENT_ID);
        string(eventId);
        raw(EVENT_TYPE);
        string(eventType);
        raw(PREV_HASH);
        string(prevHash);
        raw(PREVIOUS_EVENT_ID);
        if (previousEventId == null) {
            raw(NULL);
        } else {
            string(previousEventId);
        }
        raw(RESOURCE_ID);
        string(resourceId);
        raw(RESOURCE_TYPE);
        string(resourceType);
        raw(SEQ);
        number(seq);
        raw(TENANT_ID);
        string(tenantId);
        raw(TIMESTAMP);
        string(timestamp);
        put((byte) '}');
        return true;
    }

    // ---- Java values (mirrors AuditEventJson.valueNode, then the canonicalizer) ----

    private boolean writeValue(Object value) {
        if (value == null) {
            raw(NULL);
        } else if (value instanceof String s) {
            string(s);
        } else if (value instanceof Boolean b) {
            raw(b ? TRUE : FALSE);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            number(((Number) value).longValue());
        } else if (value instanceof Number) {
            return false; // doubles and big numbers: the reference path
        } else if (value instanceof Map<?, ?> map) {
            return writeMap(map);
        } else if (value instanceof List<?> list) {
            put((byte) '[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    put((byte) ',');
                }
                first = false;
                if (!writeValue(item)) {
                    return false;
                }
            }
            put((byte) ']');
        } else if (value instanceof Enum<?> e) {
            string(e.name());
        } else {
            return false;
        }
        return true;
    }

    private boolean writeMap(Map<?, ?> map) {
        put((byte) '{');
        if (map instanceof SortedMap<?, ?> sorted && sorted.comparator() == null) {
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    return false;
                }
                if (!first) {
                    put((byte) ',');
                }
                first = false;
                string(key);
                put((byte) ':');
                if (!writeValue(entry.getValue())) {
                    return false;
                }
            }
        } else {
            String[] keys = new String[map.size()];
            int n = 0;
            for (Object key : map.keySet()) {
                if (!(key instanceof String s) || n == keys.length) {
                    return false;
                }
                keys[n++] = s;
            }
            if (n != keys.length) {
                return false;
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    if (keys[i].equals(keys[i - 1])) {
                        return false;
                    }
                    put((byte) ',');
                }
                string(keys[i]);
                put((byte) ':');
                if (!writeValue(map.get(keys[i]))) {
                    return false;
                }
            }
        }
        put((byte) '}');
        return true;
    }

    // ---- JSON text (mirrors the canonicalizer's parser) ----

    private boolean parseValue() {
        char c = text.charAt(pos);
        if (c == '{') {
            pos++;
            return parseObject();
        }
        if (c == '[') {
            pos++;
            return parseArray();
        }
        if (c == '"') {
            pos++;
            int end = stringEnd();
            if (end < 0) {
                return decodedString();
            }
            string(text, pos, end);
            pos = end + 1;
            return true;
        }
        return parseToken();
    }

    private boolean parseObject() {
        put((byte) '{');
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            put((byte) '}');
            return true;
        }
        int contentStart = length;
        String[] keys = new String[8];
        int[] bounds = new int[16];
        int n = 0;
        boolean sorted = true;
        while (true) {
            if (peek() != '"') {
                return false;
            }
            pos++;
            String key = key();
            if (key == null) {
                return false;
            }
            skipWhitespace();
            if (peek() != ':') {
                return false;
            }
            pos++;
            skipWhitespace();
            if (n > 0) {
                int order = key.compareTo(keys[n - 1]);
                if (order == 0) {
                    return false;
                }
                sorted &= order > 0;
                put((byte) ',');
            }
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                bounds = Arrays.copyOf(bounds, n * 4);
            }
            keys[n] = key;
            bounds[2 * n] = length;
            string(key);
            put((byte) ':');
            if (pos >= text.length() || !parseValue()) {
                return false;
            }
            bounds[2 * n + 1] = length;
            n++;
            skipWhitespace();
            char c = peek();
            if (c == '}') {
                pos++;
                break;
            }
            if (c != ',') {
                return false;
            }
            pos++;
            skipWhitespace();
        }
        if (!sorted && !reorder(contentStart, keys, bounds, n)) {
            return false;
        }
        put((byte) '}');
        return true;
    }

    /** Rewrites the members written since {@code contentStart} in key order; false on a duplicate key. */
    private boolean reorder(int contentStart, String[] keys, int[] bounds, int n) {
        int[] order = new int[n];
        if (n > 32) {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> keys[a].compareTo(keys[b]));
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
                if (i > 0 && keys[order[i]].equals(keys[order[i - 1]])) {
                    return false;
                }
            }
        }
        for (int i = 0; i < n && n <= 32; i++) {
            // insertion sort: details objects are small
            int member = i;
            int j = i;
            while (j > 0) {
                int c = keys[order[j - 1]].compareTo(keys[member]);
                if (c == 0) {
                    return false;
                }
                if (c < 0) {
                    break;
                }
                order[j] = order[j - 1];
                j--;
            }
            order[j] = member;
        }
        int size = length - contentStart;
        byte[] copy = scratchFor(size);
        System.arraycopy(out, contentStart, copy, 0, size);
        length = contentStart;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                put((byte) ',');
            }
            int member = order[i];
            int from = bounds[2 * member] - contentStart;
            int to = bounds[2 * member + 1] - contentStart;
            ensure(to - from);
            System.arraycopy(copy, from, out, length, to - from);
            length += to - from;
        }
        return true;
    }

    private boolean parseArray() {
        put((byte) '[');
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            put((byte) ']');
            return true;
        }
        boolean first = true;
        while (true) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            if (pos >= text.length() || !parseValue()) {
                return false;
            }
            skipWhitespace();
            char c = peek();
            if (c == ']') {
                pos++;
                break;
            }
            if (c != ',') {
                return false;
            }
            pos++;
            skipWhitespace();
        }
        put((byte) ']');
        return true;
    }

    /** The canonicalizer's simple types: a run up to {@code , ] }} or whitespace, then number, boolean or null. */
    private boolean parseToken() {
        int start = pos;
        int n = text.length();
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == ',' || c == ']' || c == '}' || isWhitespace(c)) {
                break;
            }
            pos++;
        }
        int end = pos;
        if (end == start) {
            return false;
        }
        if (text.startsWith("true", start) && end - start == 4) {
            raw(TRUE);
            return true;
        }
        if (text.startsWith("false", start) && end - start == 5) {
            raw(FALSE);
            return true;
        }
        if (text.startsWith("null", start) && end - start == 4) {
            raw(NULL);
            return true;
        }
        return numberToken(start, end);
    }

    /** A token matching {@code -?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?}, as the canonicalizer writes it. */
    private boolean numberToken(int start, int end) {
        int i = start;
        boolean negative = text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        while (i < end && isDigit(text.charAt(i))) {
            i++;
        }
        int intDigits = i - intStart;
        if (intDigits == 0) {
            return false;
        }
        if (i == end && intDigits <= 15 && (text.charAt(intStart) != '0' || (intDigits == 1 && !negative))) {
            // an integer below 10^15 without leading zeros: exact as a double and written as its digits
            ensure(end - start);
            for (int k = start; k < end; k++) {
                out[length++] = (byte) text.charAt(k);
            }
            return true;
        }
        if (i < end && text.charAt(i) == '.') {
            i++;
            int fractionStart = i;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == fractionStart) {
                return false;
            }
        }
        if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentStart = i;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == exponentStart) {
                return false;
            }
        }
        if (i != end) {
            return false;
        }
        return serialized(Double.parseDouble(text.substring(start, end)));
    }

    /** Index of the closing quote of a string starting at {@code pos} without escapes, or -1 if it needs decoding. */
    private int stringEnd() {
        int n = text.length();
        for (int i = pos; i < n; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** Decodes the string starting at {@code pos} (after its quote) into {@link #chars}; its length, or -1. */
    private int decode() {
        int n = text.length();
        int count = 0;
        while (true) {
            if (pos >= n) {
                return -1;
            }
            char c = text.charAt(pos++);
            if (c < 0x20) {
                return -1;
            }
            if (c == '"') {
                return count;
            }
            if (c == '\\') {
                if (pos >= n) {
                    return -1;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '/', '\\' -> c = e;
                    case 'b' -> c = '\b';
                    case 'f' -> c = '\f';
                    case 'n' -> c = '\n';
                    case 'r' -> c = '\r';
                    case 't' -> c = '\t';
                    case 'u' -> {
                        if (pos + 4 > n) {
                            return -1;
                        }
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = hexDigit(text.charAt(pos++));
                            if (d < 0) {
                                return -1;
                            }
                            v = (v << 4) | d;
                        }
                        c = (char) v;
                    }
                    default -> {
                        return -1;
                    }
                }
            }
            if (count == chars.length) {
                chars = Arrays.copyOf(chars, count * 2);
            }
            chars[count++] = c;
        }
    }

    private boolean decodedString() {
        int count = decode();
        if (count < 0) {
            return false;
        }
        string(chars, count);
        return true;
    }

    private String key() {
        int end = stringEnd();
        if (end >= 0) {
            String key = text.substring(pos, end);
            pos = end + 1;
            return key;
        }
        int count = decode();
        return count < 0 ? null : new String(chars, 0, count);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        int n = text.length();
        while (pos < n && isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** {@code 0-9a-fA-F} only, as the canonicalizer reads {@code \}{@code u} escapes. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---- output ----

    /** An integral number as the canonicalizer writes it after reading it as a double. */
    private void number(long value) {
        if (value >= -MAX_EXACT && value <= MAX_EXACT) {
            String digits = Long.toString(value);
            int n = digits.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                out[length++] = (byte) digits.charAt(i);
            }
        } else {
            serialized((double) value);
        }
    }

    private boolean serialized(double value) {
        String json;
        try {
            json = NumberToJSON.serializeNumber(value);
        } catch (IOException e) {
            return false; // NaN, infinite: the reference path reports it
        }
        int n = json.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            out[length++] = (byte) json.charAt(i);
        }
        return true;
    }

    private void string(String s) {
        string(s, 0, s.length());
    }

    private void string(String s, int from, int to) {
        ensure(to - from + 2);
        out[length++] = '"';
        int i = from;
        // ASCII without escapes: one byte per char
        while (i < to) {
            char c = s.charAt(i);
            if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            out[length++] = (byte) c;
            i++;
        }
        if (i < to) {
            for (; i < to; i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    codePoint(Character.toCodePoint(c, s.charAt(++i)));
                } else {
                    character(c);
                }
            }
        }
        put((byte) '"');
    }

    private void string(char[] s, int count) {
        put((byte) '"');
        for (int i = 0; i < count; i++) {
            char c = s[i];
            if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(s[i + 1])) {
                codePoint(Character.toCodePoint(c, s[++i]));
            } else {
                character(c);
            }
        }
        put((byte) '"');
    }

    /** One UTF-16 unit that is not part of a surrogate pair. */
    private void character(char c) {
        ensure(6);
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\') {
                out[length++] = (byte) c;
                return;
            }
            out[length++] = '\\';
            switch (c) {
                case '"', '\\' -> out[length++] = (byte) c;
                case '\b' -> out[length++] = 'b';
                case '\f' -> out[length++] = 'f';
                case '\n' -> out[length++] = 'n';
                case '\r' -> out[length++] = 'r';
                case '\t' -> out[length++] = 't';
                default -> {
                    out[length++] = 'u';
                    out[length++] = '0';
                    out[length++] = '0';
                    out[length++] = HEX_DIGITS[c >> 4];
                    out[length++] = HEX_DIGITS[c & 0xF];
                }
            }
        } else if (c < 0x800) {
            out[length++] = (byte) (0xC0 | (c >> 6));
            out[length++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
            out[length++] = '?'; // unpaired, as String.getBytes(UTF_8) replaces it
        } else {
            out[length++] = (byte) (0xE0 | (c >> 12));
            out[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            out[length++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    private void codePoint(int cp) {
        ensure(4);
        out[length++] = (byte) (0xF0 | (cp >> 18));
        out[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[length++] = (byte) (0x80 | (cp & 0x3F));
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, length, bytes.length);
        length += bytes.length;
    }

    private void put(byte b) {
        ensure(1);
        out[length++] = b;
    }

    private void ensure(int extra) {
        if (length + extra > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + extra));
        }
    }

    private byte[] scratchFor(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(scratch.length * 2, size)];
        }
        return scratch;
    }

    /** Drops buffers grown by an unusually large event, so a pooled thread does not keep them. */
    private void release() {
        length = 0;
        if (out.length > RETAINED) {
            out = new byte[INITIAL];
        }
        if (scratch.length > RETAINED) {
            scratch = new byte[INITIAL];
        }
        if (chars.length > RETAINED) {
            chars = new char[256];
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
