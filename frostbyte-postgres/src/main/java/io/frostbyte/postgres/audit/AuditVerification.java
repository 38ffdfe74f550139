package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import java.util.List;

/**
 * The result of verifying one chain (spec/06 AUD-5): every break, ordered by {@code seq}; valid when there is none.
 */
public record AuditVerification(
        TenantId tenantId, long eventsChecked, long checkpointsChecked, List<AuditBreak> breaks) {
    public AuditVerification {
        requireNonNull(tenantId, "tenantId is null");
        breaks = List.copyOf(requireNonNull(breaks, "breaks is null"));
    }

    public boolean hashChainValid() {
        return breaks.isEmpty();
    }

    /**
     * {@code {tenant_id, hash_chain_valid, events_checked, checkpoints_checked, breaks[{seq, kind, expected,
     * actual}]}}.
     */
    public ObjectNode toNode() {
        ObjectNode node = AuditEventJson.MAPPER.createObjectNode();
        node.put("tenant_id", tenantId.value());
        node.put("hash_chain_valid", hashChainValid());
        node.put("events_checked", eventsChecked);
        node.put("checkpoints_checked", checkpointsChecked);
        ArrayNode list = node.putArray("breaks");
        for (AuditBreak b : breaks) {
            ObjectNode item = list.addObject();
            item.put("seq", b.seq());
            item.put("kind", b.kind().wireName());
            item.put("expected", b.expected());
            item.put("actual", b.actual());
        }
        return node;
    }

    public String toJson() {
        try {
            return AuditEventJson.MAPPER.writeValueAsString(toNode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
