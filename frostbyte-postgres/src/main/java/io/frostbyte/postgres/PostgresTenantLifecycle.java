package io.frostbyte.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import io.frostbyte.core.tenant.PlatformLimits;
import io.frostbyte.core.tenant.ProvisioningReport;
import io.frostbyte.core.tenant.ProvisioningReport.StepProgress;
import io.frostbyte.core.tenant.ProvisioningReport.StepStatus;
import io.frostbyte.core.tenant.ProvisioningSchedule;
import io.frostbyte.core.tenant.ProvisioningStep;
import io.frostbyte.core.tenant.StateChange;
import io.frostbyte.core.tenant.TenantAction;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.core.tenant.TenantConfig.ConfigChange;
import io.frostbyte.core.tenant.TenantPage;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.core.tenant.TenantRegistration;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.Tier;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.erdtman.jcs.JsonCanonicalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant lifecycle of spec/07 §7.1-7.4 on the control database: registration, provisioning with pluggable {@link
 * ProvisioningStep}s, configuration updates, the kill-switch, token revocation and the deprovision cascade ending in a
 * signed deletion receipt.
 *
 * <p><b>Transactions.</b> Every state change commits in one transaction with its audit event (appended through the
 * {@link AuditLog} port on the same connection, AUD-1), the admin reason's note (the event carries {@code
 * reason_sha256} only) and a {@code NOTIFY} {@value PostgresTenantRegistry#CHANNEL}. The state is read {@code FOR
 * UPDATE}, so concurrent calls on one tenant serialize and the loser sees the new state ({@code
 * INVALID_STATE_TRANSITION}). If the audit append fails, nothing changes.
 *
 * <p><b>Long work.</b> {@link #provision}, {@link #retry}, {@link #abandon} and {@link #deprovision} commit their
 * first transition and return; the steps then run on the {@link Executor} given to the constructor (the API answers 202).
 * Each step is attempted up to {@link ProvisioningSchedule#maxAttempts()} times with the schedule's pauses; provisioning
 * progress is recorded per step and attempt in {@code tenant_provisioning_steps}. A node that dies mid-run leaves the
 * tenant in {@code PROVISIONING} or {@code DEPROVISIONING}; picking such runs up again is not implemented yet.
 *
 * <p><b>Deprovisioning</b> runs, in order: epoch + 1 and {@code DEPROVISIONING}; the tenant's queued jobs deleted
 * (running jobs keep their lease and are not claimed again, since only {@code ACTIVE} tenants are claimed; they are
 * deleted with the control rows); every step's {@link ProvisioningStep#deprovision} then {@link
 * ProvisioningStep#verifyGone} in step order (the {@value ProvisioningStep#KEYS} step first, so the crypto-shred
 * precedes the rest; TENANT_KEYS_SHREDDED right after it); the tenant's control rows (jobs, dead letters, provisioning
 * progress, secrets, admin notes; never audit) deleted and verified; and the {@code DEPROVISIONED} tombstone with the
 * signed deletion receipt. The tombstone keeps no contact e-mail and an empty {@code pii_allowlist}.
 *
 * <p>Thread-safe.
 */
