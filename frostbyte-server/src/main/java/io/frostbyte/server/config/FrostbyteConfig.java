package io.frostbyte.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The typed view of the configuration the composition root hands out, one record per area. Components take these
 * values in their constructors, never the whole configuration.
 */
public record FrostbyteConfig(
        EffectiveConfig effective,
        Shape shape,
        Server server,
        Path dataDir,
        Db db,
        Workers workers,
        Auth auth,
        Keys keys,
        Intake intake,
        String loggingLevel,
        boolean sharedRateLimits) {
    public enum Role {
        API,
        WORKER,
        ALL;

        public boolean runsApi() {
            return this != WORKER;
        }

        public boolean runsWorkers() {
            return this != API;
        }
    }

    public record Server(Role role, String bind, int port, boolean allowPlaintext, Optional<String> metricsBind) {}

    public record Db(Optional<String> url, int poolSize, int tenantPoolSize) {
        @Override
        public String toString() {
            return "Db[url=" + (url.isPresent() ? "***" : "embedded") + ", poolSize=" + poolSize + "]";
        }
    }

    public record Workers(int threads, int maxConcurrentPerTenant, Duration lease) {}

    public record Auth(
            String issuer, String algorithm, Path jwtKeyFile, Optional<String> jwtSecret, Path adminTokenFile) {
        @Override
        public String toString() {
            return "Auth[issuer=" + issuer + ", algorithm=" + algorithm + ", jwtKeyFile=" + jwtKeyFile + "]";
        }
    }

    public record Keys(Path masterKeyFile, Path signingKeyFile, Path auditKeyFile) {}

    public record Intake(List<String> enabledTypes, int maxRequestGb, int maxFileSizeMb) {
        public Intake {
            enabledTypes = List.copyOf(enabledTypes);
        }
    }

    public FrostbyteConfig {
        requireNonNull(effective, "effective is null");
        requireNonNull(shape, "shape is null");
        requireNonNull(server, "server is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(db, "db is null");
        requireNonNull(workers, "workers is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(keys, "keys is null");
        requireNonNull(intake, "intake is null");
        requireNonNull(loggingLevel, "loggingLevel is null");
    }

    public static FrostbyteConfig from(EffectiveConfig config) {
        Path dataDir = config.path("data_dir").toAbsolutePath().normalize();
        Path keysDir = dataDir.resolve("keys");
        return new FrostbyteConfig(
                config,
                config.shape(),
                new Server(
                        Role.valueOf(config.string("server.role").toUpperCase(java.util.Locale.ROOT)),
                        config.string("server.bind"),
                        config.integer("server.port"),
                        config.bool("server.allow_plaintext"),
                        config.optionalString("metrics.bind")),
                dataDir,
                new Db(
                        config.optionalString("db.url"),
                        config.integer("db.pool_size"),
                        config.integer("db.tenant_pool_size")),
                new Workers(
                        config.integer("workers.threads"),
                        config.integer("workers.max_concurrent_per_tenant"),
                        Duration.ofSeconds(config.integer("workers.lease_seconds"))),
                new Auth(
                        config.string("auth.issuer"),
                        config.string("auth.jwt_algorithm"),
                        config.optionalPath("auth.jwt_key_file").orElse(keysDir.resolve("jwt.jwk")),
                        config.optionalString("auth.jwt_secret"),
                        config.optionalPath("auth.admin_token_file").orElse(dataDir.resolve("admin.token"))),
                new Keys(
                        config.optionalPath("keys.master_key_file").orElse(keysDir.resolve("master.json")),
                        config.optionalPath("signing.key_file").orElse(keysDir.resolve("signing.jwk")),
                        config.optionalPath("audit.key_file").orElse(keysDir.resolve("audit.jwk"))),
                new Intake(config.list("intake.enabled_types"), config.integer("intake.max_request_gb"), 500),
                config.string("logging.level"),
                config.string("ratelimit.store").equals("postgres"));
    }
}
