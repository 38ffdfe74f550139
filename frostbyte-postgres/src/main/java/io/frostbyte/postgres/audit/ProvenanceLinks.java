package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Provenance links between processing stages (spec/06 §6.3): a stage's event points at the previous stage's event by
 * {@code previous_event_id} and its {@code details.input_hash} equals that event's {@code details.output_hash}.
 *
 * <p>A provenance event is one whose {@code details} carry an {@code output_hash}. Lookups run on the caller's
 * connection (use the transaction the stage appends its event in, so the link and the append see the same chain).
 * Stateless and thread-safe.
 */
public final class ProvenanceLinks {
    /** {@code sha256:} followed by 64 lowercase hex digits. */
    public static final Pattern HASH_REF = Pattern.compile("^sha256:[0-9a-f]{64}$");

    private static final String LATEST = """
            SELECT event_id, event_type, seq, details->>'output_hash'
            FROM audit_events
            WHERE tenant_id = ? AND resource_id = ? AND details->>'output_hash' IS NOT NULL
            ORDER BY seq DESC
            LIMIT 1
            """;

    private ProvenanceLinks() {}

    /** The latest provenance event of a resource, as far as a link needs it. */
    public record ProvenanceEvent(UUID eventId, EventType eventType, long seq, String outputHash) {
        public ProvenanceEvent {
            requireNonNull(eventId, "eventId is null");
            requireNonNull(eventType, "eventType is null");
            requireNonNull(outputHash, "outputHash is null");
        }
    }

    /** The provenance event of {@code resourceId} with the highest {@code seq} in the tenant's chain, if any. */
    public static Optional<ProvenanceEvent> latestProvenanceEvent(
            Connection connection, TenantId tenantId, String resourceId) {
        requireNonNull(connection, "connection is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(resourceId, "resourceId is null");
        return AuditSql.onConnection(connection, c -> {
            try (PreparedStatement select = c.prepareStatement(LATEST)) {
                select.setString(1, tenantId.value());
                select.setString(2, resourceId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new ProvenanceEvent(
                            UUID.fromString(rows.getString(1)),
                            EventType.valueOf(rows.getString(2)),
                            rows.getLong(3),
                            rows.getString(4)));
                }
            }
        });
    }

    /**
     * The draft linked to the latest provenance event of {@code predecessorResourceId} (the same document, or the file
     * for the first stage after intake): {@code previous_event_id} is that event, {@code details.input_hash} its
     * {@code output_hash}, and {@code details.output_hash} the given one.
     *
     * @param outputHash {@code sha256:<64 hex>} of what this stage produced
     * @throws FrostbyteException {@code RESOURCE_NOT_READY} when the predecessor has no provenance event yet
     */
    public static AuditEventDraft linked(
            Connection connection, AuditEventDraft draft, String predecessorResourceId, String outputHash) {
        requireNonNull(draft, "draft is null");
        requireHashRef(outputHash, "outputHash");
        ProvenanceEvent predecessor = latestProvenanceEvent(connection, draft.tenantId(), predecessorResourceId)
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.RESOURCE_NOT_READY, "resource has no provenance event to link to"));
        return linkedTo(draft, predecessor, outputHash);
    }

    /** The draft linked to a known predecessor (see {@link #linked}). */
    public static AuditEventDraft linkedTo(AuditEventDraft draft, ProvenanceEvent predecessor, String outputHash) {
        requireNonNull(draft, "draft is null");
        requireNonNull(predecessor, "predecessor is null");
        requireHashRef(outputHash, "outputHash");
        TreeMap<String, Object> details = new TreeMap<>(draft.details());
        details.put("input_hash", predecessor.outputHash());
        details.put("output_hash", outputHash);
        return new AuditEventDraft(
                draft.tenantId(),
                draft.eventType(),
                draft.actor(),
                draft.resourceType(),
                draft.resourceId(),
                Optional.of(predecessor.eventId()),
                details);
    }

    /** {@code sha256:<hex>} of a 32-byte digest. */
    public static String hashRef(byte[] sha256Digest) {
        requireNonNull(sha256Digest, "sha256Digest is null");
        if (sha256Digest.length != 32) {
            throw new IllegalArgumentException("a sha256 digest has 32 bytes: " + sha256Digest.length);
        }
        return "sha256:" + HexFormat.of().formatHex(sha256Digest);
    }

    /** {@code sha256:<hex>} of the sha256 of some bytes. */
    public static String hashRefOf(byte[] content) {
        return hashRef(AuditEventJson.sha256().digest(requireNonNull(content, "content is null")));
    }

    private static void requireHashRef(String hash, String name) {
        requireNonNull(hash, name + " is null");
        if (!HASH_REF.matcher(hash).matches()) {
            throw new IllegalArgumentException(name + " must be sha256:<64 lowercase hex digits>");
        }
    }
}
