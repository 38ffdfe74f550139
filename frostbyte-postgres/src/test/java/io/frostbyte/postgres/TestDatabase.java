package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A migrated database made for one test class by {@link PostgresTestSupport#freshDatabase()}, with its pool. Closing it
 * closes the pool and drops the database.
 */
public final class TestDatabase implements AutoCloseable {
    private final String name;
    private final JdbcUrl url;
    private final Database database;

    TestDatabase(String name, JdbcUrl url, Database database) {
        this.name = requireNonNull(name, "name is null");
        this.url = requireNonNull(url, "url is null");
        this.database = requireNonNull(database, "database is null");
    }

    public String name() {
        return name;
    }

    /** The superuser URL of this database. */
    public JdbcUrl url() {
        return url;
    }

    public Database database() {
        return database;
    }

    /** The application pool: sessions run as {@value Database#APP_ROLE}. */
    public DataSource dataSource() {
        return database.dataSource();
    }

    /** The superuser (schema owner) data source, for what the application role may not do. */
    public DataSource adminDataSource() {
        return database.adminDataSource();
    }

    /** Runs statements in one transaction as the superuser, e.g. to reset tables between tests. */
    public void execute(String... statements) {
        Jdbc.inTransaction(database.adminDataSource(), connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }

    /** Reads one long as the superuser, e.g. a count. */
    public long queryLong(String sql) {
        return Jdbc.inTransaction(database.adminDataSource(), connection -> {
            try (Statement statement = connection.createStatement();
                    var rows = statement.executeQuery(sql)) {
                if (!rows.next()) {
                    throw new SQLException("no row");
                }
                return rows.getLong(1);
            }
        });
    }

    /** A superuser connection; the caller closes it. */
    public Connection adminConnection() throws SQLException {
        return database.adminDataSource().getConnection();
    }

    /** An application-pool connection outside the transaction helper; the caller closes it. */
    public Connection connection() throws SQLException {
        return database.dataSource().getConnection();
    }

    @Override
    public void close() {
        database.close();
        PostgresTestSupport.drop(name);
    }
}
