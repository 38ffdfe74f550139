package io.frostbyte.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;

/**
 * Keeps an admin's free-text reason in {@code tenant_admin_notes} (deletable, removed with the tenant's control rows)
 * and hands back its SHA-256, which is all an audit event may carry (spec/06 §6.2 {@code reason_sha256}). Thread-safe.
 */
public final class PostgresAdminNotes {
    /** Longest reason accepted, as for the tenant lifecycle's reasons. */
    public static final int MAX_REASON_CHARS = 500;

    private final Clock clock;
    private final Uuid7 ids;

    public PostgresAdminNotes(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.ids = new Uuid7(clock);
    }

    /**
     * Stores the reason inside the caller's transaction (neither committed nor closed here).
     *
     * @param action what the reason was given for, e.g. {@code dlq_retry}
     * @return the reason's SHA-256, lower-case hex
     * @throws FrostbyteException {@code VALIDATION_ERROR} for a blank reason or one over {@value #MAX_REASON_CHARS}
     *     characters
     */
    public String record(Connection transaction, TenantId tenantId, String action, String reason, String actor) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(action, "action is null");
        requireNonNull(actor, "actor is null");
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_CHARS) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "reason must have 1 to " + MAX_REASON_CHARS + " characters",
                    List.of(new FrostbyteException.ErrorDetail(
                            "reason", null, "1.." + MAX_REASON_CHARS + " characters")));
        }
        String sha = PostgresTenantLifecycle.sha256Hex(reason.getBytes(UTF_8));
        return Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tenant_admin_notes (note_id,"
                    + " tenant_id, action, reason, reason_sha256, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, ids.next());
                insert.setString(2, tenantId.value());
                insert.setString(3, action);
                insert.setString(4, reason);
                insert.setString(5, sha);
                insert.setString(6, actor);
                Jdbc.setInstant(insert, 7, clock.instant());
                insert.executeUpdate();
            }
            return sha;
        });
    }
}
