package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.util.Optional;

/** A chain's head: its last {@code seq} and hash, and its latest checkpoint if any. */
public record AuditChainHead(TenantId tenantId, long seq, String eventHash, Optional<AuditCheckpoint> lastCheckpoint) {
    public AuditChainHead {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(eventHash, "eventHash is null");
        requireNonNull(lastCheckpoint, "lastCheckpoint is null");
    }
}
