package io.frostbyte.postgres.audit;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Audit helpers for tests of any module (shipped in the test-jar). Thread-safe. */
public final class AuditTestSupport {
    private AuditTestSupport() {}

    /**
     * Every stored event of every chain as its JSON line ({@link AuditEventJson#toJson}), in chain and seq order, so a
     * test can assert that no fixture text (document content, PII, filenames, query text) reached the audit log.
     */
    public static List<String> allEventJson(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT " + AuditSql.EVENT_COLUMNS + " FROM audit_events ORDER BY tenant_id, seq")) {
            List<String> json = new ArrayList<>();
            while (rows.next()) {
                json.add(AuditEventJson.toJson(AuditSql.event(rows)));
            }
            return json;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read audit_events (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** A small valid draft for {@code tenant}: a batch event with the given details. */
    public static AuditEventDraft draft(TenantId tenant, EventType type, Map<String, Object> details) {
        return new AuditEventDraft(
                tenant, type, AuditEventDraft.SYSTEM, "batch", "batch-1", Optional.empty(), new TreeMap<>(details));
    }
}
