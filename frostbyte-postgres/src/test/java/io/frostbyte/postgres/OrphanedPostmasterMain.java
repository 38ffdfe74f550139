package io.frostbyte.postgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run in a child JVM by {@link EmbeddedPostgresServerIT}: starts a server on the given directory, writes a row and dies
 * without running shutdown hooks, leaving its postmaster orphaned as a killed process would.
 */
public final class OrphanedPostmasterMain {
    private OrphanedPostmasterMain() {}

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
        try (Connection connection = server.superuserDataSource("postgres").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE survivor (note text)");
            statement.execute("INSERT INTO survivor VALUES ('written before the crash')");
        }
        System.out.println("READY " + server.port());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
