package io.frostbyte.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.Stage;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.keys.StoredKeyset;
import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.tenant.PlatformLimits;
import io.frostbyte.core.tenant.ProvisioningSchedule;
import io.frostbyte.core.tenant.ProvisioningStep;
import io.frostbyte.core.tenant.StateChange;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.core.tenant.TenantPage;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.core.tenant.TenantRegistration;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.postgres.audit.TestEd25519Signer;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresTenantLifecycleIT {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String ADMIN = "user:ops-admin";
    private static final String REASON = "customer asked for it on ticket 4711";

    private static TestDatabase db;
    private static PostgresTenantKeysetStore keysets;

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final TestEd25519Signer signer = new TestEd25519Signer();
    private final List<String> calls = FakeStep.newCallLog();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final List<TenantId> released = new CopyOnWriteArrayList<>();
    private FakeKeysStep keys;
    private FakeStep database;
    private FakeStep objects;
    private PostgresTenantLifecycle lifecycle;
    private PostgresJobQueue queue;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        keysets = new PostgresTenantKeysetStore(db.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void onlyThePlatform() {
        db.execute(
                "DELETE FROM jobs",
                "DELETE FROM dead_letters",
                "DELETE FROM tenant_provisioning_steps",
                "DELETE FROM tenant_secrets",
                "DELETE FROM tenant_admin_notes",
                "DELETE FROM tenant_keysets",
                "DELETE FROM tenants WHERE tenant_id <> '_platform'");
        keys = new FakeKeysStep(calls);
        database = new FakeStep(ProvisioningStep.TENANT_DATABASE, calls);
        objects = new FakeStep("object_store", calls);
        lifecycle = lifecycle(List.of(keys, database, objects));
        queue = new PostgresJobQueue(db.dataSource(), clock, Duration.ofMinutes(5), 4);
    }

    private PostgresTenantLifecycle lifecycle(List<ProvisioningStep> steps) {
        ProvisioningSchedule schedule =
                new ProvisioningSchedule(List.of(Duration.ofSeconds(5), Duration.ofSeconds(15)), pauses::add);
        return new PostgresTenantLifecycle(
                db.dataSource(),
                audit,
                signer,
                steps,
                new PostgresTenantLifecycle.Settings(PlatformLimits.defaults(), schedule, 30),
                Runnable::run,
                released::add,
                clock);
    }

    private TenantRecord createAcme() {
        return lifecycle.create(
                new TenantRegistration(
                        Optional.of(ACME),
                        "Acme Corp",
                        "ops@acme.example",
                        Tier.PREMIUM,
                        Map.of("pii_allowlist", List.of("@acme.example"))),
                ADMIN);
    }

    private TenantRecord activeAcme() {
        createAcme();
        lifecycle.provision(ACME, ADMIN, Optional.empty());
        TenantRecord active = lifecycle.require(ACME);
        assertThat(active.state()).isEqualTo(TenantState.ACTIVE);
        audit.clear();
        calls.clear();
        return active;
    }

    // ---------------------------------------------------------------------------------------------- create

    @Test
    void creating_registers_a_pending_tenant_with_the_tier_defaults_and_audits_tenant_created() {
        TenantRecord created = lifecycle.create(
                new TenantRegistration(
                        Optional.empty(), "Globex Corporation (EU)", "it@globex.example", Tier.ENTERPRISE, Map.of()),
                ADMIN);

        assertThat(created.tenantId()).isEqualTo(TenantId.of("globex-corporation-eu"));
        assertThat(created.state()).isEqualTo(TenantState.PENDING);
        assertThat(created.keyEpoch()).isEqualTo(1);
        assertThat(created.configVersion()).isEqualTo(1);
        assertThat(created.config().storageQuotaGb()).isEqualTo(500);
        assertThat(created.provisionedAt()).isEmpty();
        AuditEventDraft event = audit.last(created.tenantId(), EventType.TENANT_CREATED);
        assertThat(event.actor()).isEqualTo(ADMIN);
        assertThat(event.resourceType()).isEqualTo("tenant");
        assertThat(event.resourceId()).isEqualTo("globex-corporation-eu");
        assertThat(event.details())
                .containsEntry("tier", "enterprise")
                .containsEntry("config_version", 1L)
                .containsOnlyKeys("component", "status", "tier", "config_version");
        assertThat(audit.lastRecorded(created.tenantId(), EventType.TENANT_CREATED)
                        .stateInTransaction())
                .isEqualTo("PENDING");
    }

    @Test
    void an_id_is_never_reused_not_even_after_the_tenant_was_deprovisioned() {
        activeAcme();
        lifecycle.deprovision(ACME, ADMIN, REASON, true, "acme-corp");
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.DEPROVISIONED);

        assertThatThrownBy(this::createAcme)
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TENANT_ALREADY_EXISTS));
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.DEPROVISIONED);
    }

    @Test
    void an_invalid_initial_config_is_refused_naming_the_field_and_registers_nothing() {
        assertThatThrownBy(() -> lifecycle.create(
                        new TenantRegistration(
                                Optional.of(ACME),
                                "Acme",
                                "ops@acme.example",
                                Tier.STANDARD,
                                Map.of("max_batch_size", 0)),
                        ADMIN))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details())
                            .extracting(FrostbyteException.ErrorDetail::field)
                            .containsExactly("max_batch_size");
                });
        assertThat(lifecycle.find(ACME)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- provisioning

    @Test
    void provisioning_runs_every_step_in_order_verifies_it_and_ends_active_with_tenant_provisioned() {
        createAcme();
        clock.advance(Duration.ofMinutes(1));

        StateChange started = lifecycle.provision(ACME, ADMIN, Optional.empty());

        assertThat(started.previousState()).isEqualTo(TenantState.PENDING);
        assertThat(started.tenant().state()).isEqualTo(TenantState.PROVISIONING);
        assertThat(calls)
                .containsExactly(
                        "keys:provision",
                        "keys:verify",
                        "tenant_database:provision",
                        "tenant_database:verify",
                        "object_store:provision",
                        "object_store:verify");
        TenantRecord active = lifecycle.require(ACME);
        assertThat(active.state()).isEqualTo(TenantState.ACTIVE);
        assertThat(active.provisionedAt()).contains(T0.plus(Duration.ofMinutes(1)));
        assertThat(audit.types(ACME))
                .containsExactly(
                        EventType.TENANT_CREATED, EventType.TENANT_PROVISION_STARTED, EventType.TENANT_PROVISIONED);
        assertThat(audit.last(ACME, EventType.TENANT_PROVISION_STARTED).details())
                .containsEntry("provisioner", "local")
                .containsEntry("attempt", 1L);
        AuditEventDraft provisioned = audit.last(ACME, EventType.TENANT_PROVISIONED);
        assertThat(provisioned.actor()).isEqualTo("system");
        assertThat(provisioned.details())
                .containsEntry("stores_verified", List.of("keys", "tenant_database", "object_store"))
                .containsEntry("isolation_checks_passed", true)
                .containsEntry(
                        "resources",
                        new java.util.TreeMap<>(Map.of(
                                "keyset_id", "kek-acme-corp",
                                "tenant_database_id", "tenant_database-acme-corp",
                                "object_store_id", "object_store-acme-corp")));
        assertThat(audit.lastRecorded(ACME, EventType.TENANT_PROVISIONED).stateInTransaction())
                .isEqualTo("ACTIVE");
        var report = lifecycle.provisioningReport(ACME);
        assertThat(report.attempt()).isEqualTo(1);
        assertThat(report.steps())
                .extracting(s -> s.step() + "=" + s.status())
                .containsExactly("keys=DONE", "tenant_database=DONE", "object_store=DONE");
        assertThat(report.leftovers()).isEmpty();
    }

    @Test
    void a_step_that_fails_twice_succeeds_on_its_third_attempt_after_pauses_of_5_and_15_seconds() {
        createAcme();
        database.provisionFailures.set(2);

        lifecycle.provision(ACME, ADMIN, Optional.empty());

        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(pauses).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(15));
        assertThat(calls.stream().filter("tenant_database:provision"::equals)).hasSize(3);
    }

    @Test
    void a_step_that_keeps_failing_rolls_back_the_completed_steps_in_reverse_and_leaves_the_tenant_failed() {
        createAcme();
        objects.provisionFailures.set(-1);

        lifecycle.provision(ACME, ADMIN, Optional.empty());

        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.FAILED);
        assertThat(calls.subList(calls.size() - 3, calls.size()))
                .containsExactly("object_store:rollback", "tenant_database:rollback", "keys:rollback");
        assertThat(keys.holds(ACME)).isFalse();
        assertThat(database.holds(ACME)).isFalse();
        AuditEventDraft failed = audit.last(ACME, EventType.TENANT_PROVISION_FAILED);
        assertThat(failed.details())
                .containsEntry("failed_step", "object_store")
                .containsEntry("error_code", "SERVICE_UNAVAILABLE")
                .containsEntry("leftovers", List.of())
                .containsEntry("status", "failure");
        var report = lifecycle.provisioningReport(ACME);
        assertThat(report.steps())
                .extracting(
                        s -> s.step() + "=" + s.status() + ":" + s.errorCode().orElse("-"))
                .containsExactly(
                        "keys=ROLLED_BACK:-",
                        "tenant_database=ROLLED_BACK:-",
                        "object_store=FAILED:SERVICE_UNAVAILABLE");
        assertThat(report.leftovers()).isEmpty();
    }

    @Test
    void a_rollback_that_fails_is_listed_in_leftovers() {
        createAcme();
        objects.provisionFailures.set(-1);
        database.rollbackFails = true;

        lifecycle.provision(ACME, ADMIN, Optional.empty());

        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.FAILED);
        assertThat(database.holds(ACME)).isTrue();
        assertThat(keys.holds(ACME)).isFalse();
        assertThat(audit.last(ACME, EventType.TENANT_PROVISION_FAILED).details())
                .containsEntry("leftovers", List.of("tenant_database"));
        assertThat(lifecycle.provisioningReport(ACME).leftovers()).containsExactly("tenant_database");
    }

    @Test
    void retry_first_cleans_the_leftovers_then_provisions_a_new_attempt_from_step_one() {
        createAcme();
        objects.provisionFailures.set(-1);
        database.rollbackFails = true;
        lifecycle.provision(ACME, ADMIN, Optional.empty());
        objects.provisionFailures.set(0);
        database.rollbackFails = false;
        calls.clear();

        StateChange retried = lifecycle.retry(ACME, ADMIN, Optional.of(REASON));

        assertThat(retried.previousState()).isEqualTo(TenantState.FAILED);
        assertThat(calls.subList(0, 3))
                .containsExactly("object_store:rollback", "tenant_database:rollback", "keys:rollback");
        assertThat(calls.get(3)).isEqualTo("keys:provision");
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.ACTIVE);
        AuditEventDraft retry = audit.last(ACME, EventType.TENANT_PROVISION_RETRY);
        assertThat(retry.details())
                .containsEntry("attempt", 2L)
                .containsEntry("leftovers_cleaned", List.of("tenant_database"))
                .containsEntry("reason_sha256", sha256(REASON));
        assertThat(retry.details().values()).doesNotContain(REASON);
        var report = lifecycle.provisioningReport(ACME);
        assertThat(report.attempt()).isEqualTo(2);
        assertThat(report.leftovers()).isEmpty();
    }

    @Test
    void retry_keeps_the_tenant_failed_when_leftovers_still_cannot_be_removed() {
        createAcme();
        objects.provisionFailures.set(-1);
        database.rollbackFails = true;
        lifecycle.provision(ACME, ADMIN, Optional.empty());

        assertThatThrownBy(() -> lifecycle.retry(ACME, ADMIN, Optional.empty()))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.FAILED);
        assertThat(lifecycle.provisioningReport(ACME).leftovers()).containsExactly("tenant_database");
        assertThat(audit.types(ACME)).doesNotContain(EventType.TENANT_PROVISION_RETRY);
    }

    @Test
    void retry_is_refused_after_a_deprovisioning_failure_where_only_abandon_is_allowed() {
        activeAcme();
        database.deprovisionFails = true;
        lifecycle.deprovision(ACME, ADMIN, REASON, true, "acme-corp");
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.FAILED);

        assertThatThrownBy(() -> lifecycle.retry(ACME, ADMIN, Optional.empty()))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
    }

    @Test
    void abandon_needs_the_confirming_id_and_then_runs_the_deprovision_cascade() {
        createAcme();
        objects.provisionFailures.set(-1);
        database.rollbackFails = true;
        lifecycle.provision(ACME, ADMIN, Optional.empty());
        database.rollbackFails = false;

        assertThatThrownBy(() -> lifecycle.abandon(ACME, ADMIN, REASON, "acme"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_MISMATCH));
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.FAILED);

        StateChange abandoned = lifecycle.abandon(ACME, ADMIN, REASON, "acme-corp");

        assertThat(abandoned.previousState()).isEqualTo(TenantState.FAILED);
        assertThat(abandoned.tenant().state()).isEqualTo(TenantState.DEPROVISIONING);
        AuditEventDraft event = audit.last(ACME, EventType.TENANT_ABANDONED);
        assertThat(event.details())
                .containsEntry("previous_state", "FAILED")
                .containsEntry("leftovers", List.of("tenant_database"))
                .containsEntry("reason_sha256", sha256(REASON));
        assertThat(database.holds(ACME)).isFalse();
        TenantRecord tombstone = lifecycle.require(ACME);
        assertThat(tombstone.state()).isEqualTo(TenantState.DEPROVISIONED);
        // the keyset was shredded by the provisioning rollback: the receipt still names it
        assertThat(tombstone.deletionReceipt().orElseThrow().get("crypto_shredded"))
                .isEqualTo(Map.of(
                        "keyset_id",
                        "kek-acme-corp",
                        "versions_destroyed",
                        List.of(1),
                        "at",
                        "2026-03-02T09:00:00.000Z"));
    }

    // ---------------------------------------------------------------------------------------------- config

    @Test
    void a_config_patch_increments_the_version_and_audits_the_changes_with_allowlist_counts_and_the_reason_hash() {
        activeAcme();
        clock.advance(Duration.ofHours(1));

        var update = lifecycle.updateConfig(
                ACME,
                Map.of(
                        "pii_allowlist",
                        List.of("@acme.example", "@acme.test"),
                        "classification_threshold",
                        0.8,
                        "pii_policy",
                        "block"),
                Optional.of(Tier.ENTERPRISE),
                ADMIN,
                Optional.of(REASON));

        assertThat(update.tenant().configVersion()).isEqualTo(2);
        assertThat(update.tenant().tier()).isEqualTo(Tier.ENTERPRISE);
        assertThat(update.tenant().config().storageQuotaGb()).isEqualTo(500);
        assertThat(update.tenant().config().piiPolicy()).isEqualTo("block");
        assertThat(update.tenant().updatedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(update.changes())
                .extracting(TenantConfig.ConfigChange::field)
                .containsExactly("tier", "pii_policy", "pii_allowlist", "classification_threshold", "storage_quota_gb");
        AuditEventDraft event = audit.last(ACME, EventType.TENANT_CONFIG_UPDATED);
        assertThat(event.details())
                .containsEntry("config_version", 2L)
                .containsEntry("previous_config_version", 1L)
                .containsEntry("reason_sha256", sha256(REASON));
        assertThat(event.details().get("changes"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains(
                        Map.of("field", "pii_allowlist", "new_value", 2L, "old_value", 1L),
                        Map.of("field", "classification_threshold", "new_value", "0.8", "old_value", "0.7"));
        assertThat(event.details().toString()).doesNotContain("@acme.test").doesNotContain(REASON);
        assertThat(db.queryLong("SELECT count(*) FROM tenant_admin_notes WHERE tenant_id = 'acme-corp'"
                        + " AND reason_sha256 = '" + sha256(REASON) + "'"))
                .isEqualTo(1);
        assertThat(lifecycle.require(ACME).config().piiAllowlist()).containsExactly("@acme.example", "@acme.test");
    }

    @Test
    void an_invalid_config_patch_names_every_offending_field_and_changes_nothing() {
        activeAcme();

        assertThatThrownBy(() -> lifecycle.updateConfig(
                        ACME,
                        Map.of("injection_flag_threshold", 0.8, "retention_days", 10, "colour", "blue"),
                        Optional.empty(),
                        ADMIN,
                        Optional.empty()))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details())
                            .extracting(FrostbyteException.ErrorDetail::field)
                            .containsExactlyInAnyOrder("injection_flag_threshold", "retention_days", "colour");
                });
        assertThat(lifecycle.require(ACME).configVersion()).isEqualTo(1);
        assertThat(audit.types(ACME)).isEmpty();
    }

    @Test
    void a_config_patch_is_allowed_while_suspended_and_refused_while_provisioning() {
        activeAcme();
        lifecycle.suspend(ACME, ADMIN, REASON);

        assertThat(lifecycle
                        .updateConfig(ACME, Map.of("max_batch_size", 10), Optional.empty(), ADMIN, Optional.empty())
                        .tenant()
                        .configVersion())
                .isEqualTo(2);

        db.execute("UPDATE tenants SET state = 'PROVISIONING' WHERE tenant_id = 'acme-corp'");
        assertThatThrownBy(() -> lifecycle.updateConfig(
                        ACME, Map.of("max_batch_size", 20), Optional.empty(), ADMIN, Optional.empty()))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
    }

    // ---------------------------------------------------------------------------------------------- kill-switch

    @Test
    void suspending_bumps_the_epoch_pauses_claims_and_audits_in_the_same_transaction() {
        long epoch = activeAcme().keyEpoch();
        queue.enqueue(new JobRequest(ACME, Stage.PARSE, "document", "doc_1", "k1", Map.of()));
        queue.enqueue(new JobRequest(ACME, Stage.PARSE, "document", "doc_2", "k2", Map.of()));

        StateChange suspended = lifecycle.suspend(ACME, ADMIN, REASON);

        assertThat(suspended.previousState()).isEqualTo(TenantState.ACTIVE);
        assertThat(suspended.tenant().state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(suspended.tenant().keyEpoch()).isEqualTo(epoch + 1);
        assertThat(released).containsExactly(ACME);
        AuditEventDraft event = audit.last(ACME, EventType.TENANT_SUSPENDED);
        assertThat(event.details())
                .containsEntry("previous_state", "ACTIVE")
                .containsEntry("key_epoch", epoch + 1)
                .containsEntry("jobs_paused", 2L)
                .containsEntry("reason_sha256", sha256(REASON));
        var recorded = audit.lastRecorded(ACME, EventType.TENANT_SUSPENDED);
        assertThat(recorded.stateInTransaction()).isEqualTo("SUSPENDED");
        assertThat(recorded.epochInTransaction()).isEqualTo(epoch + 1);
        assertThat(queue.claim("worker-1", 10, Set.of(Stage.PARSE))).isEmpty();

        StateChange resumed = lifecycle.resume(ACME, ADMIN, REASON);

        assertThat(resumed.tenant().state()).isEqualTo(TenantState.ACTIVE);
        assertThat(resumed.tenant().keyEpoch()).isEqualTo(epoch + 1);
        assertThat(audit.last(ACME, EventType.TENANT_RESUMED).details())
                .containsEntry("key_epoch", epoch + 1)
                .containsEntry("reason_sha256", sha256(REASON));
        assertThat(queue.claim("worker-1", 10, Set.of(Stage.PARSE))).hasSize(2);
    }

    @Test
    void an_audit_failure_leaves_the_tenant_unchanged() {
        long epoch = activeAcme().keyEpoch();
        audit.failing(true);

        assertThatThrownBy(() -> lifecycle.suspend(ACME, ADMIN, REASON))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));

        TenantRecord after = lifecycle.require(ACME);
        assertThat(after.state()).isEqualTo(TenantState.ACTIVE);
        assertThat(after.keyEpoch()).isEqualTo(epoch);
        assertThat(db.queryLong("SELECT count(*) FROM tenant_admin_notes WHERE tenant_id = 'acme-corp'"))
                .isEqualTo(0);
    }

    @Test
    void revoking_all_tokens_bumps_the_epoch_without_changing_the_state() {
        long epoch = activeAcme().keyEpoch();

        long revoked = lifecycle.revokeAllTokens(ACME, ADMIN, REASON);

        assertThat(revoked).isEqualTo(epoch + 1);
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.ACTIVE);
        AuditEventDraft event = audit.last(ACME, EventType.TOKENS_REVOKED);
        assertThat(event.resourceType()).isEqualTo("tenant");
        assertThat(event.details())
                .containsEntry("key_epoch", epoch + 1)
                .containsEntry("reason_sha256", sha256(REASON));
    }

    @Test
    void a_suspension_needs_a_reason() {
        activeAcme();

        assertThatThrownBy(() -> lifecycle.suspend(ACME, ADMIN, " "))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details().getFirst().field()).isEqualTo("reason");
                });
    }

    // ---------------------------------------------------------------------------------------------- deprovision

    @Test
    void deprovisioning_needs_confirm_and_the_matching_id() {
        activeAcme();

        for (Runnable attempt : List.<Runnable>of(
                () -> lifecycle.deprovision(ACME, ADMIN, REASON, false, "acme-corp"),
                () -> lifecycle.deprovision(ACME, ADMIN, REASON, true, "acme"),
                () -> lifecycle.deprovision(ACME, ADMIN, REASON, true, null))) {
            assertThatThrownBy(attempt::run)
                    .isInstanceOfSatisfying(
                            FrostbyteException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_MISMATCH));
        }
        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(audit.types(ACME)).isEmpty();
    }

    @Test
    void deprovisioning_shreds_the_keys_removes_every_store_and_control_row_and_signs_a_deletion_receipt()
            throws Exception {
        long epoch = activeAcme().keyEpoch();
        queue.enqueue(new JobRequest(ACME, Stage.PARSE, "document", "doc_1", "k1", Map.of()));
        db.execute("INSERT INTO jobs (job_id, tenant_id, stage, resource_type, resource_id, idempotency_key, status,"
                + " next_run_at, lease_owner, lease_until, created_at, updated_at) VALUES (gen_random_uuid(),"
                + " 'acme-corp', 'embed', 'document', 'doc_2', 'k2', 'processing', now(), 'w', now(), now(), now())");
        clock.advance(Duration.ofMinutes(4));

        StateChange started = lifecycle.deprovision(ACME, ADMIN, REASON, true, "acme-corp");

        assertThat(started.previousState()).isEqualTo(TenantState.ACTIVE);
        assertThat(started.tenant().state()).isEqualTo(TenantState.DEPROVISIONING);
        assertThat(started.tenant().keyEpoch()).isEqualTo(epoch + 1);
        assertThat(released).containsExactly(ACME);
        assertThat(calls)
                .containsExactly(
                        "keys:deprovision",
                        "keys:verifyGone",
                        "tenant_database:deprovision",
                        "tenant_database:verifyGone",
                        "object_store:deprovision",
                        "object_store:verifyGone");
        assertThat(audit.types(ACME))
                .containsExactly(
                        EventType.TENANT_DEPROVISION_STARTED,
                        EventType.TENANT_KEYS_SHREDDED,
                        EventType.TENANT_DEPROVISIONED);
        assertThat(audit.last(ACME, EventType.TENANT_DEPROVISION_STARTED).details())
                .containsEntry("previous_state", "ACTIVE")
                .containsEntry("reason_sha256", sha256(REASON));

        TenantRecord tombstone = lifecycle.require(ACME);
        assertThat(tombstone.state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(tombstone.contactEmail()).isEmpty();
        assertThat(tombstone.config().piiAllowlist()).isEmpty();
        Map<String, Object> receipt = tombstone.deletionReceipt().orElseThrow();
        String receiptId = (String) receipt.get("deletion_receipt_id");
        assertThat(io.frostbyte.core.Uuid7.isUuid7(receiptId)).isTrue();
        assertThat(receipt)
                .containsOnlyKeys(
                        "deletion_receipt_id",
                        "tenant_id",
                        "requested_at",
                        "completed_at",
                        "crypto_shredded",
                        "stores_verified_empty",
                        "backups_unreadable_after",
                        "backup_copies_expire_by",
                        "audit_chain_retained",
                        "signature")
                .containsEntry("tenant_id", "acme-corp")
                .containsEntry("requested_at", "2026-03-02T09:04:00.000Z")
                .containsEntry("completed_at", "2026-03-02T09:04:00.000Z")
                .containsEntry("stores_verified_empty", List.of("tenant_database", "object_store", "control_metadata"))
                .containsEntry("backups_unreadable_after", "2026-03-02T09:04:00.000Z")
                .containsEntry("backup_copies_expire_by", "2026-04-01");
        assertThat(receipt.get("crypto_shredded"))
                .isEqualTo(Map.of(
                        "keyset_id",
                        "kek-acme-corp",
                        "versions_destroyed",
                        List.of(1),
                        "at",
                        "2026-03-02T09:04:00.000Z"));
        assertThat(((Map<?, ?>) receipt.get("audit_chain_retained"))
                        .keySet().stream().map(Object::toString))
                .containsExactlyInAnyOrder("last_seq", "last_event_hash");

        @SuppressWarnings("unchecked")
        Map<String, Object> signature = (Map<String, Object>) receipt.get("signature");
        Map<String, Object> unsigned = new LinkedHashMap<>(receipt);
        unsigned.remove("signature");
        byte[] canonical = PostgresTenantLifecycle.canonical(PostgresTenantLifecycle.json(unsigned));
        assertThat(signature).containsEntry("alg", "Ed25519").containsEntry("key_id", signer.keyId());
        assertThat(signer.verify(canonical, new SignatureValue("Ed25519", (String) signature.get("key_id"), (String)
                        signature.get("value"))))
                .isTrue();

        AuditEventDraft shredded = audit.last(ACME, EventType.TENANT_KEYS_SHREDDED);
        assertThat(shredded.resourceType()).isEqualTo("key");
        assertThat(shredded.resourceId()).isEqualTo("kek-acme-corp");
        assertThat(shredded.details())
                .containsEntry("keyset_id", "kek-acme-corp")
                .containsEntry("versions_destroyed", List.of(1L))
                .containsEntry("deletion_receipt_id", receiptId);
        AuditEventDraft done = audit.last(ACME, EventType.TENANT_DEPROVISIONED);
        assertThat(done.details())
                .containsEntry("deletion_receipt_id", receiptId)
                .containsEntry(
                        "deletion_receipt_sha256",
                        sha256(PostgresTenantLifecycle.canonical(PostgresTenantLifecycle.json(receipt))))
                .containsEntry("stores_verified_empty", List.of("tenant_database", "object_store", "control_metadata"));
        for (String table :
                List.of("jobs", "dead_letters", "tenant_provisioning_steps", "tenant_secrets", "tenant_admin_notes")) {
            assertThat(db.queryLong("SELECT count(*) FROM " + table + " WHERE tenant_id = 'acme-corp'"))
                    .as(table)
                    .isEqualTo(0);
        }
    }

    @Test
    void a_failing_deprovision_step_leaves_the_tenant_failed_with_leftovers_and_abandon_finishes_the_cascade() {
        activeAcme();
        database.deprovisionFails = true;

        lifecycle.deprovision(ACME, ADMIN, REASON, true, "acme-corp");

        assertThat(lifecycle.require(ACME).state()).isEqualTo(TenantState.FAILED);
        assertThat(audit.last(ACME, EventType.TENANT_DEPROVISION_FAILED).details())
                .containsEntry("failed_step", "tenant_database")
                .containsEntry("leftovers", List.of("tenant_database", "object_store"));
        assertThat(lifecycle.provisioningReport(ACME).leftovers()).containsExactly("tenant_database", "object_store");
        String firstReceiptId = db.database().inTransaction(c -> {
            try (var s = c.createStatement();
                    var r = s.executeQuery("SELECT deletion_receipt_id FROM tenants WHERE tenant_id = 'acme-corp'")) {
                r.next();
                return r.getString(1);
            }
        });

        database.deprovisionFails = false;
        lifecycle.abandon(ACME, ADMIN, REASON, "acme-corp");

        TenantRecord tombstone = lifecycle.require(ACME);
        assertThat(tombstone.state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(tombstone.deletionReceipt().orElseThrow()).containsEntry("deletion_receipt_id", firstReceiptId);
        assertThat(database.holds(ACME)).isFalse();
        assertThat(objects.holds(ACME)).isFalse();
    }

    // ---------------------------------------------------------------------------------------------- the table

    @Test
    void every_transition_not_in_the_table_is_refused_as_invalid_and_writes_no_event() {
        Map<String, Consumer<TenantId>> actions = new LinkedHashMap<>();
        actions.put("provision", t -> lifecycle.provision(t, ADMIN, Optional.empty()));
        actions.put("retry", t -> lifecycle.retry(t, ADMIN, Optional.empty()));
        actions.put("abandon", t -> lifecycle.abandon(t, ADMIN, REASON, t.value()));
        actions.put(
                "update_config",
                t -> lifecycle.updateConfig(t, Map.of("max_batch_size", 7), Optional.empty(), ADMIN, Optional.empty()));
        actions.put("suspend", t -> lifecycle.suspend(t, ADMIN, REASON));
        actions.put("resume", t -> lifecycle.resume(t, ADMIN, REASON));
        actions.put("revoke_tokens", t -> lifecycle.revokeAllTokens(t, ADMIN, REASON));
        actions.put("deprovision", t -> lifecycle.deprovision(t, ADMIN, REASON, true, t.value()));
        Map<String, Set<TenantState>> allowed = Map.of(
                "provision", Set.of(TenantState.PENDING),
                "retry", Set.of(TenantState.FAILED),
                "abandon", Set.of(TenantState.FAILED),
                "update_config", Set.of(TenantState.ACTIVE, TenantState.SUSPENDED),
                "suspend", Set.of(TenantState.ACTIVE),
                "resume", Set.of(TenantState.SUSPENDED),
                "revoke_tokens", Set.of(TenantState.ACTIVE, TenantState.SUSPENDED),
                "deprovision", Set.of(TenantState.ACTIVE, TenantState.SUSPENDED));
        createAcme();
        List<String> refused = new ArrayList<>();
        for (TenantState state : TenantState.values()) {
            for (var action : actions.entrySet()) {
                if (allowed.get(action.getKey()).contains(state)) {
                    continue;
                }
                db.execute("UPDATE tenants SET state = '" + state + "', failure_kind = "
                        + (state == TenantState.FAILED ? "'provisioning'" : "NULL") + " WHERE tenant_id = 'acme-corp'");
                audit.clear();
                assertThatThrownBy(() -> action.getValue().accept(ACME))
                        .as(action.getKey() + " from " + state)
                        .isInstanceOfSatisfying(
                                FrostbyteException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
                assertThat(lifecycle.require(ACME).state()).isEqualTo(state);
                assertThat(audit.recorded()).isEmpty();
                refused.add(action.getKey() + "@" + state);
            }
        }
        assertThat(refused).hasSize(7 * 8 - 11);
    }

    @Test
    void lists_tenants_by_state_with_the_total_and_never_the_platform() {
        for (String id : List.of("alpha", "bravo", "charlie", "delta")) {
            lifecycle.create(
                    new TenantRegistration(
                            Optional.of(TenantId.of(id)), id, "ops@example.org", Tier.STANDARD, Map.of()),
                    ADMIN);
        }
        lifecycle.provision(TenantId.of("bravo"), ADMIN, Optional.empty());
        lifecycle.provision(TenantId.of("delta"), ADMIN, Optional.empty());

        TenantPage pending = lifecycle.list(Optional.of(TenantState.PENDING), 1, 20);
        TenantPage secondPage = lifecycle.list(Optional.empty(), 2, 3);

        assertThat(pending.total()).isEqualTo(2);
        assertThat(pending.tenants()).extracting(r -> r.tenantId().value()).containsExactly("alpha", "charlie");
        assertThat(secondPage.total()).isEqualTo(4);
        assertThat(secondPage.tenants()).extracting(r -> r.tenantId().value()).containsExactly("delta");
        assertThatThrownBy(() -> lifecycle.list(Optional.empty(), 1, 101))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys step on the real keyset table, with placeholder key bytes: the cascade reads its tombstone. */
    private final class FakeKeysStep implements ProvisioningStep {
        private final List<String> calls;

        FakeKeysStep(List<String> calls) {
            this.calls = calls;
        }

        boolean holds(TenantId tenantId) {
            return keysets.find(tenantId).filter(k -> !k.destroyed()).isPresent();
        }

        @Override
        public String name() {
            return KEYS;
        }

        @Override
        public Map<String, String> provision(TenantId tenantId) {
            calls.add("keys:provision");
            if (keysets.find(tenantId).filter(StoredKeyset::destroyed).isPresent()) {
                new PostgresKeysetTombstones(db.dataSource()).purgeUnused(tenantId);
            }
            if (keysets.find(tenantId).isEmpty()) {
                keysets.insert(new StoredKeyset(
                        tenantId,
                        "kek-" + tenantId.value(),
                        new byte[] {1, 2, 3},
                        1,
                        List.of(new KeyVersion(1, 1001, KeyVersion.Status.PRIMARY, T0, Optional.empty())),
                        T0,
                        Optional.empty()));
            }
            return Map.of("keyset_id", "kek-" + tenantId.value());
        }

        @Override
        public void verify(TenantId tenantId) {
            calls.add("keys:verify");
        }

        @Override
        public void rollback(TenantId tenantId) {
            calls.add("keys:rollback");
            shred(tenantId);
        }

        @Override
        public void deprovision(TenantId tenantId) {
            calls.add("keys:deprovision");
            shred(tenantId);
        }

        @Override
        public void verifyGone(TenantId tenantId) {
            calls.add("keys:verifyGone");
            if (holds(tenantId)) {
                throw new IllegalStateException("keyset live");
            }
        }

        private void shred(TenantId tenantId) {
            if (keysets.find(tenantId).filter(k -> !k.destroyed()).isPresent()) {
                keysets.destroy(tenantId, clock.instant());
            }
        }
    }
}
