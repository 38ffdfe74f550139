package io.frostbyte.core.document;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal RFC 8785 (JCS) writer for the values a canonical document holds: maps with string keys (written in UTF-16
 * code unit order, which {@link String#compareTo} is), lists, strings, integers, booleans and null. Floating-point
 * numbers are rejected rather than formatted approximately.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String text -> writeString(text, out);
            case Integer number -> out.append(number.intValue());
            case Long number -> {
                if (Math.abs(number) > (1L << 53)) {
                    throw new IllegalArgumentException("integer beyond JSON's exact range: " + number);
                }
                out.append(number.longValue());
            }
            case Double number -> {
                if (!Double.isFinite(number)) {
                    throw new IllegalArgumentException("no JSON form for " + number);
                }
                // JCS (ES6) form for the short decimals written here: 0.64, 1, 0.9123
                out.append(java.math.BigDecimal.valueOf(number)
                        .stripTrailingZeros()
                        .toPlainString());
            }
            case Boolean bool -> out.append(bool.booleanValue());
            case Map<?, ?> map -> {
                TreeMap<String, Object> sorted = new TreeMap<>();
                map.forEach((key, item) -> sorted.put((String) key, item));
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(entry.getKey(), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("no canonical JSON form for " + value.getClass());
        }
    }

    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
