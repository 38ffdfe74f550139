package io.frostbyte.core.proof;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed, path-naming access to one parsed JSON object; every failure is an {@link IllegalArgumentException}. */
final class JsonFields {
    private final String path;
    private final Map<String, Object> members;

    private JsonFields(String path, Map<String, Object> members) {
        this.path = path;
        this.members = members;
    }

    static JsonFields of(String path, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(path + " is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) map;
        return new JsonFields(path, members);
    }

    String path() {
        return path;
    }

    boolean has(String name) {
        return members.containsKey(name);
    }

    Object raw(String name) {
        return members.get(name);
    }

    /** The same members under another path name. */
    JsonFields rename(String newPath) {
        return new JsonFields(newPath, members);
    }

    /** A copy without the named member. */
    JsonFields without(String name) {
        Map<String, Object> rest = new java.util.LinkedHashMap<>(members);
        rest.remove(name);
        return new JsonFields(path, rest);
    }

    String string(String name) {
        return optionalString(name).orElseThrow(() -> invalid(name + " is missing"));
    }

    Optional<String> optionalString(String name) {
        Object value = members.get(name);
        if (value == null) {
            if (members.containsKey(name)) {
                throw invalid(name + " is null");
            }
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw invalid(name + " is not a string");
        }
        return Optional.of(text);
    }

    int integer(String name, int min, int max) {
        BigDecimal number = number(name);
        try {
            if (number.scale() > 0 && number.stripTrailingZeros().scale() > 0) {
                throw invalid(name + " is not an integer");
            }
            long value = number.longValueExact();
            if (value < min || value > max) {
                throw invalid(name + " must be in [" + min + ", " + max + "]: " + value);
            }
            return (int) value;
        } catch (ArithmeticException e) {
            throw invalid(name + " is not an integer in [" + min + ", " + max + "]");
        }
    }

    boolean bool(String name) {
        Object value = members.get(name);
        if (!(value instanceof Boolean bool)) {
            throw invalid(name + (value == null ? " is missing" : " is not a boolean"));
        }
        return bool;
    }

    ProofScore score(String name) {
        return score(name, number(name));
    }

    /** A member that must be present and may be {@code null}. */
    Optional<ProofScore> nullableScore(String name) {
        if (!members.containsKey(name)) {
            throw invalid(name + " is missing");
        }
        return members.get(name) == null ? Optional.empty() : Optional.of(score(name));
    }

    private ProofScore score(String name, BigDecimal number) {
        try {
            return new ProofScore(number);
        } catch (IllegalArgumentException e) {
            throw invalid(name + ": " + e.getMessage());
        }
    }

    private BigDecimal number(String name) {
        Object value = members.get(name);
        if (!(value instanceof BigDecimal number)) {
            throw invalid(name + (value == null ? " is missing" : " is not a number"));
        }
        return number;
    }

    JsonFields object(String name) {
        return optionalObject(name).orElseThrow(() -> invalid(name + " is missing"));
    }

    Optional<JsonFields> optionalObject(String name) {
        Object value = members.get(name);
        if (value == null) {
            if (members.containsKey(name)) {
                throw invalid(name + " is null");
            }
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw invalid(name + " is not an object");
        }
        return Optional.of(of(path + "." + name, value));
    }

    List<JsonFields> objects(String name, int max) {
        Object value = members.get(name);
        if (!(value instanceof List<?> items)) {
            throw invalid(name + (value == null ? " is missing" : " is not an array"));
        }
        if (items.size() > max) {
            throw invalid(name + " holds more than " + max + " items");
        }
        List<JsonFields> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(of(path + "." + name + "[" + i + "]", items.get(i)));
        }
        return out;
    }

    Optional<List<String>> optionalStrings(String name) {
        Object value = members.get(name);
        if (value == null) {
            if (members.containsKey(name)) {
                throw invalid(name + " is null");
            }
            return Optional.empty();
        }
        if (!(value instanceof List<?> items)) {
            throw invalid(name + " is not an array");
        }
        List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String text)) {
                throw invalid(name + " holds a non-string");
            }
            out.add(text);
        }
        return Optional.of(out);
    }

    LocalDate day(String name, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(name + " is not YYYY-MM-DD");
        }
    }

    /** Refuses members other than {@code allowed}: they would be signed over yet unread. */
    void requireOnly(Collection<String> allowed) {
        for (String name : members.keySet()) {
            if (!allowed.contains(name)) {
                String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
                throw invalid("has an unknown member '" + shown + "'");
            }
        }
    }

    IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(path + " " + why);
    }
}
