package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.job.Stage;
import java.util.Optional;

/** Which dead letters {@link PostgresDeadLetters#list} returns; an empty field matches everything. */
public record DeadLetterFilter(Optional<TenantId> tenantId, Optional<Stage> stage, Optional<DeadLetterStatus> status) {
    public static final DeadLetterFilter ALL =
            new DeadLetterFilter(Optional.empty(), Optional.empty(), Optional.empty());

    public DeadLetterFilter {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(status, "status is null");
    }

    public DeadLetterFilter withTenant(TenantId tenant) {
        return new DeadLetterFilter(Optional.of(tenant), stage, status);
    }

    public DeadLetterFilter withStage(Stage value) {
        return new DeadLetterFilter(tenantId, Optional.of(value), status);
    }

    public DeadLetterFilter withStatus(DeadLetterStatus value) {
        return new DeadLetterFilter(tenantId, stage, Optional.of(value));
    }
}
