package io.frostbyte.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static EffectiveConfig load(Map<String, String> env) {
        return ConfigLoader.load(Optional.empty(), env);
    }

    private EffectiveConfig loadYaml(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("frostbyte.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(Optional.of(file), env);
    }

    @Test
    void pins_the_embedded_defaults_of_spec_09() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("shape", "embedded");
        expected.put("server.role", "all");
        expected.put("server.port", 8080);
        expected.put("server.bind", "127.0.0.1");
        expected.put("server.allow_plaintext", true);
        expected.put("data_dir", "./frostbyte-data");
        expected.put("db.tenant_pool_size", 4);
        expected.put("objectstore.kind", "filesystem");
        expected.put("index.kind", "lucene");
        expected.put("embedding.profile", "minilm-384");
        expected.put("embedding.batch_size", 32);
        expected.put("embedding.max_concurrency", 4);
        expected.put("embedding.timeout_seconds", 30);
        expected.put("generation.answerer", "extractive");
        expected.put("generation.max_tokens", 800);
        expected.put("malware.required", false);
        expected.put("malware.clamd_port", 3310);
        expected.put("malware.timeout_seconds", 120);
        expected.put("malware.stream_max_mb", 1024);
        expected.put("intake.max_request_gb", 100);
        expected.put("parse.timeout_seconds", 300);
        expected.put("parse.max_heap_mb", 2048);
        expected.put("parse.max_pages", 2000);
        expected.put("parse.max_characters", 20_000_000);
        expected.put("parse.max_table_cells", 1_000_000);
        expected.put("parse.max_embedded_documents", 100);
        expected.put("parse.max_nesting_depth", 32);
        expected.put("parse.max_expansion_ratio", 100);
        expected.put("ocr.languages", "eng");
        expected.put("ocr.low_confidence_threshold", 0.7);
        expected.put("ocr.enabled", true);
        expected.put("ocr.dpi", 300);
        expected.put("ocr.page_timeout_seconds", 120);
        expected.put("workers.threads", 16);
        expected.put("workers.max_concurrent_per_tenant", 4);
        expected.put("workers.lease_seconds", 300);
        expected.put("auth.issuer", "frostbyte");
        expected.put("auth.jwt_algorithm", "EdDSA");
        expected.put("keys.retired_version_grace_days", 30);
        expected.put("audit.checkpoint_every_events", 1000);
        expected.put("audit.checkpoint_every_seconds", 300);
        expected.put("audit.retention_days", 2555);
        expected.put("provisioning.provisioner", "local");
        expected.put("provisioning.timeout_minutes", 30);
        expected.put("provisioning.hetzner.location", "nbg1");
        expected.put("backup.retention_days", 30);
        expected.put("logging.level", "INFO");
        expected.put("ratelimit.store", "memory");

        EffectiveConfig config = load(Map.of());

        expected.forEach((key, value) -> assertThat(config.value(key)).as(key).contains(value));
        assertThat(config.list("intake.enabled_types"))
                .containsExactlyElementsOf(ConfigSchema.DEFAULT_TYPES)
                .hasSize(7);
        assertThat(config.optionalString("db.url")).isEmpty();
        assertThat(config.optionalPath("keys.master_key_file")).isEmpty();
        assertThat(config.entries().values()).allMatch(e -> e.source().equals("default"));
    }

    @Test
    void every_key_is_described_and_maps_to_its_environment_variable() {
        for (ConfigKey key : ConfigSchema.keys()) {
            assertThat(key.description()).as(key.name()).isNotBlank();
            assertThat(key.environmentVariable())
                    .isEqualTo("FROSTBYTE_"
                            + key.name().toUpperCase(java.util.Locale.ROOT).replace(".", "__"));
        }
        assertThat(ConfigSchema.key("intake.max_request_gb").orElseThrow().environmentVariable())
                .isEqualTo("FROSTBYTE_INTAKE__MAX_REQUEST_GB");
        assertThat(ConfigSchema.key("data_dir").orElseThrow().environmentVariable())
                .isEqualTo("FROSTBYTE_DATA_DIR");
    }

    @Test
    void environment_overrides_the_file_and_the_defaults() throws IOException {
        EffectiveConfig config = loadYaml(
                "intake:\n  max_request_gb: 7\nserver:\n  port: 9000\n",
                Map.of("FROSTBYTE_INTAKE__MAX_REQUEST_GB", "5", "FROSTBYTE_DATA_DIR", "/srv/fb"));

        assertThat(config.integer("intake.max_request_gb")).isEqualTo(5);
        assertThat(config.entries().get("intake.max_request_gb").source()).isEqualTo("env");
        assertThat(config.integer("server.port")).isEqualTo(9000);
        assertThat(config.entries().get("server.port").source()).isEqualTo("file");
        assertThat(config.path("data_dir")).isEqualTo(Path.of("/srv/fb"));
    }

    @Test
    void shape_decides_the_shape_dependent_defaults() {
        EffectiveConfig config = load(Map.of(
                "FROSTBYTE_SHAPE",
                "scaled",
                "FROSTBYTE_DB__URL",
                "jdbc:postgresql://db:5432/frostbyte?user=fb&password=pw"));

        assertThat(config.string("server.bind")).isEqualTo("0.0.0.0");
        assertThat(config.bool("server.allow_plaintext")).isFalse();
        assertThat(config.bool("malware.required")).isTrue();
        assertThat(config.string("embedding.profile")).isEqualTo("openai-768");
        assertThat(config.string("ratelimit.store")).isEqualTo("postgres");
    }

    @Test
    void an_unknown_key_in_the_file_fails_naming_the_key() {
        assertThatThrownBy(() -> loadYaml("server:\n  prot: 9000\n", Map.of()))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("'server.prot'").contains("unknown configuration key");
                });
    }

    @Test
    void an_unknown_environment_variable_fails_naming_the_variable_but_client_variables_are_ignored() {
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_SERVER__PROT", "9000")))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .contains("FROSTBYTE_SERVER__PROT")
                            .contains("server.prot");
                });

        EffectiveConfig config = load(Map.of(
                "FROSTBYTE_URL",
                "http://x",
                "FROSTBYTE_TOKEN",
                "t",
                "FROSTBYTE_TEST_DB_URL",
                "jdbc:x",
                "PATH",
                "/bin"));
        assertThat(config.integer("server.port")).isEqualTo(8080);
    }

    @Test
    void invalid_values_fail_naming_the_key_and_the_rule() {
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_SERVER__PORT", "70000")))
                .hasMessageContaining("'server.port' must be between 0 and 65535")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_WORKERS__THREADS", "many")))
                .hasMessageContaining("'workers.threads' must be an integer");
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_SHAPE", "cloudy")))
                .hasMessageContaining("'shape' must be one of [embedded, scaled, offline]");
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_SERVER__ALLOW_PLAINTEXT", "yes")))
                .hasMessageContaining("'server.allow_plaintext' must be true or false");
        assertThatThrownBy(() ->
                        load(Map.of("FROSTBYTE_INTAKE__ENABLED_TYPES", "application/pdf,application/x-msdownload")))
                .hasMessageContaining("'intake.enabled_types'")
                .hasMessageContaining("application/x-msdownload");
    }

    @Test
    void a_malformed_file_fails_start_up() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server: [unclosed\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("config_file");
                });
    }

    @Test
    void qdrant_needs_an_http_or_https_url_with_a_host() {
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_INDEX__KIND", "qdrant")))
                .hasMessageContaining("'index.qdrant.url' must be required when index.kind is qdrant");
        for (String url : List.of("qdrant:6334", "ftp://qdrant.example", "http://", "http://[bad")) {
            assertThatThrownBy(
                            () -> load(Map.of("FROSTBYTE_INDEX__KIND", "qdrant", "FROSTBYTE_INDEX__QDRANT__URL", url)))
                    .as(url)
                    .hasMessageContaining("'index.qdrant.url'")
                    .hasMessageContaining("http://host[:port] or https://host[:port]");
        }
        assertThat(load(Map.of("FROSTBYTE_INDEX__KIND", "qdrant", "FROSTBYTE_INDEX__QDRANT__URL", "https://q.example"))
                        .string("index.qdrant.url"))
                .isEqualTo("https://q.example");
    }

    @Test
    void a_key_whose_feature_is_not_built_stops_start_up_unless_it_is_left_at_its_default() {
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_AUDIT__RETENTION_DAYS", "90")))
                .hasMessageContaining("'audit.retention_days' must be left at its default (2555): this build does not"
                        + " apply it; audit events are kept");
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_PROVISIONING__PROVISIONER", "hetzner")))
                .hasMessageContaining("'provisioning.provisioner' must be left at its default (local)");
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_AUDIT__CHECKPOINT_SINK", "s3://audit/checkpoints")))
                .hasMessageContaining("'audit.checkpoint_sink' must be left at its default (unset)")
                .hasMessageNotContaining("s3://audit");

        EffectiveConfig config =
                load(Map.of("FROSTBYTE_AUDIT__RETENTION_DAYS", "2555", "FROSTBYTE_PROVISIONING__PROVISIONER", "local"));
        assertThat(config.integer("audit.retention_days")).isEqualTo(2555);
        assertThat(ConfigSchema.NOT_APPLIED.keySet())
                .allSatisfy(key -> assertThat(ConfigSchema.key(key)).as(key).isPresent());
    }

    @Test
    void scaled_without_an_external_database_fails() {
        assertThatThrownBy(() -> load(Map.of("FROSTBYTE_SHAPE", "scaled")))
                .hasMessageContaining("'db.url' must be set: the scaled shape needs an external PostgreSQL");
    }

    @Test
    void hs256_needs_a_secret_of_at_least_64_bytes() {
        assertThatThrownBy(() ->
                        load(Map.of("FROSTBYTE_AUTH__JWT_ALGORITHM", "HS256", "FROSTBYTE_AUTH__JWT_SECRET", "short")))
                .hasMessageContaining("'auth.jwt_secret' must be at least 64 bytes")
                .hasMessageNotContaining("short");
        EffectiveConfig ok =
                load(Map.of("FROSTBYTE_AUTH__JWT_ALGORITHM", "HS256", "FROSTBYTE_AUTH__JWT_SECRET", "s".repeat(64)));
        assertThat(ok.string("auth.jwt_algorithm")).isEqualTo("HS256");
    }

    @Test
    void secrets_come_from_files_and_are_redacted_when_shown() throws IOException {
        Path secret = dir.resolve("db-url");
        Files.writeString(secret, "jdbc:postgresql://db:5432/frostbyte?user=fb&password=hunter2\n");
        EffectiveConfig config = load(Map.of("FROSTBYTE_DB__URL_FILE", secret.toString()));

        assertThat(config.string("db.url")).isEqualTo("jdbc:postgresql://db:5432/frostbyte?user=fb&password=hunter2");
        assertThat(config.entries().get("db.url").source()).isEqualTo("secret-file");
        String shown = config.render();
        assertThat(shown).contains("db.url: '***'").doesNotContain("hunter2");
        assertThat(shown).contains("server.port: 8080").contains("FROSTBYTE_SERVER__PORT");
    }

    @Test
    void a_secret_given_twice_fails() throws IOException {
        Path secret = dir.resolve("s");
        Files.writeString(secret, "x");
        assertThatThrownBy(() -> load(Map.of(
                        "FROSTBYTE_DB__URL_FILE", secret.toString(), "FROSTBYTE_DB__URL", "jdbc:postgresql://a/b")))
                .hasMessageContaining("db.url_file");
    }

    @Test
    void lists_come_from_yaml_sequences_or_comma_separated_environment_values() throws IOException {
        EffectiveConfig fromFile = loadYaml("intake:\n  enabled_types: [application/pdf, text/html]\n", Map.of());
        assertThat(fromFile.list("intake.enabled_types")).isEqualTo(List.of("application/pdf", "text/html"));
        EffectiveConfig fromEnv = load(Map.of("FROSTBYTE_INTAKE__ENABLED_TYPES", "text/plain, text/csv"));
        assertThat(fromEnv.list("intake.enabled_types")).isEqualTo(List.of("text/plain", "text/csv"));
    }

    @Test
    void the_typed_view_resolves_key_files_under_the_data_dir() {
        FrostbyteConfig config = FrostbyteConfig.from(load(Map.of("FROSTBYTE_DATA_DIR", "/srv/fb")));
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/fb"));
        assertThat(config.keys().masterKeyFile()).isEqualTo(Path.of("/srv/fb/keys/master.json"));
        assertThat(config.auth().jwtKeyFile()).isEqualTo(Path.of("/srv/fb/keys/jwt.jwk"));
        assertThat(config.auth().adminTokenFile()).isEqualTo(Path.of("/srv/fb/admin.token"));
        assertThat(config.server().role()).isEqualTo(FrostbyteConfig.Role.ALL);
        assertThat(config.sharedRateLimits()).isFalse();
    }
}
