package io.frostbyte.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done with one JDBC connection inside a transaction that the caller of {@link Database#inTransaction} owns:
 * the work must neither commit, roll back nor close the connection.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
