package io.frostbyte.core.audit;

import java.sql.Connection;
import java.util.List;

/**
 * The append-only audit log (spec/06). Appends join the caller's transaction (AUD-1: the event commits with the state
 * change it records, or neither does) and are serialized per chain (AUD-2: {@code seq} has no gaps or duplicates).
 * Thread-safe.
 */
public interface AuditLog {
    /**
     * Appends one event to its tenant's chain inside {@code transaction}.
     *
     * @return the stored event with its {@code seq} and hashes
     * @throws io.frostbyte.core.FrostbyteException {@code SERVICE_UNAVAILABLE} when the log cannot be written; the
     *     caller's operation must fail with it
     */
    AuditEvent append(Connection transaction, AuditEventDraft draft);

    /** Appends several events in order, each to its own tenant's chain, inside {@code transaction}. */
    List<AuditEvent> appendAll(Connection transaction, List<AuditEventDraft> drafts);
}
