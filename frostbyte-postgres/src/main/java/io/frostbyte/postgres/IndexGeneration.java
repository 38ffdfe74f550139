package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One generation of a tenant's vector index as recorded in the control database (spec/04 §4.5).
 *
 * @param chunksTotal chunks a rebuild has to write into this generation (0 for a generation created empty)
 * @param chunksDone chunks written so far; equals {@code chunksTotal} once built
 * @param errorCode why a rebuild failed, for {@link Status#FAILED} only
 */
public record IndexGeneration(
        TenantId tenantId,
        int generation,
        IndexProfile profile,
        Status status,
        long chunksTotal,
        long chunksDone,
        Optional<String> errorCode,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> switchedAt,
        Optional<Instant> retiredAt) {
    /** Where a generation is in its life. */
    public enum Status {
        /** Being written by a rebuild; queries never read it. */
        BUILDING,
        /** The one generation queries and the pipeline use. */
        CURRENT,
        /** Replaced by a newer generation; its index is dropped. */
        RETIRED,
        /** A rebuild that did not finish; its index is dropped. */
        FAILED;

        static Status fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public IndexGeneration {
        requireNonNull(tenantId, "tenantId is null");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1: " + generation);
        }
        requireNonNull(profile, "profile is null");
        requireNonNull(status, "status is null");
        requireNonNull(errorCode, "errorCode is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(switchedAt, "switchedAt is null");
        requireNonNull(retiredAt, "retiredAt is null");
    }

    /** The generation part of {@code index_version} (spec/00): {@code g<generation>}. */
    public String indexVersion() {
        return "g" + generation;
    }
}
