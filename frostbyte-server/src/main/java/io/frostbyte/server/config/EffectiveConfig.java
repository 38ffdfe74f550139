package io.frostbyte.server.config;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The validated value of every configuration key and where it came from. Immutable. */
public final class EffectiveConfig {
    /** A key's value (empty: none) and its source: {@code default}, {@code file}, {@code env} or {@code secret-file}. */
    public record Entry(ConfigKey key, Optional<Object> value, String source) {
        public Entry {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
            requireNonNull(source, "source is null");
        }
    }

    private final Shape shape;
    private final SortedMap<String, Entry> entries;

    EffectiveConfig(Shape shape, Map<String, Entry> entries) {
        this.shape = requireNonNull(shape, "shape is null");
        this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    public Shape shape() {
        return shape;
    }

    public SortedMap<String, Entry> entries() {
        return entries;
    }

    public Optional<Object> value(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            throw new IllegalArgumentException("unknown config key " + key);
        }
        return entry.value();
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key));
    }

    public Optional<String> optionalString(String key) {
        return value(key).map(String::valueOf);
    }

    public int integer(String key) {
        return ((Number) value(key).orElseThrow(() -> missing(key))).intValue();
    }

    public double decimal(String key) {
        return ((Number) value(key).orElseThrow(() -> missing(key))).doubleValue();
    }

    public boolean bool(String key) {
        return (Boolean) value(key).orElseThrow(() -> missing(key));
    }

    public Optional<Path> optionalPath(String key) {
        return value(key).map(v -> Path.of(String.valueOf(v)));
    }

    public Path path(String key) {
        return optionalPath(key).orElseThrow(() -> missing(key));
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        return (List<String>) value(key).orElseThrow(() -> missing(key));
    }

    /** The effective configuration as YAML-like lines, one key each, secrets shown as {@code ***}. */
    public String render() {
        return render(false);
    }

    /**
     * The effective configuration in documentation order, one key per line with its source and environment variable,
     * secrets shown as {@code ***}; with {@code describe}, each key is preceded by its description and default.
     */
    public String render(boolean describe) {
        StringBuilder out = new StringBuilder();
        out.append("# effective Frostbyte configuration (shape ")
                .append(shape.wire())
                .append(")\n");
        for (ConfigKey key : ConfigSchema.keys()) {
            Entry entry = entries.get(key.name());
            if (describe) {
                out.append("\n# ")
                        .append(key.description())
                        .append(" Default: ")
                        .append(key.describeDefault());
                out.append(key.secret() ? ". Secret: may be given as " + key.name() + "_file." : ".")
                        .append('\n');
            }
            out.append(key.name())
                    .append(": ")
                    .append(shown(entry))
                    .append("    # ")
                    .append(entry.source());
            out.append("; ").append(key.environmentVariable()).append('\n');
        }
        return out.toString();
    }

    private static String shown(Entry entry) {
        if (entry.value().isEmpty()) {
            return "~";
        }
        if (entry.key().secret()) {
            return "'***'";
        }
        if (entry.value().get() instanceof List<?> items) {
            return "[" + String.join(", ", items.stream().map(String::valueOf).toList()) + "]";
        }
        return String.valueOf(entry.value().get());
    }

    private static FrostbyteException missing(String key) {
        return new FrostbyteException(ErrorCode.CONFIG_INVALID, "configuration key '" + key + "' has no value");
    }
}