public final class PostgresTenantLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTenantLifecycle.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String CONTROL_METADATA = "control_metadata";
    private static final String PROVISIONER = "local";
    private static final int MAX_REASON_CHARS = 2000;

    private static final String RECORD_COLUMNS = "tenant_id, tenant_name, contact_email, state, tier, config::text AS"
            + " config_json, config_version, key_epoch, embedding_halted, created_at, updated_at, provisioned_at,"
            + " deletion_receipt::text AS receipt_json, provisioning_attempt, failure_kind, leftovers::text AS"
            + " leftovers_json, deprovision_requested_at, deletion_receipt_id";

    /**
     * Deployment values the lifecycle needs.
     *
     * @param backupRetentionDays {@code backup.retention_days}: stated in deletion receipts as {@code
     *     backup_copies_expire_by}
     */
    public record Settings(PlatformLimits limits, ProvisioningSchedule schedule, int backupRetentionDays) {
        public Settings {
            requireNonNull(limits, "limits is null");
            requireNonNull(schedule, "schedule is null");
            if (backupRetentionDays < 0) {
                throw new IllegalArgumentException("backupRetentionDays must be >= 0: " + backupRetentionDays);
            }
        }
    }

    private final DataSource dataSource;
    private final AuditLog audit;
    private final Signer signer;
    private final List<ProvisioningStep> steps;
    private final Settings settings;
    private final Executor executor;
    private final Consumer<TenantId> releaseTenant;
    private final Clock clock;
    private final Uuid7 uuids;

    /**
     * @param dataSource the control database (application role)
     * @param steps the provisioning steps in run order, names unique
     * @param executor runs provisioning and deprovisioning after the first transition committed; {@code Runnable::run}
     *     runs them in the caller's thread
     * @param releaseTenant called after a suspension and when deprovisioning starts, to close the tenant's pools (e.g.
     *     {@link TenantDatabases#close(TenantId)}); must not throw
     */
    public PostgresTenantLifecycle(
            DataSource dataSource,
            AuditLog audit,
            Signer signer,
            List<ProvisioningStep> steps,
            Settings settings,
            Executor executor,
            Consumer<TenantId> releaseTenant,
            Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.steps = List.copyOf(requireNonNull(steps, "steps is null"));
        if (this.steps.stream().map(ProvisioningStep::name).distinct().count() != this.steps.size()) {
            throw new IllegalArgumentException("step names must be unique");
        }
        this.steps.forEach(step -> {
            if (!step.name().matches("[a-z][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("step name must be lower snake_case: " + step.name());
            }
        });
        this.settings = requireNonNull(settings, "settings is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.releaseTenant = requireNonNull(releaseTenant, "releaseTenant is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uuids = new Uuid7(clock);
    }

    // ------------------------------------------------------------------------------------------------ registration

    /**
     * Registers a tenant in {@code PENDING} with key epoch 1, config version 1 and the tier's defaults overlaid with
     * the registration's partial config; TENANT_CREATED {@code {tier, config_version}}.
     *
     * @throws FrostbyteException {@code TENANT_ALREADY_EXISTS} when the id was ever used (tombstones included),
     *     {@code VALIDATION_ERROR} for a bad config or an id that cannot be derived from the name
     */
    public TenantRecord create(TenantRegistration registration, String actor) {
        requireNonNull(registration, "registration is null");
        requireNonNull(actor, "actor is null");
        TenantId tenantId = registration.resolvedId();
        TenantConfig config = TenantConfig.defaults(registration.tier(), settings.limits())
                .withChanges(registration.config(), settings.limits());
        Instant now = clock.instant();
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO tenants (tenant_id, tenant_name, contact_email, state, tier, key_epoch,
                                         embedding_halted, config, config_version, created_at, updated_at)
                    VALUES (?, ?, ?, 'PENDING', ?, 1, false, ?::jsonb, 1, ?, ?)
                    ON CONFLICT (tenant_id) DO NOTHING
                    """)) {
                insert.setString(1, tenantId.value());
                insert.setString(2, registration.tenantName());
                insert.setString(3, registration.contactEmail());
                insert.setString(4, registration.tier().wire());
                insert.setString(5, json(config.toMap()));
                Jdbc.setInstant(insert, 6, now);
                Jdbc.setInstant(insert, 7, now);
                if (insert.executeUpdate() == 0) {
                    throw new FrostbyteException(
                            ErrorCode.TENANT_ALREADY_EXISTS, "tenant " + tenantId + " already exists or existed");
                }
            }
            append(connection, tenantId, EventType.TENANT_CREATED, actor, "tenant-manager", details -> {
                details.put("tier", registration.tier().wire());
                details.put("config_version", 1);
            });
            notifyChange(connection, tenantId);
            return load(connection, tenantId, false).record();
        });
    }

    // ------------------------------------------------------------------------------------------------ reads

    /** The tenant's full record; empty when the id was never registered. */
    public Optional<TenantRecord> find(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        if (tenantId.isPlatform()) {
            return Optional.empty();
        }
        return Jdbc.inTransaction(dataSource, connection -> findRow(connection, tenantId, false))
                .map(Row::record);
    }

    /**
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown tenant
     */
    public TenantRecord require(TenantId tenantId) {
        return find(tenantId).orElseThrow(() -> notFound(tenantId));
    }

    /**
     * One page of tenants ordered by id, optionally of one state; {@code _platform} is never listed.
     *
     * @param page 1-based
     * @param limit 1 to 100
     * @throws FrostbyteException {@code VALIDATION_ERROR} for a page below 1 or a limit outside 1..100
     */
    public TenantPage list(Optional<TenantState> state, int page, int limit) {
        requireNonNull(state, "state is null");
        List<FrostbyteException.ErrorDetail> errors = new ArrayList<>();
        if (page < 1) {
            errors.add(new FrostbyteException.ErrorDetail("page", page, ">= 1"));
        }
        if (limit < 1 || limit > 100) {
            errors.add(new FrostbyteException.ErrorDetail("limit", limit, "1..100"));
        }
        if (!errors.isEmpty()) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "invalid page", errors);
        }
        String filter = " WHERE tenant_id <> '_platform'" + (state.isPresent() ? " AND state = ?" : "");
        return Jdbc.inTransaction(dataSource, connection -> {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM tenants" + filter)) {
                if (state.isPresent()) {
                    count.setString(1, state.get().name());
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<TenantRecord> tenants = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + RECORD_COLUMNS + " FROM tenants"
                    + filter + " ORDER BY tenant_id COLLATE \"C\" LIMIT ? OFFSET ?")) {
                int index = 1;
                if (state.isPresent()) {
                    select.setString(index++, state.get().name());
                }
                select.setInt(index++, limit);
                select.setLong(index, (long) (page - 1) * limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tenants.add(row(rows).record());
                    }
                }
            }
            return new TenantPage(tenants, page, limit, total);
        });
    }

    /**
     * The latest provisioning attempt's steps and the current leftovers.
     *
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown tenant
     */
    public ProvisioningReport provisioningReport(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, false);
            List<StepProgress> progress = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT step, status, started_at,"
                    + " completed_at, error_code FROM tenant_provisioning_steps WHERE tenant_id = ? AND attempt = ?"
                    + " ORDER BY position")) {
                select.setString(1, tenantId.value());
                select.setInt(2, row.attempt());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        progress.add(new StepProgress(
                                rows.getString("step"),
                                StepStatus.valueOf(rows.getString("status").toUpperCase(java.util.Locale.ROOT)),
                                Jdbc.optionalInstant(rows, "started_at"),
                                Jdbc.optionalInstant(rows, "completed_at"),
                                Optional.ofNullable(rows.getString("error_code"))));
                    }
                }
            }
            return new ProvisioningReport(row.record().state(), row.attempt(), progress, row.leftovers());
        });
    }

    // ------------------------------------------------------------------------------------------------ provisioning

    /**
     * {@code PENDING → PROVISIONING} (TENANT_PROVISION_STARTED {@code {provisioner, attempt}}), then runs the steps on
     * the executor: {@code ACTIVE} (TENANT_PROVISIONED) or {@code FAILED} (TENANT_PROVISION_FAILED).
     *
     * @param reason optional admin reason
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} unless {@code PENDING}
     */
    public StateChange provision(TenantId tenantId, String actor, Optional<String> reason) {
        requireNonNull(reason, "reason is null");
        Instant now = clock.instant();
        Transition started = Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            TenantAction.PROVISION.target(row.record().state());
            int attempt = startAttempt(connection, tenantId, now);
            Optional<String> reasonSha = note(connection, tenantId, "provision", reason, actor, now);
            append(connection, tenantId, EventType.TENANT_PROVISION_STARTED, actor, "provisioner", details -> {
                details.put("provisioner", PROVISIONER);
                details.put("attempt", attempt);
                reasonSha.ifPresent(sha -> details.put("reason_sha256", sha));
            });
            notifyChange(connection, tenantId);
            return new Transition(row.record().state(), load(connection, tenantId, false), attempt);
        });
        executor.execute(() -> runProvisioning(tenantId, started.attempt()));
        return new StateChange(started.previous(), started.row().record(), now, List.of("provisioning_started"));
    }

    /**
     * {@code FAILED → PROVISIONING} after a provisioning failure: first every step's rollback runs again (idempotent)
     * so no leftovers remain, then TENANT_PROVISION_RETRY {@code {attempt, leftovers_cleaned}} and a new attempt from
     * step 1 on the executor.
     *
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} unless {@code FAILED} by a provisioning failure,
     *     {@code SERVICE_UNAVAILABLE} when leftovers could not be cleaned (the tenant stays {@code FAILED} with them)
     */
    public StateChange retry(TenantId tenantId, String actor, Optional<String> reason) {
        requireNonNull(reason, "reason is null");
        Row before = Jdbc.inTransaction(dataSource, connection -> load(connection, tenantId, false));
        checkRetryable(before);
        List<String> remaining = rollBack(tenantId, reversed(steps), -1);
        if (!remaining.isEmpty()) {
            Jdbc.inTransaction(dataSource, connection -> {
                setLeftovers(connection, tenantId, remaining);
                return null;
            });
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "leftovers of tenant " + tenantId + " could not be cleaned: " + String.join(", ", remaining));
        }
        Instant now = clock.instant();
        Transition started = Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            checkRetryable(row);
            int attempt = startAttempt(connection, tenantId, now);
            Optional<String> reasonSha = note(connection, tenantId, "retry", reason, actor, now);
            append(connection, tenantId, EventType.TENANT_PROVISION_RETRY, actor, "provisioner", details -> {
                details.put("attempt", attempt);
                details.put("leftovers_cleaned", row.leftovers());
                reasonSha.ifPresent(sha -> details.put("reason_sha256", sha));
            });
            notifyChange(connection, tenantId);
            return new Transition(TenantState.FAILED, load(connection, tenantId, false), attempt);
        });
        executor.execute(() -> runProvisioning(tenantId, started.attempt()));
        return new StateChange(
                TenantState.FAILED, started.row().record(), now, List.of("leftovers_cleaned", "provisioning_started"));
    }

    private static void checkRetryable(Row row) {
        TenantAction.RETRY.target(row.record().state());
        if (!"provisioning".equals(row.failureKind())) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION,
                    "tenant " + row.record().tenantId() + " failed while deprovisioning: only abandon is allowed");
        }
    }

    /** Sets PROVISIONING with a new attempt and its pending step rows; returns the attempt. */
    private int startAttempt(Connection connection, TenantId tenantId, Instant now) throws SQLException {
        int attempt;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE tenants SET state = 'PROVISIONING',"
                        + " provisioning_attempt = provisioning_attempt + 1, failure_kind = NULL, leftovers = '[]'::jsonb,"
                        + " last_provisioning_error = NULL, updated_at = ? WHERE tenant_id = ? RETURNING provisioning_attempt")) {
            Jdbc.setInstant(update, 1, now);
            update.setString(2, tenantId.value());
            try (ResultSet rows = update.executeQuery()) {
                rows.next();
                attempt = rows.getInt(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tenant_provisioning_steps"
                + " (tenant_id, attempt, position, step, status) VALUES (?, ?, ?, ?, 'pending')")) {
            for (int i = 0; i < steps.size(); i++) {
                insert.setString(1, tenantId.value());
                insert.setInt(2, attempt);
                insert.setInt(3, i);
                insert.setString(4, steps.get(i).name());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return attempt;
    }

    /** Runs every step of one attempt and commits ACTIVE or FAILED. Never throws. */
    void runProvisioning(TenantId tenantId, int attempt) {
        try {
            Map<String, Object> resources = new TreeMap<>();
            List<ProvisioningStep> done = new ArrayList<>();
            for (ProvisioningStep step : steps) {
                markStep(tenantId, attempt, step, StepStatus.RUNNING, null, null);
                AtomicReference<Map<String, String>> created = new AtomicReference<>(Map.of());
                Optional<String> failure = attempts(step, () -> {
                    created.set(step.provision(tenantId));
                    step.verify(tenantId);
                });
                if (failure.isPresent()) {
                    markStep(tenantId, attempt, step, StepStatus.FAILED, failure.get(), null);
                    List<ProvisioningStep> toUndo = new ArrayList<>(done);
                    toUndo.add(step);
                    List<String> leftovers = rollBack(tenantId, reversed(toUndo), attempt);
                    failProvisioning(tenantId, step.name(), failure.get(), leftovers);
                    return;
                }
                Map<String, String> stepResources = created.get() == null ? Map.of() : new TreeMap<>(created.get());
                markStep(tenantId, attempt, step, StepStatus.DONE, null, stepResources);
                stepResources.forEach(resources::put);
                done.add(step);
            }
            Instant now = clock.instant();
            Jdbc.inTransaction(dataSource, connection -> {
                Row row = load(connection, tenantId, true);
                TenantAction.PROVISIONED.target(row.record().state());
                try (PreparedStatement update = connection.prepareStatement("UPDATE tenants SET state = 'ACTIVE',"
                        + " provisioned_at = ?, updated_at = ? WHERE tenant_id = ?")) {
                    Jdbc.setInstant(update, 1, now);
                    Jdbc.setInstant(update, 2, now);
                    update.setString(3, tenantId.value());
                    update.executeUpdate();
                }
                append(connection, tenantId, EventType.TENANT_PROVISIONED, AuditEventDraft.SYSTEM, "provisioner", d -> {
                    d.put(
                            "stores_verified",
                            steps.stream().map(ProvisioningStep::name).toList());
                    d.put("resources", resources);
                    d.put("isolation_checks_passed", true);
                    d.put("attempt", attempt);
                });
                notifyChange(connection, tenantId);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error(
                    "provisioning of tenant {} could not record its outcome ({}); it stays in PROVISIONING",
                    tenantId,
                    e.getClass().getSimpleName());
        }
    }

    private void failProvisioning(TenantId tenantId, String failedStep, String errorCode, List<String> leftovers) {
        fail(
                tenantId,
                TenantAction.PROVISION_FAILED,
                "provisioning",
                EventType.TENANT_PROVISION_FAILED,
                "provisioner",
                failedStep,
                errorCode,
                leftovers);
    }

    private void failDeprovisioning(TenantId tenantId, String failedStep, String errorCode, List<String> leftovers) {
        fail(
                tenantId,
                TenantAction.DEPROVISION_FAILED,
                "deprovisioning",
                EventType.TENANT_DEPROVISION_FAILED,
                "tenant-manager",
                failedStep,
                errorCode,
                leftovers);
    }

    /** Moves the tenant to FAILED with its leftovers and the failed step, audited in the same transaction. */
    private void fail(
            TenantId tenantId,
            TenantAction action,
            String failureKind,
            EventType eventType,
            String component,
            String failedStep,
            String errorCode,
            List<String> leftovers) {
        Instant now = clock.instant();
        Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            action.target(row.record().state());
            try (PreparedStatement update = connection.prepareStatement("UPDATE tenants SET state = 'FAILED',"
                    + " failure_kind = ?, leftovers = ?::jsonb, last_provisioning_error = ?::jsonb,"
                    + " updated_at = ? WHERE tenant_id = ?")) {
                update.setString(1, failureKind);
                update.setString(2, json(leftovers));
                update.setString(3, json(Map.of("step", failedStep, "error_code", errorCode)));
                Jdbc.setInstant(update, 4, now);
                update.setString(5, tenantId.value());
                update.executeUpdate();
            }
            append(connection, tenantId, eventType, AuditEventDraft.SYSTEM, component, details -> {
                details.put("status", "failure");
                details.put("failed_step", failedStep);
                details.put("error_code", errorCode);
                details.put("leftovers", leftovers);
            });
            notifyChange(connection, tenantId);
            return null;
        });
    }

    /** Rolls back the steps in the given order; returns the names of those whose rollback failed. */
    private List<String> rollBack(TenantId tenantId, List<ProvisioningStep> order, int attempt) {
        List<String> leftovers = new ArrayList<>();
        for (ProvisioningStep step : order) {
            Optional<String> failure = attempts(step, () -> step.rollback(tenantId));
            if (failure.isPresent()) {
                leftovers.add(step.name());
            } else if (attempt > 0) {
                markRolledBack(tenantId, attempt, step);
            }
        }
        return List.copyOf(leftovers.reversed());
    }

    @FunctionalInterface
    private interface StepWork {
        void run() throws Exception;
    }

    /** Runs the work up to the schedule's attempts; empty on success, else the last failure's error code. */
    private Optional<String> attempts(ProvisioningStep step, StepWork work) {
        String errorCode = ErrorCode.INTERNAL_ERROR.name();
        for (int attempt = 1; attempt <= settings.schedule().maxAttempts(); attempt++) {
            if (attempt > 1) {
                try {
                    settings.schedule()
                            .pause()
                            .sleep(settings.schedule().delays().get(attempt - 2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.of(ErrorCode.SERVICE_UNAVAILABLE.name());
                }
            }
            try {
                work.run();
                return Optional.empty();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                errorCode = e instanceof FrostbyteException f ? f.code().name() : ErrorCode.INTERNAL_ERROR.name();
                LOG.warn(
                        "tenant step {} failed on attempt {} ({}, {})",
                        step.name(),
                        attempt,
                        errorCode,
                        e.getClass().getSimpleName());
            }
        }
        return Optional.of(errorCode);
    }

    private void markStep(
            TenantId tenantId,
            int attempt,
            ProvisioningStep step,
            StepStatus status,
            String errorCode,
            Map<String, String> resources) {
        Instant now = clock.instant();
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE tenant_provisioning_steps SET"
                    + " status = ?, tries = tries + CASE WHEN ? = 'running' THEN 1 ELSE 0 END,"
                    + " started_at = CASE WHEN ? = 'running' THEN ? ELSE started_at END,"
                    + " completed_at = CASE WHEN ? = 'running' THEN NULL ELSE ? END,"
                    + " error_code = ?, resources = coalesce(?::jsonb, resources)"
                    + " WHERE tenant_id = ? AND attempt = ? AND step = ?")) {
                String wire = status.wire();
                update.setString(1, wire);
                update.setString(2, wire);
                update.setString(3, wire);
                Jdbc.setInstant(update, 4, now);
                update.setString(5, wire);
                Jdbc.setInstant(update, 6, now);
                update.setString(7, errorCode);
                update.setString(8, resources == null ? null : json(resources));
                update.setString(9, tenantId.value());
                update.setInt(10, attempt);
                update.setString(11, step.name());
                update.executeUpdate();
            }
            return null;
        });
    }

    private void markRolledBack(TenantId tenantId, int attempt, ProvisioningStep step) {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE tenant_provisioning_steps SET"
                    + " status = 'rolled_back' WHERE tenant_id = ? AND attempt = ? AND step = ? AND status = 'done'")) {
                update.setString(1, tenantId.value());
                update.setInt(2, attempt);
                update.setString(3, step.name());
                update.executeUpdate();
            }
            return null;
        });
    }

    private static void setLeftovers(Connection connection, TenantId tenantId, List<String> leftovers)
            throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE tenants SET leftovers = ?::jsonb WHERE tenant_id = ?")) {
            update.setString(1, json(leftovers));
            update.setString(2, tenantId.value());
            update.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------------ config

    /** The result of a configuration update: the tenant as committed and what changed. */
    public record ConfigUpdate(TenantRecord tenant, List<ConfigChange> changes) {
        public ConfigUpdate {
            requireNonNull(tenant, "tenant is null");
            changes = List.copyOf(requireNonNull(changes, "changes is null"));
        }
    }

    /**
     * Applies a partial config and/or a new tier ({@code PATCH /admin/tenants/{t}}) in {@code ACTIVE} or {@code
     * SUSPENDED}: {@code config_version} + 1 and TENANT_CONFIG_UPDATED {@code {changes, config_version,
     * previous_config_version, reason_sha256}} ({@code pii_allowlist} as counts, thresholds as decimal strings). A
     * change of tier moves a default storage quota along ({@link TenantConfig#withTier}) and is listed as {@code tier}.
     * A patch that changes nothing commits nothing and returns no changes.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} naming every offending field, {@code
     *     INVALID_STATE_TRANSITION} in other states
     */
    public ConfigUpdate updateConfig(
            TenantId tenantId,
            Map<String, ?> partialConfig,
            Optional<Tier> tier,
            String actor,
            Optional<String> reason) {
        requireNonNull(partialConfig, "partialConfig is null");
        requireNonNull(tier, "tier is null");
        requireNonNull(reason, "reason is null");
        checkReason(reason);
        Instant now = clock.instant();
        return Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            TenantRecord current = row.record();
            TenantAction.UPDATE_CONFIG.target(current.state());
            Tier newTier = tier.orElse(current.tier());
            TenantConfig next = current.config()
                    .withChanges(partialConfig, settings.limits())
                    .withTier(current.tier(), newTier);
            List<ConfigChange> changes = new ArrayList<>();
            if (newTier != current.tier()) {
                changes.add(new ConfigChange("tier", current.tier().wire(), newTier.wire()));
            }
            changes.addAll(current.config().diff(next));
            if (changes.isEmpty()) {
                return new ConfigUpdate(current, List.of());
            }
            int version = current.configVersion() + 1;
            try (PreparedStatement update = connection.prepareStatement("UPDATE tenants SET config = ?::jsonb,"
                    + " config_version = ?, tier = ?, updated_at = ? WHERE tenant_id = ?")) {
                update.setString(1, json(next.toMap()));
                update.setInt(2, version);
                update.setString(3, newTier.wire());
                Jdbc.setInstant(update, 4, now);
                update.setString(5, tenantId.value());
                update.executeUpdate();
            }
            Optional<String> reasonSha = note(connection, tenantId, "update_config", reason, actor, now);
            append(connection, tenantId, EventType.TENANT_CONFIG_UPDATED, actor, "admin-api", d -> {
                d.put("changes", changes.stream().map(ConfigChange::toAuditMap).toList());
                d.put("config_version", version);
                d.put("previous_config_version", current.configVersion());
                d.put("reason_sha256", reasonSha.orElse(null));
            });
            notifyChange(connection, tenantId);
            return new ConfigUpdate(load(connection, tenantId, false).record(), changes);
        });
    }

    // ------------------------------------------------------------------------------------------------ kill-switch

    /**
     * TEN-1: in one transaction {@code ACTIVE → SUSPENDED}, key epoch + 1, TENANT_SUSPENDED {@code {previous_state,
     * key_epoch, jobs_paused, reason_sha256}} and {@code NOTIFY}. Queued jobs are kept and no longer claimed; running
     * ones finish. The tenant's pools are released after the commit.
     *
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} unless {@code ACTIVE}, {@code VALIDATION_ERROR}
     *     without a reason
     */
    public StateChange suspend(TenantId tenantId, String actor, String reason) {
        requireReason(reason);
        Instant now = clock.instant();
        StateChange change = Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            TenantState previous = row.record().state();
            TenantState target = TenantAction.SUSPEND.target(previous);
            long jobsPaused;
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT count(*) FROM jobs WHERE tenant_id = ? AND status IN ('queued', 'processing')")) {
                count.setString(1, tenantId.value());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    jobsPaused = rows.getLong(1);
                }
            }
            long epoch = setStateAndBumpEpoch(connection, tenantId, target, now);
            String reasonSha = note(connection, tenantId, "suspend", Optional.of(reason), actor, now)
                    .orElseThrow();
            append(connection, tenantId, EventType.TENANT_SUSPENDED, actor, "tenant-manager", d -> {
                d.put("previous_state", previous.name());
                d.put("key_epoch", epoch);
                d.put("jobs_paused", jobsPaused);
                d.put("reason_sha256", reasonSha);
            });
            notifyChange(connection, tenantId);
            return new StateChange(
                    previous,
                    load(connection, tenantId, false).record(),
                    now,
                    List.of("tokens_revoked", "jobs_paused", "api_blocked"));
        });
        releaseTenant.accept(tenantId);
        return change;
    }

    /**
     * TEN-5: {@code SUSPENDED → ACTIVE}, TENANT_RESUMED {@code {key_epoch, reason_sha256}}; the epoch is unchanged, so
     * tokens revoked by the suspension stay revoked.
     *
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} unless {@code SUSPENDED}
     */
    public StateChange resume(TenantId tenantId, String actor, String reason) {
        requireReason(reason);
        Instant now = clock.instant();
        return Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            TenantState previous = row.record().state();
            TenantState target = TenantAction.RESUME.target(previous);
            setState(connection, tenantId, target, now);
            String reasonSha = note(connection, tenantId, "resume", Optional.of(reason), actor, now)
                    .orElseThrow();
            append(connection, tenantId, EventType.TENANT_RESUMED, actor, "tenant-manager", d -> {
                d.put("key_epoch", row.record().keyEpoch());
                d.put("reason_sha256", reasonSha);
            });
            notifyChange(connection, tenantId);
            return new StateChange(
                    previous,
                    load(connection, tenantId, false).record(),
                    now,
                    List.of("jobs_resumed", "api_unblocked"));
        });
    }

    /**
     * Key epoch + 1 without a state change ({@code POST …/tokens/revoke-all}), TOKENS_REVOKED {@code {key_epoch,
     * reason_sha256}}; allowed in {@code ACTIVE} and {@code SUSPENDED}.
     *
     * @return the new epoch
     */
    public long revokeAllTokens(TenantId tenantId, String actor, String reason) {
        requireReason(reason);
        Instant now = clock.instant();
        return Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            TenantState target = TenantAction.REVOKE_TOKENS.target(row.record().state());
            long epoch = setStateAndBumpEpoch(connection, tenantId, target, now);
            String reasonSha = note(connection, tenantId, "revoke_tokens", Optional.of(reason), actor, now)
                    .orElseThrow();
            append(connection, tenantId, EventType.TOKENS_REVOKED, actor, "auth", d -> {
                d.put("key_epoch", epoch);
                d.put("reason_sha256", reasonSha);
            });
            notifyChange(connection, tenantId);
            return epoch;
        });
    }

    // ------------------------------------------------------------------------------------------------ deprovisioning

    /**
     * {@code ACTIVE}/{@code SUSPENDED → DEPROVISIONING} with epoch + 1 (TENANT_DEPROVISION_STARTED {@code
     * {previous_state, reason_sha256}}), then the cascade on the executor. Irreversible.
     *
     * @throws FrostbyteException {@code CONFIRMATION_MISMATCH} unless {@code confirm} and {@code confirmTenantId}
     *     equals the id, {@code INVALID_STATE_TRANSITION} in other states
     */
    public StateChange deprovision(
            TenantId tenantId, String actor, String reason, boolean confirm, String confirmTenantId) {
        requireNonNull(tenantId, "tenantId is null");
        if (!confirm || !tenantId.value().equals(confirmTenantId)) {
            throw confirmationMismatch(tenantId);
        }
        requireReason(reason);
        return startDeprovisioning(tenantId, actor, reason, TenantAction.DEPROVISION);
    }

    /**
     * {@code FAILED → DEPROVISIONING} (TENANT_ABANDONED {@code {previous_state, leftovers}}) after a provisioning or
     * deprovisioning failure, then the idempotent cascade on the executor.
     *
     * @throws FrostbyteException {@code CONFIRMATION_MISMATCH} unless {@code confirmTenantId} equals the id, {@code
     *     INVALID_STATE_TRANSITION} unless {@code FAILED}
     */
    public StateChange abandon(TenantId tenantId, String actor, String reason, String confirmTenantId) {
        requireNonNull(tenantId, "tenantId is null");
        if (!tenantId.value().equals(confirmTenantId)) {
            throw confirmationMismatch(tenantId);
        }
        requireReason(reason);
        return startDeprovisioning(tenantId, actor, reason, TenantAction.ABANDON);
    }

    private StateChange startDeprovisioning(TenantId tenantId, String actor, String reason, TenantAction action) {
        Instant now = clock.instant();
        StateChange change = Jdbc.inTransaction(dataSource, connection -> {
            Row row = load(connection, tenantId, true);
            TenantState previous = row.record().state();
            TenantState target = action.target(previous);
            setStateAndBumpEpoch(connection, tenantId, target, now);
            try (PreparedStatement update = connection.prepareStatement("UPDATE tenants SET failure_kind = NULL,"
                    + " deprovision_requested_at = coalesce(deprovision_requested_at, ?),"
                    + " deletion_receipt_id = coalesce(deletion_receipt_id, ?) WHERE tenant_id = ?")) {
                Jdbc.setInstant(update, 1, now);
                update.setObject(2, uuids.next());
                update.setString(3, tenantId.value());
                update.executeUpdate();
            }
            String reasonSha = note(
                            connection,
                            tenantId,
                            action.name().toLowerCase(java.util.Locale.ROOT),
                            Optional.of(reason),
                            actor,
                            now)
                    .orElseThrow();
            if (action == TenantAction.ABANDON) {
                append(connection, tenantId, EventType.TENANT_ABANDONED, actor, "tenant-manager", d -> {
                    d.put("previous_state", previous.name());
                    d.put("leftovers", row.leftovers());
                    d.put("reason_sha256", reasonSha);
                });
            } else {
                append(connection, tenantId, EventType.TENANT_DEPROVISION_STARTED, actor, "tenant-manager", d -> {
                    d.put("previous_state", previous.name());
                    d.put("reason_sha256", reasonSha);
                });
            }
            notifyChange(connection, tenantId);
            return new StateChange(
                    previous,
                    load(connection, tenantId, false).record(),
                    now,
                    List.of("tokens_revoked", "api_blocked"));
        });
        releaseTenant.accept(tenantId);
        executor.execute(() -> runDeprovisioning(tenantId));
        return change;
    }

    /** Runs the cascade and commits DEPROVISIONED or FAILED. Never throws. */
    void runDeprovisioning(TenantId tenantId) {
        try {
            Jdbc.inTransaction(dataSource, connection -> {
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM jobs WHERE tenant_id = ? AND status = 'queued'")) {
                    delete.setString(1, tenantId.value());
                    delete.executeUpdate();
                }
                return null;
            });
            Row started = Jdbc.inTransaction(dataSource, connection -> load(connection, tenantId, false));
            UUID receiptId = started.deletionReceiptId();
            List<String> storesEmpty = new ArrayList<>();
            Optional<Map<String, Object>> shredded = Optional.empty();
            for (int i = 0; i < steps.size(); i++) {
                ProvisioningStep step = steps.get(i);
                Optional<String> failure = attempts(step, () -> {
                    step.deprovision(tenantId);
                    step.verifyGone(tenantId);
                });
                if (failure.isPresent()) {
                    List<String> leftovers = steps.subList(i, steps.size()).stream()
                            .map(ProvisioningStep::name)
                            .toList();
                    failDeprovisioning(tenantId, step.name(), failure.get(), leftovers);
                    return;
                }
                if (step.name().equals(ProvisioningStep.KEYS)) {
                    shredded = recordShred(tenantId, receiptId);
                } else {
                    storesEmpty.add(step.name());
                }
            }
            deleteControlRows(tenantId);
            storesEmpty.add(CONTROL_METADATA);
            Map<String, Object> chainHead = auditChainHead(tenantId);
            Instant completed = clock.instant();
            Map<String, Object> receipt =
                    receipt(tenantId, started, receiptId, completed, shredded, storesEmpty, chainHead);
            String receiptJson = json(receipt);
            String receiptSha = sha256Hex(canonical(receiptJson));
            Jdbc.inTransaction(dataSource, connection -> {
                Row row = load(connection, tenantId, true);
                TenantAction.DEPROVISIONED.target(row.record().state());
                try (PreparedStatement update = connection.prepareStatement("UPDATE tenants SET"
                        + " state = 'DEPROVISIONED', deletion_receipt = ?::jsonb, deprovisioned_at = ?,"
                        + " contact_email = NULL, config = config || '{\"pii_allowlist\": []}'::jsonb,"
                        + " leftovers = '[]'::jsonb, updated_at = ? WHERE tenant_id = ?")) {
                    update.setString(1, receiptJson);
                    Jdbc.setInstant(update, 2, completed);
                    Jdbc.setInstant(update, 3, completed);
                    update.setString(4, tenantId.value());
                    update.executeUpdate();
                }
                append(
                        connection,
                        tenantId,
                        EventType.TENANT_DEPROVISIONED,
                        AuditEventDraft.SYSTEM,
                        "tenant-manager",
                        d -> {
                            d.put("deletion_receipt_id", receiptId.toString());
                            d.put("deletion_receipt_sha256", receiptSha);
                            d.put("stores_verified_empty", storesEmpty);
                        });
                notifyChange(connection, tenantId);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error(
                    "deprovisioning of tenant {} stopped ({}); it stays in DEPROVISIONING",
                    tenantId,
                    e.getClass().getSimpleName(),
                    e);
        }
    }

    /** Reads the shredded keyset's tombstone and appends TENANT_KEYS_SHREDDED; empty when there never was a keyset. */
    private Optional<Map<String, Object>> recordShred(TenantId tenantId, UUID receiptId) {
        return Jdbc.inTransaction(dataSource, connection -> {
            Map<String, Object> shred = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT keyset_id, destroyed_at,"
                    + " ARRAY(SELECT (v ->> 'version')::int FROM jsonb_array_elements(versions) v"
                    + " ORDER BY (v ->> 'version')::int) AS versions FROM tenant_keysets WHERE tenant_id = ?")) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    Instant at = Jdbc.instant(rows, "destroyed_at");
                    if (at == null) {
                        throw new FrostbyteException(
                                ErrorCode.INTERNAL_ERROR, "keyset of tenant " + tenantId + " is not destroyed");
                    }
                    shred.put("keyset_id", rows.getString("keyset_id"));
                    Integer[] versions = (Integer[]) rows.getArray("versions").getArray();
                    shred.put("versions_destroyed", List.of(versions));
                    shred.put("at", MILLIS.format(at));
                }
            }
            append(
                    connection,
                    tenantId,
                    EventType.TENANT_KEYS_SHREDDED,
                    AuditEventDraft.SYSTEM,
                    "key-manager",
                    d -> {
                        d.put("keyset_id", shred.get("keyset_id"));
                        d.put("versions_destroyed", shred.get("versions_destroyed"));
                        d.put("deletion_receipt_id", receiptId.toString());
                    },
                    "key",
                    (String) shred.get("keyset_id"));
            return Optional.of(shred);
        });
    }

    private void deleteControlRows(TenantId tenantId) {
        Jdbc.inTransaction(dataSource, connection -> {
            for (String table : List.of(
                    "jobs", "dead_letters", "tenant_provisioning_steps", "tenant_secrets", "tenant_admin_notes")) {
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
                    delete.setString(1, tenantId.value());
                    delete.executeUpdate();
                }
            }
            try (PreparedStatement verify = connection.prepareStatement("SELECT (SELECT count(*) FROM jobs WHERE"
                    + " tenant_id = ?) + (SELECT count(*) FROM dead_letters WHERE tenant_id = ?)"
                    + " + (SELECT count(*) FROM tenant_secrets WHERE tenant_id = ?)")) {
                verify.setString(1, tenantId.value());
                verify.setString(2, tenantId.value());
                verify.setString(3, tenantId.value());
                try (ResultSet rows = verify.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) != 0) {
                        throw new FrostbyteException(
                                ErrorCode.INTERNAL_ERROR, "control rows of tenant " + tenantId + " remain");
                    }
                }
            }
            return null;
        });
    }

    /**
     * The tenant chain's head from {@code audit_chain_heads} (created by the audit migration), read defensively: the
     * table or its columns may be missing, or not readable by this role; then both values are null.
     */
    private Map<String, Object> auditChainHead(TenantId tenantId) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("last_seq", null);
        head.put("last_event_hash", null);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement exists =
                            connection.prepareStatement("SELECT to_regclass('audit_chain_heads') IS NOT NULL");
                    ResultSet rows = exists.executeQuery()) {
                if (!rows.next() || !rows.getBoolean(1)) {
                    return head;
                }
            }
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT * FROM audit_chain_heads WHERE tenant_id = ?")) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        ResultSetMetaData meta = rows.getMetaData();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            String column = meta.getColumnName(i);
                            switch (column) {
                                case "last_seq", "seq" -> head.put("last_seq", rows.getLong(i));
                                case "last_event_hash", "event_hash" -> head.put("last_event_hash", rows.getString(i));
                                default -> {
                                    // other columns are not part of the receipt
                                }
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("audit chain head of tenant {} unreadable (SQLState {})", tenantId, e.getSQLState());
        }
        return head;
    }

    private Map<String, Object> receipt(
            TenantId tenantId,
            Row started,
            UUID receiptId,
            Instant completed,
            Optional<Map<String, Object>> shredded,
            List<String> storesEmpty,
            Map<String, Object> chainHead) {
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("deletion_receipt_id", receiptId.toString());
        receipt.put("tenant_id", tenantId.value());
        receipt.put("requested_at", MILLIS.format(started.deprovisionRequestedAt()));
        receipt.put("completed_at", MILLIS.format(completed));
        Map<String, Object> crypto = shredded.orElseGet(() -> {
            Map<String, Object> none = new LinkedHashMap<>();
            none.put("keyset_id", null);
            none.put("versions_destroyed", List.of());
            none.put("at", null);
            return none;
        });
        receipt.put("crypto_shredded", crypto);
        receipt.put("stores_verified_empty", storesEmpty);
        receipt.put("backups_unreadable_after", crypto.get("at"));
        receipt.put(
                "backup_copies_expire_by",
                LocalDate.ofInstant(completed, ZoneOffset.UTC)
                        .plusDays(settings.backupRetentionDays())
                        .toString());
        receipt.put("audit_chain_retained", chainHead);
        SignatureValue signature = signer.sign(canonical(json(receipt)));
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("alg", signature.alg());
        signed.put("key_id", signature.keyId());
        signed.put("value", signature.value());
        receipt.put("signature", signed);
        return receipt;
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private record Row(
            TenantRecord record,
            int attempt,
            String failureKind,
            List<String> leftovers,
            Instant deprovisionRequestedAt,
            UUID deletionReceiptId) {}

    private record Transition(TenantState previous, Row row, int attempt) {}

    private Row load(Connection connection, TenantId tenantId, boolean lock) throws SQLException {
        requireNonNull(tenantId, "tenantId is null");
        return findRow(connection, tenantId, lock).orElseThrow(() -> notFound(tenantId));
    }

    private Optional<Row> findRow(Connection connection, TenantId tenantId, boolean lock) throws SQLException {
        if (tenantId.isPlatform()) {
            throw notFound(tenantId);
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + RECORD_COLUMNS + " FROM tenants WHERE tenant_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, tenantId.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(row(rows)) : Optional.empty();
            }
        }
    }

    private Row row(ResultSet rows) throws SQLException {
        Tier tier = Tier.fromWire(rows.getString("tier"));
        Map<String, Object> configMap = parseMap(rows.getString("config_json"));
        String receiptJson = rows.getString("receipt_json");
        TenantRecord record = new TenantRecord(
                TenantId.of(rows.getString("tenant_id")),
                rows.getString("tenant_name"),
                Optional.ofNullable(rows.getString("contact_email")),
                TenantState.valueOf(rows.getString("state")),
                tier,
                storedConfig(configMap, tier),
                rows.getInt("config_version"),
                rows.getLong("key_epoch"),
                rows.getBoolean("embedding_halted"),
                Jdbc.instant(rows, "created_at"),
                Jdbc.instant(rows, "updated_at"),
                Jdbc.optionalInstant(rows, "provisioned_at"),
                receiptJson == null ? Optional.empty() : Optional.of(parseMap(receiptJson)));
        return new Row(
                record,
                rows.getInt("provisioning_attempt"),
                rows.getString("failure_kind"),
                parseStrings(rows.getString("leftovers_json")),
                Jdbc.instant(rows, "deprovision_requested_at"),
                rows.getObject("deletion_receipt_id", UUID.class));
    }

    /**
     * A stored config is read against the current platform limits widened by what it holds, so that a deployment that
     * later narrowed {@code intake.enabled_types} or {@code malware.stream_max_mb} can still show every tenant.
     */
    private TenantConfig storedConfig(Map<String, Object> map, Tier tier) {
        PlatformLimits limits = settings.limits();
        LinkedHashSet<String> types = new LinkedHashSet<>(limits.enabledTypes());
        if (map.get(TenantConfig.MIME_ALLOWLIST) instanceof List<?> stored) {
            stored.forEach(type -> types.add(String.valueOf(type)));
        }
        return TenantConfig.fromMap(map, tier, new PlatformLimits(List.copyOf(types), 2047, limits.embeddingProfile()));
    }

    private static void setState(Connection connection, TenantId tenantId, TenantState state, Instant now)
            throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE tenants SET state = ?, updated_at = ? WHERE tenant_id = ?")) {
            update.setString(1, state.name());
            Jdbc.setInstant(update, 2, now);
            update.setString(3, tenantId.value());
            update.executeUpdate();
        }
    }

    private static long setStateAndBumpEpoch(Connection connection, TenantId tenantId, TenantState state, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE tenants SET state = ?,"
                + " key_epoch = key_epoch + 1, updated_at = ? WHERE tenant_id = ? RETURNING key_epoch")) {
            update.setString(1, state.name());
            Jdbc.setInstant(update, 2, now);
            update.setString(3, tenantId.value());
            try (ResultSet rows = update.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Stores a reason as a deletable note; returns its sha256, empty without a reason. */
    private Optional<String> note(
            Connection connection, TenantId tenantId, String action, Optional<String> reason, String actor, Instant now)
            throws SQLException {
        checkReason(reason);
        if (reason.isEmpty()) {
            return Optional.empty();
        }
        String sha = sha256Hex(reason.get().getBytes(UTF_8));
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tenant_admin_notes (note_id,"
                + " tenant_id, action, reason, reason_sha256, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, uuids.next());
            insert.setString(2, tenantId.value());
            insert.setString(3, action);
            insert.setString(4, reason.get());
            insert.setString(5, sha);
            insert.setString(6, actor);
            Jdbc.setInstant(insert, 7, now);
            insert.executeUpdate();
        }
        return Optional.of(sha);
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "reason is required",
                    List.of(new FrostbyteException.ErrorDetail("reason", null, "required")));
        }
        checkReason(Optional.of(reason));
    }

    private static void checkReason(Optional<String> reason) {
        if (reason.isPresent() && (reason.get().isBlank() || reason.get().length() > MAX_REASON_CHARS)) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "reason must have 1 to " + MAX_REASON_CHARS + " characters",
                    List.of(new FrostbyteException.ErrorDetail(
                            "reason", null, "1.." + MAX_REASON_CHARS + " characters")));
        }
    }

    @FunctionalInterface
    private interface DetailsWriter {
        void write(Map<String, Object> details);
    }

    private void append(
            Connection connection,
            TenantId tenantId,
            EventType type,
            String actor,
            String component,
            DetailsWriter writer) {
        append(connection, tenantId, type, actor, component, writer, "tenant", tenantId.value());
    }

    private void append(
            Connection connection,
            TenantId tenantId,
            EventType type,
            String actor,
            String component,
            DetailsWriter writer,
            String resourceType,
            String resourceId) {
        Map<String, Object> details = new TreeMap<>();
        details.put("component", component);
        details.put("status", "success");
        writer.write(details);
        audit.append(
                connection,
                new AuditEventDraft(
                        tenantId, type, actor, resourceType, resourceId, Optional.empty(), new TreeMap<>(details)));
    }

    private static void notifyChange(Connection connection, TenantId tenantId) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, PostgresTenantRegistry.CHANNEL);
            notify.setString(2, tenantId.value());
            notify.execute();
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        return new ArrayList<>(list).reversed();
    }

    private static FrostbyteException notFound(TenantId tenantId) {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " not found");
    }

    private static FrostbyteException confirmationMismatch(TenantId tenantId) {
        return new FrostbyteException(
                ErrorCode.CONFIRMATION_MISMATCH,
                "confirm must be true and confirm_tenant_id must equal " + tenantId,
                List.of(new FrostbyteException.ErrorDetail("confirm_tenant_id", null, "equals " + tenantId)));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot serialize tenant data", e);
        }
    }

    static Map<String, Object> parseMap(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "stored tenant JSON is malformed", e);
        }
    }

    private static List<String> parseStrings(String json) {
        try {
            return List.copyOf(JSON.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "stored tenant JSON is malformed", e);
        }
    }

    /** RFC 8785 canonical bytes of a JSON text. */
    static byte[] canonical(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot canonicalize JSON", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
