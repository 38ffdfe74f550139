package io.frostbyte.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@code frostbyte.yaml} and {@code FROSTBYTE_*} environment overrides into an {@link EffectiveConfig}. Unknown
 * keys and invalid values fail with {@code CONFIG_INVALID}, naming every offending key.
 */
public final class ConfigLoader {
    /** Environment variables with the FROSTBYTE_ prefix that are not configuration keys. */
    static final Set<String> NON_CONFIG_VARIABLES = Set.of(
            "FROSTBYTE_URL",
            "FROSTBYTE_TOKEN",
            "FROSTBYTE_TOKEN_FILE",
            "FROSTBYTE_CONFIG",
            "FROSTBYTE_JAVA_OPTS",
            "FROSTBYTE_HOME",
            "FROSTBYTE_JAVA");

    private static final long MAX_CONFIG_BYTES = 1 << 20;
    private static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

    private ConfigLoader() {}

    private record Raw(Object value, String source) {}

    public static EffectiveConfig load(Optional<Path> file, Map<String, String> environment) {
        Map<String, Raw> raw = new TreeMap<>();
        List<ErrorDetail> errors = new ArrayList<>();
        file.ifPresent(path -> readYaml(path, raw, errors));
        readEnvironment(environment, raw, errors);
        resolveSecretFiles(raw, errors);
        if (!errors.isEmpty()) {
            throw failure(errors);
        }

        Shape shape = Shape.EMBEDDED;
        Map<String, EffectiveConfig.Entry> entries = new LinkedHashMap<>();
        ConfigKey shapeKey = ConfigSchema.key("shape").orElseThrow();
        Raw shapeRaw = raw.get("shape");
        if (shapeRaw != null) {
            Object parsed = parse(shapeKey, shapeRaw.value(), errors);
            if (parsed == null) {
                throw failure(errors);
            }
            shape = Shape.valueOf(((String) parsed).toUpperCase(Locale.ROOT));
        }
        for (ConfigKey key : ConfigSchema.keys()) {
            Raw given = raw.get(key.name());
            if (given == null) {
                entries.put(
                        key.name(),
                        new EffectiveConfig.Entry(key, key.defaultValue().apply(shape), "default"));
                continue;
            }
            Object parsed = given.value() == null ? null : parse(key, given.value(), errors);
            entries.put(key.name(), new EffectiveConfig.Entry(key, Optional.ofNullable(parsed), given.source()));
        }
        if (!errors.isEmpty()) {
            throw failure(errors);
        }
        EffectiveConfig config = new EffectiveConfig(shape, entries);
        crossCheck(config, errors);
        if (!errors.isEmpty()) {
            throw failure(errors);
        }
        return config;
    }

    private static void readYaml(Path path, Map<String, Raw> raw, List<ErrorDetail> errors) {
        JsonNode root;
        try {
            if (Files.size(path) > MAX_CONFIG_BYTES) {
                errors.add(new ErrorDetail("config_file", path.toString(), "at most 1 MiB"));
                return;
            }
            root = new YAMLMapper().readTree(path.toFile());
        } catch (IOException e) {
            errors.add(new ErrorDetail(
                    "config_file",
                    path.toString(),
                    "readable YAML (" + e.getClass().getSimpleName() + ")"));
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            errors.add(new ErrorDetail("config_file", path.toString(), "a YAML mapping of keys"));
            return;
        }
        flatten("", root, raw, errors, 0);
    }

