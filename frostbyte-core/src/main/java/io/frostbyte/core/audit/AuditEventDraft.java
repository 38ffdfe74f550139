package io.frostbyte.core.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An event to append: everything but the chain fields ({@code event_id}, {@code seq}, {@code timestamp},
 * {@code prev_hash}, {@code event_hash}), which the log assigns.
 *
 * <p>{@code details} hold ids, hashes, type names, counts and durations only (spec/06): never content, PII, query
 * text, filenames, free-text reasons or secrets. Values must be JSON values: strings, integral numbers, booleans,
 * null, lists and maps of them (no floating point: scores are recorded as strings or scaled integers so the
 * canonical form is exact).
 *
 * @param actor {@code system} or {@code user:<sub>}
 */
public record AuditEventDraft(
        TenantId tenantId,
        EventType eventType,
        String actor,
        String resourceType,
        String resourceId,
        Optional<UUID> previousEventId,
        SortedMap<String, Object> details) {
    private static final Pattern ACTOR = Pattern.compile("^(system|user:[A-Za-z0-9._:-]{1,64})$");
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,63}$|^[A-Z][A-Z0-9_]{0,63}$");
    private static final java.util.Set<String> RESOURCE_TYPES = java.util.Set.of(
            "batch",
            "file",
            "document",
            "chunk",
            "query",
            "tenant",
            "key",
            "review",
            "dlq_entry",
            "export",
            "token",
            "checkpoint");
    private static final int MAX_DEPTH = 8;

    public AuditEventDraft {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(eventType, "eventType is null");
        requireNonNull(actor, "actor is null");
        if (!ACTOR.matcher(actor).matches()) {
            throw new IllegalArgumentException("actor must be system or user:<sub>");
        }
        requireNonNull(resourceType, "resourceType is null");
        if (!RESOURCE_TYPES.contains(resourceType)) {
            throw new IllegalArgumentException("unknown resource type: " + resourceType);
        }
        requireNonNull(resourceId, "resourceId is null");
        if (resourceId.isEmpty() || resourceId.length() > 200) {
            throw new IllegalArgumentException("resourceId must have 1 to 200 characters");
        }
        requireNonNull(previousEventId, "previousEventId is null");
        details = Collections.unmodifiableSortedMap(copyMap(requireNonNull(details, "details is null"), 0));
    }

    /** The actor for a token subject. */
    public static String user(String subject) {
        return "user:" + subject;
    }

    public static final String SYSTEM = "system";

    @SuppressWarnings("unchecked")
    private static SortedMap<String, Object> copyMap(Map<String, ?> map, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("details nest deeper than " + MAX_DEPTH);
        }
        SortedMap<String, Object> copy = new TreeMap<>();
        map.forEach((key, value) -> {
            if (key == null || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("details key must be snake_case or an UPPER_CASE code: " + key);
            }
            copy.put(key, copyValue(value, depth + 1));
        });
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Map<?, ?> map) {
            return Collections.unmodifiableSortedMap(copyMap((Map<String, ?>) map, depth));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> copyValue(item, depth + 1)).toList();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException(
                "details value of type " + value.getClass().getSimpleName()
                        + " is not allowed: use strings, integers, booleans, lists and maps");
    }
}
