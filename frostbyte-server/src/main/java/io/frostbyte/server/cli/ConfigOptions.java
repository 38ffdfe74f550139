package io.frostbyte.server.cli;

import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.EffectiveConfig;
import io.frostbyte.server.config.FrostbyteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the configuration comes from: {@code --config FILE}, else {@code FROSTBYTE_CONFIG}, else
 * {@code ./frostbyte.yaml} when it exists; then {@code FROSTBYTE_*} environment overrides.
 */
public final class ConfigOptions {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Configuration file (default: $FROSTBYTE_CONFIG or ./frostbyte.yaml if present).")
    Path file;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Overrides data_dir.")
    Path dataDir;

    private final Map<String, String> environment;

    public ConfigOptions() {
        this(System.getenv());
    }

    ConfigOptions(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Optional<Path> configFile() {
        if (file != null) {
            return Optional.of(file);
        }
        String fromEnvironment = environment.get("FROSTBYTE_CONFIG");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(Path.of(fromEnvironment));
        }
        Path local = Path.of("frostbyte.yaml");
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    EffectiveConfig effective(Map<String, String> extraOverrides) {
        Map<String, String> merged = new HashMap<>(environment);
        if (dataDir != null) {
            merged.put("FROSTBYTE_DATA_DIR", dataDir.toString());
        }
        merged.putAll(extraOverrides);
        return ConfigLoader.load(configFile(), merged);
    }

    FrostbyteConfig load(Map<String, String> extraOverrides) {
        return FrostbyteConfig.from(effective(extraOverrides));
    }
}
