package io.frostbyte.server.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration key: its name in lower snake_case under a module prefix, type, bounds, description and default
 * (which may depend on the shape). Secrets are never printed and may also be given as {@code <key>_file}.
 */
public record ConfigKey(
        String name,
        Type type,
        String description,
        Function<Shape, Optional<Object>> defaultValue,
        boolean secret,
        Optional<Double> min,
        Optional<Double> max,
        List<String> allowed) {
    public enum Type {
        STRING,
        INT,
        DOUBLE,
        BOOLEAN,
        ENUM,
        PATH,
        LIST
    }

    public ConfigKey {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        allowed = List.copyOf(allowed);
        if (!name.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("config key is not lower snake_case: " + name);
        }
        if (type == Type.ENUM && allowed.isEmpty()) {
            throw new IllegalArgumentException("enum key without values: " + name);
        }
    }

    /** The environment variable that overrides this key: {@code intake.max_request_gb -> FROSTBYTE_INTAKE__MAX_REQUEST_GB}. */
    public String environmentVariable() {
        return "FROSTBYTE_" + name.replace(".", "__").toUpperCase(java.util.Locale.ROOT);
    }

    /** A human description of the default for {@code config show} and the docs. */
    public String describeDefault() {
        Optional<Object> embedded = defaultValue.apply(Shape.EMBEDDED);
        Optional<Object> scaled = defaultValue.apply(Shape.SCALED);
        Optional<Object> offline = defaultValue.apply(Shape.OFFLINE);
        if (embedded.equals(scaled) && scaled.equals(offline)) {
            return embedded.map(String::valueOf).orElse("none");
        }
        return "embedded: " + embedded.map(String::valueOf).orElse("none") + ", scaled: "
                + scaled.map(String::valueOf).orElse("none") + ", offline: "
                + offline.map(String::valueOf).orElse("none");
    }
}
