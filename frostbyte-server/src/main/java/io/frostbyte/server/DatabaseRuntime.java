package io.frostbyte.server;

import static java.util.Objects.requireNonNull;

import io.frostbyte.crypto.SecretFiles;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.EmbeddedPostgresServer;
import io.frostbyte.server.config.FrostbyteConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The control database of this process: external through {@code db.url}, or the embedded PostgreSQL under
 * {@code <data_dir>/postgres}. A client command on the same host reuses the embedded server a running
 * {@code frostbyte serve} started (its port is in {@code <data_dir>/run/postgres.port}) instead of starting a second
 * one on the same directory.
 */
public final class DatabaseRuntime implements AutoCloseable {
    private final Database database;
    private final Optional<EmbeddedPostgresServer> server;
    private final Optional<Path> portFile;
    private final io.frostbyte.postgres.JdbcUrl serverUrl;

    private DatabaseRuntime(
            Database database, Optional<EmbeddedPostgresServer> server, Optional<Path> portFile, String serverUrl) {
        this.database = requireNonNull(database, "database is null");
        this.server = server;
        this.portFile = portFile;
        this.serverUrl = io.frostbyte.postgres.JdbcUrl.parse(serverUrl);
    }

    /** Opens the database for {@code frostbyte serve}: starts the embedded server when no {@code db.url} is given. */
    public static DatabaseRuntime forServer(FrostbyteConfig config) {
        if (config.db().url().isPresent()) {
            return external(config);
        }
        Path portFile = config.dataDir().resolve("run").resolve("postgres.port");
        EmbeddedPostgresServer server =
                EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"));
        try {
            Database database = Database.embedded(server, config.db().poolSize());
            database.migrate();
            Files.createDirectories(portFile.getParent());
            SecretFiles.write(portFile, Integer.toString(server.port()).getBytes(StandardCharsets.UTF_8));
            return new DatabaseRuntime(database, Optional.of(server), Optional.of(portFile), server.superuserJdbcUrl());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot write " + portFile, e);
        }
    }

    /** Opens the database for a client command: a running embedded server if there is one, else its own. */
    public static DatabaseRuntime forClient(FrostbyteConfig config) {
        if (config.db().url().isPresent()) {
            return external(config);
        }
        Path portFile = config.dataDir().resolve("run").resolve("postgres.port");
        if (Files.isRegularFile(portFile)) {
            try {
                int port = Integer.parseInt(
                        Files.readString(portFile, StandardCharsets.UTF_8).strip());
                String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + Database.CONTROL_DATABASE + "?user=postgres";
                Database database = Database.connect(url, 2);
                database.ping();
                return new DatabaseRuntime(database, Optional.empty(), Optional.empty(), url);
            } catch (IOException | RuntimeException e) {
                // not running any more: start our own below
            }
        }
        EmbeddedPostgresServer server =
                EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"));
        try {
            Database database = Database.embedded(server, 2);
            database.migrate();
            return new DatabaseRuntime(database, Optional.of(server), Optional.empty(), server.superuserJdbcUrl());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static DatabaseRuntime external(FrostbyteConfig config) {
        Database database =
                Database.connect(config.db().url().orElseThrow(), config.db().poolSize());
        database.migrate();
        return new DatabaseRuntime(
                database, Optional.empty(), Optional.empty(), config.db().url().orElseThrow());
    }

    /** The server's URL (superuser or owner credentials), from which tenant database URLs are derived. */
    public io.frostbyte.postgres.JdbcUrl serverUrl() {
        return serverUrl;
    }

    public Database database() {
        return database;
    }

    public boolean embedded() {
        return server.isPresent();
    }

    @Override
    public void close() {
        database.close();
        portFile.ifPresent(file -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort: a stale port file is detected by the next client
            }
        });
        server.ifPresent(EmbeddedPostgresServer::close);
    }
}
