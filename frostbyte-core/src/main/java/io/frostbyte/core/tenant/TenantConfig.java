package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's configuration (spec/07 §7.8): every key with its value, validated. Immutable and thread-safe.
 *
 * <p>Built by {@link #defaults}, {@link #fromMap} (a stored or complete configuration) or {@link #withChanges} (a
 * partial update). Every validation failure is one {@code VALIDATION_ERROR} whose details name each offending field
 * once: unknown keys, wrong types, out-of-range values and broken cross-field rules ({@code injection_flag_threshold}
 * below {@code injection_quarantine_threshold}, {@code retrieval_top_k_default} at most {@code retrieval_top_k_max}, the
 * chunk lengths of spec/03 §3.2). Details never echo {@code pii_allowlist} entries, only their count.
 *
 * <p>{@code storage_quota_gb} defaults to 100 × the tier multiplier; {@link #withTier} moves a quota that still equals
 * the old tier's default to the new tier's default and keeps any other (explicit) quota. {@code embedding_profile} is
 * read-only: it is set from {@link PlatformLimits#embeddingProfile()} for new tenants and changed only by an index
 * rebuild ({@link #withEmbeddingProfile}); a partial update naming it fails.
 */
public record TenantConfig(
        String piiPolicy,
        List<String> piiTypes,
        List<String> piiAllowlist,
        double classificationThreshold,
        boolean classificationReviewEnabled,
        double injectionFlagThreshold,
        double injectionQuarantineThreshold,
        boolean injectionPerDocumentQuarantine,
        List<String> mimeAllowlist,
        int maxFileSizeMb,
        int maxBatchSize,
        int storageQuotaGb,
        int chunkMaxChars,
        int chunkNewAfterChars,
        int chunkCombineUnderChars,
        int chunkOverlapChars,
        int retrievalTopKDefault,
        int retrievalTopKMax,
        String retrievalModeDefault,
        boolean generationEnabled,
        boolean generationSuppressUngrounded,
        int retentionDays,
        int quarantineRetentionDays,
        int keyRotationDays,
        Optional<PlatformLimits.EmbeddingProfile> embeddingProfile) {

    public static final String PII_POLICY = "pii_policy";
    public static final String PII_TYPES = "pii_types";
    public static final String PII_ALLOWLIST = "pii_allowlist";
    public static final String CLASSIFICATION_THRESHOLD = "classification_threshold";
    public static final String CLASSIFICATION_REVIEW_ENABLED = "classification_review_enabled";
    public static final String INJECTION_FLAG_THRESHOLD = "injection_flag_threshold";
    public static final String INJECTION_QUARANTINE_THRESHOLD = "injection_quarantine_threshold";
    public static final String INJECTION_PER_DOCUMENT_QUARANTINE = "injection_per_document_quarantine";
    public static final String MIME_ALLOWLIST = "mime_allowlist";
    public static final String MAX_FILE_SIZE_MB = "max_file_size_mb";
    public static final String MAX_BATCH_SIZE = "max_batch_size";
    public static final String STORAGE_QUOTA_GB = "storage_quota_gb";
    public static final String CHUNK_MAX_CHARS = "chunk_max_chars";
    public static final String CHUNK_NEW_AFTER_CHARS = "chunk_new_after_chars";
    public static final String CHUNK_COMBINE_UNDER_CHARS = "chunk_combine_under_chars";
    public static final String CHUNK_OVERLAP_CHARS = "chunk_overlap_chars";
    public static final String RETRIEVAL_TOP_K_DEFAULT = "retrieval_top_k_default";
    public static final String RETRIEVAL_TOP_K_MAX = "retrieval_top_k_max";
    public static final String RETRIEVAL_MODE_DEFAULT = "retrieval_mode_default";
    public static final String GENERATION_ENABLED = "generation_enabled";
    public static final String GENERATION_SUPPRESS_UNGROUNDED = "generation_suppress_ungrounded";
    public static final String RETENTION_DAYS = "retention_days";
    public static final String QUARANTINE_RETENTION_DAYS = "quarantine_retention_days";
    public static final String KEY_ROTATION_DAYS = "key_rotation_days";
    public static final String EMBEDDING_PROFILE = "embedding_profile";

    /** Every key in the order of spec/07 §7.8, which is also the order of {@link #toMap()}. */
    public static final List<String> KEYS = List.of(
            PII_POLICY,
            PII_TYPES,
            PII_ALLOWLIST,
            CLASSIFICATION_THRESHOLD,
            CLASSIFICATION_REVIEW_ENABLED,
            INJECTION_FLAG_THRESHOLD,
            INJECTION_QUARANTINE_THRESHOLD,
            INJECTION_PER_DOCUMENT_QUARANTINE,
            MIME_ALLOWLIST,
            MAX_FILE_SIZE_MB,
            MAX_BATCH_SIZE,
            STORAGE_QUOTA_GB,
            CHUNK_MAX_CHARS,
            CHUNK_NEW_AFTER_CHARS,
            CHUNK_COMBINE_UNDER_CHARS,
            CHUNK_OVERLAP_CHARS,
            RETRIEVAL_TOP_K_DEFAULT,
            RETRIEVAL_TOP_K_MAX,
            RETRIEVAL_MODE_DEFAULT,
            GENERATION_ENABLED,
            GENERATION_SUPPRESS_UNGROUNDED,
            RETENTION_DAYS,
            QUARANTINE_RETENTION_DAYS,
            KEY_ROTATION_DAYS,
            EMBEDDING_PROFILE);

    public static final List<String> PII_POLICIES = List.of("redact", "flag", "block");
    public static final List<String> PII_TYPE_CODES = List.of(
            "SSN",
            "DOB",
            "EMAIL",
            "PHONE",
            "NAME",
            "ADDRESS",
            "MEDICAL_RECORD",
            "FINANCIAL_ACCOUNT",
            "PASSPORT",
            "DRIVERS_LICENSE");
    public static final List<String> RETRIEVAL_MODES = List.of("hybrid", "vector", "keyword");
    public static final int DEFAULT_STORAGE_QUOTA_GB_PER_MULTIPLIER = 100;

    private static final int MAX_ALLOWLIST_ENTRIES = 200;
    private static final int MAX_ALLOWLIST_ENTRY_CHARS = 256;

    /** Validates the record on its own; limits from the platform are checked by the factories. */
    public TenantConfig {
        requireNonNull(piiPolicy, "piiPolicy is null");
        piiTypes = List.copyOf(requireNonNull(piiTypes, "piiTypes is null"));
        piiAllowlist = List.copyOf(requireNonNull(piiAllowlist, "piiAllowlist is null"));
        mimeAllowlist = List.copyOf(requireNonNull(mimeAllowlist, "mimeAllowlist is null"));
        requireNonNull(retrievalModeDefault, "retrievalModeDefault is null");
        requireNonNull(embeddingProfile, "embeddingProfile is null");
        List<ErrorDetail> errors = new ArrayList<>();
        checkSelf(
                errors,
                piiPolicy,
                piiTypes,
                piiAllowlist,
                classificationThreshold,
                injectionFlagThreshold,
                injectionQuarantineThreshold,
                mimeAllowlist,
                maxFileSizeMb,
                maxBatchSize,
                storageQuotaGb,
                chunkMaxChars,
                chunkNewAfterChars,
                chunkCombineUnderChars,
                chunkOverlapChars,
                retrievalTopKDefault,
                retrievalTopKMax,
                retrievalModeDefault,
                retentionDays,
                quarantineRetentionDays,
                keyRotationDays);
        throwIfAny(errors);
    }

    /** The defaults of spec/07 §7.8 for a tenant of {@code tier} on a platform with {@code limits}. */
    public static TenantConfig defaults(Tier tier, PlatformLimits limits) {
        requireNonNull(tier, "tier is null");
        requireNonNull(limits, "limits is null");
        return new TenantConfig(
                "redact",
                List.of("SSN", "DOB", "EMAIL"),
                List.of(),
                0.7,
                true,
                0.3,
                0.7,
                false,
                limits.enabledTypes(),
                Math.min(500, limits.malwareStreamMaxMb()),
                1000,
                defaultStorageQuotaGb(tier),
                1500,
                1200,
                400,
                0,
                5,
                50,
                "hybrid",
                false,
                true,
                2555,
                30,
                90,
                limits.embeddingProfile());
    }

    public static int defaultStorageQuotaGb(Tier tier) {
        return DEFAULT_STORAGE_QUOTA_GB_PER_MULTIPLIER * tier.multiplier();
    }

    /**
     * Reads a complete or stored configuration: keys missing from {@code map} take the defaults of {@code tier}, and
     * {@code embedding_profile} is accepted (it is stored with the config).
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} with one detail per offending field
     */
    public static TenantConfig fromMap(Map<String, ?> map, Tier tier, PlatformLimits limits) {
        requireNonNull(map, "map is null");
        return apply(defaults(tier, limits), map, limits, true);
    }

    /**
     * This configuration with the keys of {@code partial} changed; keys not named keep their value.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} with one detail per offending field: unknown keys, the
     *     read-only {@code embedding_profile}, wrong types, out-of-range values and broken cross-field rules
     */
    public TenantConfig withChanges(Map<String, ?> partial, PlatformLimits limits) {
        requireNonNull(partial, "partial is null");
        return apply(this, partial, limits, false);
    }

    /**
     * This configuration for a tenant moving from {@code from} to {@code to}: a storage quota that equals {@code
     * from}'s default becomes {@code to}'s default; an explicit quota is kept.
     */
    public TenantConfig withTier(Tier from, Tier to) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (storageQuotaGb != defaultStorageQuotaGb(from)) {
            return this;
        }
        Map<String, Object> map = new LinkedHashMap<>(toMap());
        map.put(STORAGE_QUOTA_GB, defaultStorageQuotaGb(to));
        return new Builder(map).build();
    }

    /** This configuration with the embedding profile of a new index generation (04 EMB-7). */
    public TenantConfig withEmbeddingProfile(PlatformLimits.EmbeddingProfile profile) {
        requireNonNull(profile, "profile is null");
        Map<String, Object> map = new LinkedHashMap<>(toMap());
        map.put(EMBEDDING_PROFILE, profileMap(profile));
        return new Builder(map).build();
    }

    /**
     * The configuration as JSON-ready values in the order of {@link #KEYS}: strings, {@link Integer}s, {@link Double}s
     * for the thresholds, booleans, lists of strings and, for {@code embedding_profile}, a map or {@code null}.
     * Unmodifiable.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(PII_POLICY, piiPolicy);
        map.put(PII_TYPES, piiTypes);
        map.put(PII_ALLOWLIST, piiAllowlist);
        map.put(CLASSIFICATION_THRESHOLD, classificationThreshold);
        map.put(CLASSIFICATION_REVIEW_ENABLED, classificationReviewEnabled);
        map.put(INJECTION_FLAG_THRESHOLD, injectionFlagThreshold);
        map.put(INJECTION_QUARANTINE_THRESHOLD, injectionQuarantineThreshold);
        map.put(INJECTION_PER_DOCUMENT_QUARANTINE, injectionPerDocumentQuarantine);
        map.put(MIME_ALLOWLIST, mimeAllowlist);
        map.put(MAX_FILE_SIZE_MB, maxFileSizeMb);
        map.put(MAX_BATCH_SIZE, maxBatchSize);
        map.put(STORAGE_QUOTA_GB, storageQuotaGb);
        map.put(CHUNK_MAX_CHARS, chunkMaxChars);
        map.put(CHUNK_NEW_AFTER_CHARS, chunkNewAfterChars);
        map.put(CHUNK_COMBINE_UNDER_CHARS, chunkCombineUnderChars);
        map.put(CHUNK_OVERLAP_CHARS, chunkOverlapChars);
        map.put(RETRIEVAL_TOP_K_DEFAULT, retrievalTopKDefault);
        map.put(RETRIEVAL_TOP_K_MAX, retrievalTopKMax);
        map.put(RETRIEVAL_MODE_DEFAULT, retrievalModeDefault);
        map.put(GENERATION_ENABLED, generationEnabled);
        map.put(GENERATION_SUPPRESS_UNGROUNDED, generationSuppressUngrounded);
        map.put(RETENTION_DAYS, retentionDays);
        map.put(QUARANTINE_RETENTION_DAYS, quarantineRetentionDays);
        map.put(KEY_ROTATION_DAYS, keyRotationDays);
        map.put(
                EMBEDDING_PROFILE,
                embeddingProfile.map(TenantConfig::profileMap).orElse(null));
        return Collections.unmodifiableMap(map);
    }

    /**
     * What changed from this configuration to {@code other}, in the order of {@link #KEYS}. {@code pii_allowlist}
     * appears with its entry counts as old and new value, never the entries.
     */
    public List<ConfigChange> diff(TenantConfig other) {
        requireNonNull(other, "other is null");
        Map<String, Object> before = toMap();
        Map<String, Object> after = other.toMap();
        List<ConfigChange> changes = new ArrayList<>();
        for (String key : KEYS) {
            Object oldValue = before.get(key);
            Object newValue = after.get(key);
            if (Objects.equals(oldValue, newValue)) {
                continue;
            }
            if (key.equals(PII_ALLOWLIST)) {
                changes.add(new ConfigChange(key, piiAllowlist.size(), other.piiAllowlist.size()));
            } else {
                changes.add(new ConfigChange(key, oldValue, newValue));
            }
        }
        return List.copyOf(changes);
    }

    /**
     * One changed field for the API's {@code changes[]} and TENANT_CONFIG_UPDATED.
     *
     * @param oldValue a value as in {@link #toMap()}, or a count for {@code pii_allowlist}; may be null
     */
    public record ConfigChange(String field, Object oldValue, Object newValue) {
        public ConfigChange {
            requireNonNull(field, "field is null");
        }

        /**
         * The change as audit details: {@code {field, old_value, new_value}} with thresholds written as decimal strings
         * (audit details carry no floating point).
         */
        public Map<String, Object> toAuditMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("field", field);
            map.put("old_value", auditValue(oldValue));
            map.put("new_value", auditValue(newValue));
            return Collections.unmodifiableMap(map);
        }

        private static Object auditValue(Object value) {
            if (value instanceof Double d) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            return value;
        }
    }

    private static Map<String, Object> profileMap(PlatformLimits.EmbeddingProfile profile) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("embed_model", profile.embedModel());
        map.put("embed_version", profile.embedVersion());
        map.put("dimensions", profile.dimensions());
        return Collections.unmodifiableMap(map);
    }

    private static TenantConfig apply(
            TenantConfig base, Map<String, ?> changes, PlatformLimits limits, boolean profileWritable) {
        requireNonNull(limits, "limits is null");
        List<ErrorDetail> errors = new ArrayList<>();
        Map<String, Object> merged = new LinkedHashMap<>(base.toMap());
        for (Map.Entry<String, ?> entry : changes.entrySet()) {
            String key = entry.getKey();
            if (key == null || !KEYS.contains(key)) {
                errors.add(new ErrorDetail(String.valueOf(key), null, "unknown key"));
                continue;
            }
            if (key.equals(EMBEDDING_PROFILE) && !profileWritable) {
                errors.add(new ErrorDetail(key, null, "read-only; changed only by an index rebuild"));
                continue;
            }
            Object value = normalize(key, entry.getValue(), errors);
            if (value != INVALID) {
                merged.put(key, value);
            }
        }
        TenantConfig candidate = null;
        try {
            candidate = new Builder(merged).build();
        } catch (FrostbyteException e) {
            errors.addAll(e.details());
        }
        if (candidate != null) {
            checkLimits(candidate, limits, errors);
        }
        throwIfAny(errors);
        return candidate;
    }

    private static final Object INVALID = new Object();

    /** Type-checks one value and brings it to the form of {@link #toMap()}; adds a detail and returns INVALID if bad. */
    private static Object normalize(String key, Object value, List<ErrorDetail> errors) {
        switch (key) {
            case PII_POLICY, RETRIEVAL_MODE_DEFAULT -> {
                if (value instanceof String s) {
                    return s;
                }
                errors.add(new ErrorDetail(key, shown(value), "must be a string"));
            }
            case PII_TYPES, PII_ALLOWLIST, MIME_ALLOWLIST -> {
                if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                    return List.copyOf(list.stream().map(String.class::cast).toList());
                }
                errors.add(new ErrorDetail(
                        key, key.equals(PII_ALLOWLIST) ? null : shown(value), "must be an array of strings"));
            }
            case CLASSIFICATION_THRESHOLD, INJECTION_FLAG_THRESHOLD, INJECTION_QUARANTINE_THRESHOLD -> {
                if (value instanceof Number n && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))) {
                    return n.doubleValue();
                }
                errors.add(new ErrorDetail(key, shown(value), "must be a number"));
            }
            case CLASSIFICATION_REVIEW_ENABLED,
                    INJECTION_PER_DOCUMENT_QUARANTINE,
                    GENERATION_ENABLED,
                    GENERATION_SUPPRESS_UNGROUNDED -> {
                if (value instanceof Boolean b) {
                    return b;
                }
                errors.add(new ErrorDetail(key, shown(value), "must be a boolean"));
            }
            case EMBEDDING_PROFILE -> {
                if (value == null) {
                    return null;
                }
                if (value instanceof Map<?, ?> map
                        && map.get("embed_model") instanceof String model
                        && map.get("embed_version") instanceof String version
                        && integral(map.get("dimensions")) != null
                        && map.size() == 3) {
                    try {
                        return profileMap(
                                new PlatformLimits.EmbeddingProfile(model, version, integral(map.get("dimensions"))));
                    } catch (IllegalArgumentException e) {
                        // falls through to the detail below
                    }
                }
                errors.add(new ErrorDetail(key, null, "must be {embed_model, embed_version, dimensions}"));
            }
            default -> {
                Integer integer = integral(value);
                if (integer != null) {
                    return integer;
                }
                errors.add(new ErrorDetail(key, shown(value), "must be an integer"));
            }
        }
        return INVALID;
    }

    private static Integer integral(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (value instanceof BigInteger b && b.bitLength() < 32) {
            return b.intValue();
        }
        return null;
    }

    private static Object shown(Object value) {
        if (value instanceof String s) {
            return s.length() > 64 ? s.substring(0, 64) : s;
        }
        if (value instanceof Number || value instanceof Boolean || value == null) {
            return value;
        }
        return value.getClass().getSimpleName();
    }

    private static void checkLimits(TenantConfig config, PlatformLimits limits, List<ErrorDetail> errors) {
        if (!limits.enabledTypes().containsAll(config.mimeAllowlist)) {
            errors.add(new ErrorDetail(
                    MIME_ALLOWLIST,
                    config.mimeAllowlist.stream()
                            .filter(type -> !limits.enabledTypes().contains(type))
                            .map(type -> type.length() > 128 ? type.substring(0, 128) : type)
                            .toList(),
                    "subset of intake.enabled_types"));
        }
        if (config.maxFileSizeMb > limits.malwareStreamMaxMb()) {
            errors.add(new ErrorDetail(
                    MAX_FILE_SIZE_MB,
                    config.maxFileSizeMb,
                    "<= malware.stream_max_mb (" + limits.malwareStreamMaxMb() + ")"));
        }
    }

    private static void checkSelf(
            List<ErrorDetail> errors,
            String piiPolicy,
            List<String> piiTypes,
            List<String> piiAllowlist,
            double classificationThreshold,
            double injectionFlagThreshold,
            double injectionQuarantineThreshold,
            List<String> mimeAllowlist,
            int maxFileSizeMb,
            int maxBatchSize,
            int storageQuotaGb,
            int chunkMaxChars,
            int chunkNewAfterChars,
            int chunkCombineUnderChars,
            int chunkOverlapChars,
            int retrievalTopKDefault,
            int retrievalTopKMax,
            String retrievalModeDefault,
            int retentionDays,
            int quarantineRetentionDays,
            int keyRotationDays) {
        oneOf(errors, PII_POLICY, piiPolicy, PII_POLICIES);
        if (!PII_TYPE_CODES.containsAll(piiTypes) || new HashSet<>(piiTypes).size() != piiTypes.size()) {
            errors.add(new ErrorDetail(PII_TYPES, piiTypes, "distinct values of " + String.join(", ", PII_TYPE_CODES)));
        }
        if (piiAllowlist.size() > MAX_ALLOWLIST_ENTRIES
                || piiAllowlist.stream().anyMatch(e -> e.isEmpty() || e.length() > MAX_ALLOWLIST_ENTRY_CHARS)) {
            errors.add(new ErrorDetail(
                    PII_ALLOWLIST,
                    piiAllowlist.size(),
                    "at most " + MAX_ALLOWLIST_ENTRIES + " entries of 1 to " + MAX_ALLOWLIST_ENTRY_CHARS
                            + " characters"));
        }
        boolean thresholdsValid = true;
        thresholdsValid &= range(errors, CLASSIFICATION_THRESHOLD, classificationThreshold, 0.0, 1.0);
        boolean flagValid = range(errors, INJECTION_FLAG_THRESHOLD, injectionFlagThreshold, 0.05, 0.95);
        boolean quarantineValid = range(errors, INJECTION_QUARANTINE_THRESHOLD, injectionQuarantineThreshold, 0.1, 1.0);
        if (thresholdsValid && flagValid && quarantineValid && injectionFlagThreshold >= injectionQuarantineThreshold) {
            errors.add(new ErrorDetail(
                    INJECTION_FLAG_THRESHOLD, injectionFlagThreshold, "< injection_quarantine_threshold"));
        }
        if (mimeAllowlist.isEmpty() || new HashSet<>(mimeAllowlist).size() != mimeAllowlist.size()) {
            errors.add(new ErrorDetail(MIME_ALLOWLIST, mimeAllowlist.size(), "non-empty, distinct types"));
        }
        range(errors, MAX_FILE_SIZE_MB, maxFileSizeMb, 1, 2047);
        range(errors, MAX_BATCH_SIZE, maxBatchSize, 1, 10_000);
        range(errors, STORAGE_QUOTA_GB, storageQuotaGb, 1, 10_000);
        if (range(errors, CHUNK_MAX_CHARS, chunkMaxChars, 200, 8000)) {
            if (range(errors, CHUNK_NEW_AFTER_CHARS, chunkNewAfterChars, 100, chunkMaxChars)) {
                range(errors, CHUNK_COMBINE_UNDER_CHARS, chunkCombineUnderChars, 0, chunkNewAfterChars);
            }
            range(errors, CHUNK_OVERLAP_CHARS, chunkOverlapChars, 0, chunkMaxChars / 4);
        }
        if (range(errors, RETRIEVAL_TOP_K_MAX, retrievalTopKMax, 1, 200)) {
            range(errors, RETRIEVAL_TOP_K_DEFAULT, retrievalTopKDefault, 1, retrievalTopKMax);
        }
        oneOf(errors, RETRIEVAL_MODE_DEFAULT, retrievalModeDefault, RETRIEVAL_MODES);
        range(errors, RETENTION_DAYS, retentionDays, 30, 36_500);
        range(errors, QUARANTINE_RETENTION_DAYS, quarantineRetentionDays, 1, 365);
        range(errors, KEY_ROTATION_DAYS, keyRotationDays, 30, 365);
    }

    private static void oneOf(List<ErrorDetail> errors, String key, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            errors.add(new ErrorDetail(key, shown(value), "one of " + String.join(", ", allowed)));
        }
    }

    private static boolean range(List<ErrorDetail> errors, String key, double value, double min, double max) {
        if (Double.isNaN(value) || value < min || value > max) {
            errors.add(new ErrorDetail(key, value, min + ".." + max));
            return false;
        }
        return true;
    }

    private static boolean range(List<ErrorDetail> errors, String key, int value, int min, int max) {
        if (value < min || value > max) {
            errors.add(new ErrorDetail(key, value, min + ".." + max));
            return false;
        }
        return true;
    }

    private static void throwIfAny(List<ErrorDetail> errors) {
        if (!errors.isEmpty()) {
            List<String> fields =
                    errors.stream().map(ErrorDetail::field).distinct().toList();
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, "invalid tenant config: " + String.join(", ", fields), errors);
        }
    }

    /** Builds a record from a map in {@link #toMap()} form whose values were type-checked. */
    private record Builder(Map<String, Object> map) {
        @SuppressWarnings("unchecked")
        TenantConfig build() {
            Map<String, Object> profile = (Map<String, Object>) map.get(EMBEDDING_PROFILE);
            return new TenantConfig(
                    (String) map.get(PII_POLICY),
                    (List<String>) map.get(PII_TYPES),
                    (List<String>) map.get(PII_ALLOWLIST),
                    (Double) map.get(CLASSIFICATION_THRESHOLD),
                    (Boolean) map.get(CLASSIFICATION_REVIEW_ENABLED),
                    (Double) map.get(INJECTION_FLAG_THRESHOLD),
                    (Double) map.get(INJECTION_QUARANTINE_THRESHOLD),
                    (Boolean) map.get(INJECTION_PER_DOCUMENT_QUARANTINE),
                    (List<String>) map.get(MIME_ALLOWLIST),
                    (Integer) map.get(MAX_FILE_SIZE_MB),
                    (Integer) map.get(MAX_BATCH_SIZE),
                    (Integer) map.get(STORAGE_QUOTA_GB),
                    (Integer) map.get(CHUNK_MAX_CHARS),
                    (Integer) map.get(CHUNK_NEW_AFTER_CHARS),
                    (Integer) map.get(CHUNK_COMBINE_UNDER_CHARS),
                    (Integer) map.get(CHUNK_OVERLAP_CHARS),
                    (Integer) map.get(RETRIEVAL_TOP_K_DEFAULT),
                    (Integer) map.get(RETRIEVAL_TOP_K_MAX),
                    (String) map.get(RETRIEVAL_MODE_DEFAULT),
                    (Boolean) map.get(GENERATION_ENABLED),
                    (Boolean) map.get(GENERATION_SUPPRESS_UNGROUNDED),
                    (Integer) map.get(RETENTION_DAYS),
                    (Integer) map.get(QUARANTINE_RETENTION_DAYS),
                    (Integer) map.get(KEY_ROTATION_DAYS),
                    profile == null
                            ? Optional.empty()
                            : Optional.of(new PlatformLimits.EmbeddingProfile(
                                    (String) profile.get("embed_model"),
                                    (String) profile.get("embed_version"),
                                    (Integer) profile.get("dimensions"))));
        }
    }
}
