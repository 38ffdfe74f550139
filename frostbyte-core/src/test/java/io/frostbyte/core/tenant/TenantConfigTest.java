package io.frostbyte.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TenantConfigTest {
    private static final PlatformLimits LIMITS = PlatformLimits.defaults();
    private static final TenantConfig DEFAULTS = TenantConfig.defaults(Tier.PREMIUM, LIMITS);

    @Test
    void defaults_are_those_of_the_spec_in_the_spec_order() {
        Map<String, Object> map = DEFAULTS.toMap();

        assertThat(map.keySet()).containsExactlyElementsOf(TenantConfig.KEYS);
        assertThat(map)
                .containsEntry("pii_policy", "redact")
                .containsEntry("pii_types", List.of("SSN", "DOB", "EMAIL"))
                .containsEntry("pii_allowlist", List.of())
                .containsEntry("classification_threshold", 0.7)
                .containsEntry("classification_review_enabled", true)
                .containsEntry("injection_flag_threshold", 0.3)
                .containsEntry("injection_quarantine_threshold", 0.7)
                .containsEntry("injection_per_document_quarantine", false)
                .containsEntry("mime_allowlist", PlatformLimits.DEFAULT_ENABLED_TYPES)
                .containsEntry("max_file_size_mb", 500)
                .containsEntry("max_batch_size", 1000)
                .containsEntry("storage_quota_gb", 200)
                .containsEntry("chunk_max_chars", 1500)
                .containsEntry("chunk_new_after_chars", 1200)
                .containsEntry("chunk_combine_under_chars", 400)
                .containsEntry("chunk_overlap_chars", 0)
                .containsEntry("retrieval_top_k_default", 5)
                .containsEntry("retrieval_top_k_max", 50)
                .containsEntry("retrieval_mode_default", "hybrid")
                .containsEntry("generation_enabled", false)
                .containsEntry("generation_suppress_ungrounded", true)
                .containsEntry("retention_days", 2555)
                .containsEntry("quarantine_retention_days", 30)
                .containsEntry("key_rotation_days", 90)
                .containsEntry("embedding_profile", null);
    }

    @Test
    void the_default_storage_quota_is_100_gb_times_the_tier_multiplier() {
        assertThat(TenantConfig.defaults(Tier.STANDARD, LIMITS).storageQuotaGb())
                .isEqualTo(100);
        assertThat(TenantConfig.defaults(Tier.PREMIUM, LIMITS).storageQuotaGb()).isEqualTo(200);
        assertThat(TenantConfig.defaults(Tier.ENTERPRISE, LIMITS).storageQuotaGb())
                .isEqualTo(500);
    }

    @Test
    void the_default_max_file_size_never_exceeds_the_malware_stream_limit() {
        PlatformLimits small = new PlatformLimits(List.of("application/pdf"), 200, Optional.empty());

        assertThat(TenantConfig.defaults(Tier.STANDARD, small).maxFileSizeMb()).isEqualTo(200);
        assertThat(TenantConfig.defaults(Tier.STANDARD, small).mimeAllowlist()).containsExactly("application/pdf");
    }

    @Test
    void a_tier_change_moves_a_default_quota_and_keeps_an_explicit_one() {
        TenantConfig explicit = DEFAULTS.withChanges(Map.of("storage_quota_gb", 350), LIMITS);

        assertThat(DEFAULTS.withTier(Tier.PREMIUM, Tier.ENTERPRISE).storageQuotaGb())
                .isEqualTo(500);
        assertThat(explicit.withTier(Tier.PREMIUM, Tier.ENTERPRISE).storageQuotaGb())
                .isEqualTo(350);
    }

    @Test
    void a_stored_map_reads_back_to_the_same_config_and_missing_keys_take_defaults() {
        TenantConfig changed = DEFAULTS.withChanges(
                Map.of("pii_types", List.of("SSN", "PHONE"), "retrieval_mode_default", "keyword"), LIMITS);
        Map<String, Object> withProfile = new HashMap<>(changed.toMap());
        withProfile.put(
                "embedding_profile",
                Map.of("embed_model", "nomic-embed-text", "embed_version", "v1.5", "dimensions", 768));

        TenantConfig read = TenantConfig.fromMap(withProfile, Tier.PREMIUM, LIMITS);

        assertThat(read.piiTypes()).containsExactly("SSN", "PHONE");
        assertThat(read.embeddingProfile())
                .contains(new PlatformLimits.EmbeddingProfile("nomic-embed-text", "v1.5", 768));
        assertThat(TenantConfig.fromMap(changed.toMap(), Tier.PREMIUM, LIMITS)).isEqualTo(changed);
        assertThat(TenantConfig.fromMap(Map.of(), Tier.STANDARD, LIMITS))
                .isEqualTo(TenantConfig.defaults(Tier.STANDARD, LIMITS));
    }

    @Test
    void a_partial_update_changes_only_the_keys_it_names() {
        TenantConfig updated = DEFAULTS.withChanges(Map.of("max_batch_size", 50, "generation_enabled", true), LIMITS);

        assertThat(updated.maxBatchSize()).isEqualTo(50);
        assertThat(updated.generationEnabled()).isTrue();
        assertThat(updated.withChanges(Map.of("max_batch_size", 1000, "generation_enabled", false), LIMITS))
                .isEqualTo(DEFAULTS);
    }

    @Test
    void unknown_keys_wrong_types_and_out_of_range_values_are_each_named_once() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("colour", "blue");
        bad.put("pii_policy", "shred");
        bad.put("max_batch_size", "many");
        bad.put("classification_threshold", 1.5);
        bad.put("retention_days", 29);
        bad.put("generation_enabled", "yes");
        bad.put("chunk_max_chars", 100);

        assertValidationError(
                () -> DEFAULTS.withChanges(bad, LIMITS),
                "colour",
                "pii_policy",
                "max_batch_size",
                "classification_threshold",
                "retention_days",
                "generation_enabled",
                "chunk_max_chars");
    }

    @Test
    void the_flag_threshold_must_stay_below_the_quarantine_threshold() {
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("injection_flag_threshold", 0.7), LIMITS),
                "injection_flag_threshold");
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("injection_quarantine_threshold", 0.2), LIMITS),
                "injection_flag_threshold");
        assertThat(DEFAULTS.withChanges(Map.of("injection_flag_threshold", 0.69), LIMITS)
                        .injectionFlagThreshold())
                .isEqualTo(0.69);
    }

    @Test
    void the_default_top_k_may_not_exceed_the_maximum_and_chunk_lengths_follow_the_chunker_rules() {
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("retrieval_top_k_default", 51), LIMITS), "retrieval_top_k_default");
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("chunk_new_after_chars", 1600), LIMITS), "chunk_new_after_chars");
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("chunk_combine_under_chars", 1300), LIMITS),
                "chunk_combine_under_chars");
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("chunk_overlap_chars", 376), LIMITS), "chunk_overlap_chars");
        assertThat(DEFAULTS.withChanges(Map.of("chunk_overlap_chars", 375), LIMITS)
                        .chunkOverlapChars())
                .isEqualTo(375);
    }

    @Test
    void tenants_narrow_the_platform_types_and_file_size_but_never_widen_them() {
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("mime_allowlist", List.of("application/pdf", "text/html")), LIMITS),
                "mime_allowlist");
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("mime_allowlist", List.of()), LIMITS), "mime_allowlist");
        assertValidationError(() -> DEFAULTS.withChanges(Map.of("max_file_size_mb", 1025), LIMITS), "max_file_size_mb");
        assertThat(DEFAULTS.withChanges(Map.of("mime_allowlist", List.of("text/csv")), LIMITS)
                        .mimeAllowlist())
                .containsExactly("text/csv");
    }

    @Test
    void the_allowlist_is_bounded_and_its_entries_never_appear_in_error_details() {
        List<String> tooLong = List.of("x".repeat(257));

        FrostbyteException error = assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("pii_allowlist", tooLong), LIMITS), "pii_allowlist");

        assertThat(error.details().getFirst().value()).isEqualTo(1);
        assertValidationError(
                () -> DEFAULTS.withChanges(Map.of("pii_allowlist", java.util.Collections.nCopies(201, "a")), LIMITS),
                "pii_allowlist");
    }

    @Test
    void the_embedding_profile_is_read_only_in_partial_updates() {
        assertValidationError(
                () -> DEFAULTS.withChanges(
                        Map.of("embedding_profile", Map.of("embed_model", "m", "embed_version", "1", "dimensions", 8)),
                        LIMITS),
                "embedding_profile");
    }

    @Test
    void the_diff_lists_changed_fields_in_key_order_with_allowlist_counts_only() {
        TenantConfig after = DEFAULTS.withChanges(
                Map.of(
                        "pii_allowlist",
                        List.of("@acme.example", "Jane Roe"),
                        "classification_threshold",
                        0.85,
                        "pii_policy",
                        "flag"),
                LIMITS);

        List<TenantConfig.ConfigChange> changes = DEFAULTS.diff(after);

        assertThat(changes)
                .containsExactly(
                        new TenantConfig.ConfigChange("pii_policy", "redact", "flag"),
                        new TenantConfig.ConfigChange("pii_allowlist", 0, 2),
                        new TenantConfig.ConfigChange("classification_threshold", 0.7, 0.85));
        assertThat(changes.get(2).toAuditMap())
                .containsEntry("old_value", "0.7")
                .containsEntry("new_value", "0.85");
        assertThat(changes.toString()).doesNotContain("Jane Roe");
        assertThat(DEFAULTS.diff(DEFAULTS)).isEmpty();
    }

    private static FrostbyteException assertValidationError(ThrowingCallable call, String... fields) {
        FrostbyteException[] caught = new FrostbyteException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details()).extracting(ErrorDetail::field).containsExactlyInAnyOrder(fields);
            caught[0] = e;
        });
        return caught[0];
    }
}
