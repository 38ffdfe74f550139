package io.frostbyte.postgres;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.sql.DataSource;

/** JDBC plumbing shared by the PostgreSQL adapters (control database and audit plane). */
public final class Jdbc {
    private Jdbc() {}

    /** Runs the work in one transaction: commits when it returns, rolls back when it throws. */
    public static <T> T inTransaction(DataSource dataSource, SqlWork<T> work) {
        return inTransaction(dataSource, false, work);
    }

    /** As {@link #inTransaction(DataSource, SqlWork)}, optionally read-only (e.g. one consistent snapshot to verify). */
    public static <T> T inTransaction(DataSource dataSource, boolean readOnly, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            if (readOnly) {
                connection.setReadOnly(true);
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Throwable e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                if (readOnly) {
                    restoreReadOnly(connection);
                }
                restoreAutoCommit(connection, autoCommit);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Runs the work on a connection in auto-commit mode: each statement commits on its own, with no {@code BEGIN} and
     * {@code COMMIT} round trips; for work that is a single statement.
     */
    public static <T> T autoCommitted(DataSource dataSource, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            try {
                return work.run(connection);
            } finally {
                if (!autoCommit) {
                    restoreAutoCommit(connection, false);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs the work on the caller's connection, mapping SQL failures. */
    public static <T> T onConnection(Connection connection, SqlWork<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * A content-free {@link FrostbyteException} for a database failure: connection trouble, serialization failures
     * and deadlocks are retriable ({@code SERVICE_UNAVAILABLE}), everything else is {@code INTERNAL_ERROR}. Only the
     * SQLState is kept in the message; the driver's message may quote values.
     */
    public static FrostbyteException failure(SQLException e) {
        String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
        boolean transientFailure = state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57P")
                || state.equals("40001")
                || state.equals("40P01");
        return new FrostbyteException(
                transientFailure ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR,
                "control database error (SQLState " + state + ")",
                e);
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    static boolean isForeignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState());
    }

    /** PostgreSQL keeps microseconds; truncating first keeps what is written and what is compared identical. */
    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC));
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Optional<Instant> optionalInstant(ResultSet rows, String column) throws SQLException {
        return Optional.ofNullable(instant(rows, column));
    }

    static Array textArray(Connection connection, Iterable<String> values) throws SQLException {
        java.util.List<String> list = new java.util.ArrayList<>();
        values.forEach(list::add);
        return connection.createArrayOf("text", list.toArray(String[]::new));
    }

    /** Reads a string map written as two parallel text arrays (keys and values in key order). */
    static SortedMap<String, String> stringMap(ResultSet rows, String keysColumn, String valuesColumn)
            throws SQLException {
        Array keys = rows.getArray(keysColumn);
        Array values = rows.getArray(valuesColumn);
        SortedMap<String, String> map = new TreeMap<>();
        if (keys == null || values == null) {
            return Collections.unmodifiableSortedMap(map);
        }
        String[] k = (String[]) keys.getArray();
        String[] v = (String[]) values.getArray();
        for (int i = 0; i < k.length; i++) {
            map.put(k[i], v[i]);
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /** SQL expressions reading a jsonb string map as two text arrays in key order. */
    static String mapKeysSql(String column) {
        return "ARRAY(SELECT e.key FROM jsonb_each_text(" + column + ") AS e ORDER BY e.key)";
    }

    static String mapValuesSql(String column) {
        return "ARRAY(SELECT e.value FROM jsonb_each_text(" + column + ") AS e ORDER BY e.key)";
    }

    static void bindMap(Connection connection, PreparedStatement statement, int keysIndex, Map<String, String> map)
            throws SQLException {
        SortedMap<String, String> sorted = new TreeMap<>(map);
        statement.setArray(keysIndex, textArray(connection, sorted.keySet()));
        statement.setArray(keysIndex + 1, textArray(connection, sorted.values()));
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreReadOnly(Connection connection) {
        try {
            connection.setReadOnly(false);
        } catch (SQLException ignored) {
            // the pool validates and discards a broken connection
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException ignored) {
            // the pool validates and discards a broken connection
        }
    }
}
