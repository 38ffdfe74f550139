package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Scans every stored audit event (actor, resource id, details) for texts that must never be there. */
final class AuditContent {
    private AuditContent() {}

    static List<String> allEvents(DataSource dataSource) throws SQLException {
        List<String> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(
                        "SELECT actor || '|' || resource_id || '|' || details::text FROM audit_events")) {
            while (rows.next()) {
                events.add(rows.getString(1));
            }
        }
        return events;
    }

    /** Fails when any event holds any of the fixture texts (reasons, names, e-mails, tokens, passwords). */
    static void assertNoneContains(DataSource dataSource, String... fixtures) throws SQLException {
        for (String event : allEvents(dataSource)) {
            for (String fixture : fixtures) {
                assertThat(event).as("an audit event holds a fixture text").doesNotContain(fixture);
            }
        }
    }
}