    private static void flatten(
            String prefix, JsonNode node, Map<String, Raw> raw, List<ErrorDetail> errors, int depth) {
        if (depth > 8) {
            errors.add(new ErrorDetail(prefix, null, "nesting deeper than 8 levels"));
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(name, value, raw, errors, depth + 1);
            } else if (!isKnown(name)) {
                errors.add(new ErrorDetail(name, null, "unknown configuration key"));
            } else if (value.isNull()) {
                raw.put(name, new Raw(null, "file"));
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                raw.put(name, new Raw(items, "file"));
            } else if (value.isNumber()) {
                raw.put(name, new Raw(value.numberValue(), "file"));
            } else if (value.isBoolean()) {
                raw.put(name, new Raw(value.booleanValue(), "file"));
            } else {
                raw.put(name, new Raw(value.asText(), "file"));
            }
        }
    }

    private static void readEnvironment(
            Map<String, String> environment, Map<String, Raw> raw, List<ErrorDetail> errors) {
        new TreeMap<>(environment).forEach((variable, value) -> {
            if (!variable.startsWith("FROSTBYTE_")
                    || NON_CONFIG_VARIABLES.contains(variable)
                    || variable.startsWith("FROSTBYTE_TEST_")) {
                return;
            }
            String name = variable.substring("FROSTBYTE_".length())
                    .toLowerCase(Locale.ROOT)
                    .replace("__", ".");
            if (!isKnown(name)) {
                errors.add(new ErrorDetail(variable, null, "unknown configuration key '" + name + "'"));
                return;
            }
            raw.put(name, new Raw(value, "env"));
        });
    }

    private static boolean isKnown(String name) {
        if (ConfigSchema.key(name).isPresent()) {
            return true;
        }
        return name.endsWith("_file")
                && ConfigSchema.key(name.substring(0, name.length() - "_file".length()))
                        .map(ConfigKey::secret)
                        .orElse(false);
    }

    /** {@code db.url_file: /run/secrets/db} supplies {@code db.url} from a file. */
    private static void resolveSecretFiles(Map<String, Raw> raw, List<ErrorDetail> errors) {
        for (String name : List.copyOf(raw.keySet())) {
            if (ConfigSchema.key(name).isPresent()) {
                continue;
            }
            String base = name.substring(0, name.length() - "_file".length());
            Raw pointer = raw.remove(name);
            if (raw.containsKey(base)) {
                errors.add(new ErrorDetail(name, null, "give either " + base + " or " + name + ", not both"));
                continue;
            }
            Path path = Path.of(String.valueOf(pointer.value()));
            try {
                if (Files.size(path) > MAX_SECRET_FILE_BYTES) {
                    errors.add(new ErrorDetail(name, path.toString(), "a secret file of at most 64 KiB"));
                    continue;
                }
                raw.put(
                        base,
                        new Raw(Files.readString(path, StandardCharsets.UTF_8).strip(), "secret-file"));
            } catch (IOException e) {
                errors.add(new ErrorDetail(name, path.toString(), "a readable file"));
            }
        }
    }

    private static Object parse(ConfigKey key, Object value, List<ErrorDetail> errors) {
        String shown = key.secret() ? "***" : String.valueOf(value);
        try {
            Object parsed = switch (key.type()) {
                case STRING, PATH -> {
                    String text = String.valueOf(value).strip();
                    if (text.isEmpty()) {
                        throw new IllegalArgumentException("a non-empty value");
                    }
                    yield text;
                }
                case ENUM -> {
                    String text = String.valueOf(value).strip();
                    if (!key.allowed().contains(text)) {
                        throw new IllegalArgumentException("one of " + key.allowed());
                    }
                    yield text;
                }
                case INT -> {
                    long number = value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)
                            ? n.longValue()
                            : Long.parseLong(String.valueOf(value).strip());
                    checkRange(key, number);
                    yield (int) number;
                }
                case DOUBLE -> {
                    double number = value instanceof Number n
                            ? n.doubleValue()
                            : Double.parseDouble(String.valueOf(value).strip());
                    if (!Double.isFinite(number)) {
                        throw new IllegalArgumentException("a finite number");
                    }
                    checkRange(key, number);
                    yield number;
                }
                case BOOLEAN -> {
                    if (value instanceof Boolean b) {
                        yield b;
                    }
                    String text = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new IllegalArgumentException("true or false");
                    }
                    yield Boolean.parseBoolean(text);
                }
                case LIST -> {
                    List<String> items = value instanceof List<?> list
                            ? list.stream()
                                    .map(String::valueOf)
                                    .map(String::strip)
                                    .toList()
                            : Arrays.stream(String.valueOf(value).split(","))
                                    .map(String::strip)
                                    .filter(s -> !s.isEmpty())
                                    .toList();
                    yield List.copyOf(items);
                }
            };
            return parsed;
        } catch (NumberFormatException e) {
            errors.add(
                    new ErrorDetail(key.name(), shown, key.type() == ConfigKey.Type.INT ? "an integer" : "a number"));
        } catch (IllegalArgumentException e) {
            errors.add(new ErrorDetail(key.name(), shown, e.getMessage()));
        }
        return null;
    }

    private static void checkRange(ConfigKey key, double number) {
        if (key.min().isPresent() && number < key.min().get()
                || key.max().isPresent() && number > key.max().get()) {
            throw new IllegalArgumentException("between " + format(key.min().orElseThrow()) + " and "
                    + format(key.max().orElseThrow()));
        }
    }

    private static String format(double number) {
        return number == Math.rint(number) ? String.valueOf((long) number) : String.valueOf(number);
    }

    private static void crossCheck(EffectiveConfig config, List<ErrorDetail> errors) {
        // a key whose feature is not built must not be set and silently ignored
        ConfigSchema.NOT_APPLIED.forEach((name, instead) -> {
            EffectiveConfig.Entry entry = config.entries().get(name);
            String standard = entry.key()
                    .defaultValue()
                    .apply(config.shape())
                    .map(String::valueOf)
                    .orElse("unset");
            if (!entry.source().equals("default")
                    && !entry.value().map(String::valueOf).orElse("unset").equals(standard)) {
                errors.add(new ErrorDetail(
                        name,
                        null,
                        "left at its default (" + standard + "): this build does not apply it; " + instead));
            }
        });
        if (config.string("auth.jwt_algorithm").equals("HS256")) {
            int length = config.optionalString("auth.jwt_secret")
                    .map(s -> s.getBytes(StandardCharsets.UTF_8).length)
                    .orElse(0);
            if (length < 64) {
                errors.add(new ErrorDetail(
                        "auth.jwt_secret", "***", "at least 64 bytes when auth.jwt_algorithm is HS256"));
            }
        }
        if (config.optionalPath("keys.master_key_file").isPresent()
                && config.optionalString("keys.kms_uri").isPresent()) {
            errors.add(new ErrorDetail(
                    "keys.kms_uri",
                    config.string("keys.kms_uri"),
                    "exactly one of keys.master_key_file or keys.kms_uri"));
        }
        if (config.optionalString("keys.kms_uri").isPresent()) {
            errors.add(new ErrorDetail(
                    "keys.kms_uri",
                    config.string("keys.kms_uri"),
                    "no KMS adapter is installed in this build; use keys.master_key_file"));
        }
        if (config.shape() != Shape.EMBEDDED && config.optionalString("db.url").isEmpty()) {
            errors.add(new ErrorDetail(
                    "db.url", null, "set: the " + config.shape().wire() + " shape needs an external PostgreSQL >= 15"));
        }
        config.optionalString("db.url").ifPresent(url -> {
            if (!url.startsWith("jdbc:postgresql://")) {
                errors.add(new ErrorDetail("db.url", "***", "a jdbc:postgresql:// URL"));
            }
        });
        for (String type : config.list("intake.enabled_types")) {
            if (!ConfigSchema.DEFAULT_TYPES.contains(type) && !ConfigSchema.OPTIONAL_TYPES.contains(type)) {
                errors.add(new ErrorDetail(
                        "intake.enabled_types",
                        type,
                        "one of " + ConfigSchema.DEFAULT_TYPES + " or " + ConfigSchema.OPTIONAL_TYPES));
            }
        }
        if (config.string("objectstore.kind").equals("s3")
                && config.optionalString("objectstore.s3.endpoint").isEmpty()) {
            errors.add(new ErrorDetail("objectstore.s3.endpoint", null, "required when objectstore.kind is s3"));
        }
        if (config.string("index.kind").equals("qdrant")
                && config.optionalString("index.qdrant.url").isEmpty()) {
            errors.add(new ErrorDetail("index.qdrant.url", null, "required when index.kind is qdrant"));
        }
        config.optionalString("index.qdrant.url").ifPresent(url -> {
            if (!qdrantUrl(url)) {
                errors.add(new ErrorDetail(
                        "index.qdrant.url", null, "Qdrant's gRPC endpoint: http://host[:port] or https://host[:port]"));
            }
        });
        if (config.string("generation.answerer").equals("openai")
                && (config.optionalString("generation.endpoint").isEmpty()
                        || config.optionalString("generation.model").isEmpty())) {
            errors.add(new ErrorDetail(
                    "generation.endpoint",
                    null,
                    "generation.endpoint and generation.model are required for the openai answerer"));
        }
        config.optionalString("metrics.bind").ifPresent(bind -> {
            int colon = bind.lastIndexOf(':');
            boolean valid = colon > 0;
            if (valid) {
                try {
                    int port = Integer.parseInt(bind.substring(colon + 1));
                    valid = port >= 1 && port <= 65535;
                } catch (NumberFormatException e) {
                    valid = false;
                }
            }
            if (!valid) {
                errors.add(new ErrorDetail("metrics.bind", bind, "host:port, e.g. 10.0.0.5:9090"));
            }
        });
        if (config.string("server.role").equals("worker") && config.shape() == Shape.EMBEDDED) {
            errors.add(new ErrorDetail(
                    "server.role",
                    "worker",
                    "api and worker roles need a shared external database (shape scaled or offline)"));
        }
    }

    private static FrostbyteException failure(List<ErrorDetail> errors) {
        ErrorDetail first = errors.get(0);
        StringBuilder message = new StringBuilder("invalid configuration: ");
        for (int i = 0; i < errors.size(); i++) {
            ErrorDetail detail = errors.get(i);
            if (i > 0) {
                message.append("; ");
            }
            if (detail.constraint().startsWith("unknown") || detail.constraint().startsWith("give either")) {
                message.append('\'').append(detail.field()).append("': ").append(detail.constraint());
            } else {
                message.append('\'').append(detail.field()).append("' must be ").append(detail.constraint());
            }
            if (detail.value() != null) {
                message.append(" (got '").append(detail.value()).append("')");
            }
        }
        return new FrostbyteException(ErrorCode.CONFIG_INVALID, message.toString(), errors);
    }

    /** Whether the Qdrant adapter accepts {@code url} (checked here so a bad one stops start-up naming the key). */
    private static boolean qdrantUrl(String url) {
        try {
            return io.frostbyte.index.qdrant.QdrantVectorIndex.isGrpcUrl(new java.net.URI(url));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
