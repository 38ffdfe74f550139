package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The JSON form of an audit event (spec/06 §6.1), one place for everything that writes, hashes or reads it: the log,
 * the API, the exports and the verifiers.
 *
 * <p>{@link #toJson} writes the snake_case envelope in the spec's field order ({@code event_id}, {@code tenant_id},
 * {@code seq}, {@code event_type}, {@code timestamp}, {@code actor}, {@code resource_type}, {@code resource_id},
 * {@code previous_event_id}, {@code details}, {@code prev_hash}, {@code event_hash}), compact, with {@code details}
 * keys sorted and {@code timestamp} in RFC 3339 UTC with exactly three fraction digits. The hash covers the RFC 8785
 * (JCS, erdtman's {@link JsonCanonicalizer}) bytes of that object without {@code event_hash}:
 * {@code event_hash = hex(sha256(prev_hash as 64 ASCII hex characters || JCS(event without event_hash)))}.
 *
 * <p>The hash input is produced by {@link CanonicalEventWriter}, which writes those JCS bytes directly (fixed keys in
 * JCS order, only {@code details} canonicalized generically) and falls back to the reference path (the JSON text
 * through the canonicalizer) for anything it does not cover; both give the same bytes ({@code CanonicalEventWriterTest}).
 *
 * <p>Stateless and thread-safe.
 */
public final class AuditEventJson {
    /** {@code 2026-03-02T10:15:36.118Z}: UTC, always three fraction digits. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(AuditEventJson::sha256);
    /** 10000-01-01T00:00:00Z in epoch seconds: below it (from 1970) timestamps are formatted without the formatter. */
    private static final long YEAR_10000 = 253_402_300_800L;

    private AuditEventJson() {}

    /** The event as one line of compact JSON (no line breaks), in the spec's field order. */
    public static String toJson(AuditEvent event) {
        try {
            return MAPPER.writeValueAsString(toNode(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit event is not serializable", e);
        }
    }

    /** The event as a Jackson tree in the spec's field order; a new, mutable node. */
    public static ObjectNode toNode(AuditEvent event) {
        requireNonNull(event, "event is null");
        ObjectNode node = NODES.objectNode();
        node.put("event_id", event.eventId().toString());
        node.put("tenant_id", event.tenantId().value());
        node.put("seq", event.seq());
        node.put("event_type", event.eventType().name());
        node.put("timestamp", formatTimestamp(event.timestamp()));
        node.put("actor", event.actor());
        node.put("resource_type", event.resourceType());
        node.put("resource_id", event.resourceId());
        if (event.previousEventId().isPresent()) {
            node.put("previous_event_id", event.previousEventId().get().toString());
        } else {
            node.putNull("previous_event_id");
        }
        node.set("details", detailsNode(event.details()));
        node.put("prev_hash", event.prevHash());
        node.put("event_hash", event.eventHash());
        return node;
    }

    /**
     * Reads an event written by {@link #toJson}. Integral numbers in {@code details} become {@code Long}s, objects
     * sorted maps, arrays lists.
     *
     * @throws IllegalArgumentException when a field is missing or malformed
     */
    public static AuditEvent fromJson(String json) {
        requireNonNull(json, "json is null");
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit event is not valid JSON", e);
        }
    }

    public static AuditEvent fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("audit event must be a JSON object");
        }
        try {
            JsonNode previous = node.get("previous_event_id");
            JsonNode details = required(node, "details");
            if (!details.isObject()) {
                throw new IllegalArgumentException("details must be an object");
            }
            return new AuditEvent(
                    UUID.fromString(text(node, "event_id")),
                    TenantId.of(text(node, "tenant_id")),
                    required(node, "seq").asLong(),
                    EventType.valueOf(text(node, "event_type")),
                    Instant.parse(text(node, "timestamp")),
                    text(node, "actor"),
                    text(node, "resource_type"),
                    text(node, "resource_id"),
                    previous == null || previous.isNull()
                            ? Optional.empty()
                            : Optional.of(UUID.fromString(previous.asText())),
                    detailsMap(details),
                    text(node, "prev_hash"),
                    text(node, "event_hash"));
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(
                    "audit event is malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The JCS bytes of the event without {@code event_hash}: what {@link #eventHash} hashes after the prev hash. */
    public static byte[] canonicalBytesForHash(AuditEvent event) {
        CanonicalEventWriter writer = CanonicalEventWriter.get();
        if (writeFields(writer, event)) {
            return writer.bytes();
        }
        return referenceCanonicalBytesForHash(event);
    }

    /** {@link #canonicalBytesForHash} the reference way: the event as JSON text through the canonicalizer. */
    static byte[] referenceCanonicalBytesForHash(AuditEvent event) {
        return referenceHashInput(
                event.eventId().toString(),
                event.tenantId().value(),
                event.seq(),
                event.eventType().name(),
                formatTimestamp(event.timestamp()),
                event.actor(),
                event.resourceType(),
                event.resourceId(),
                event.previousEventId().map(UUID::toString).orElse(null),
                detailsJson(event.details()),
                event.prevHash());
    }

    /** The event's hash recomputed from its other fields (not its stored {@code event_hash}). */
    public static String computeEventHash(AuditEvent event) {
        CanonicalEventWriter writer = CanonicalEventWriter.get();
        if (writeFields(writer, event)) {
            return writer.hash(event.prevHash());
        }
        return eventHash(event.prevHash(), referenceCanonicalBytesForHash(event));
    }

    /** {@code hex(sha256(prevHash ASCII || canonical))}. */
    public static String eventHash(String prevHash, byte[] canonical) {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        digest.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        digest.update(canonical);
        return HEX.formatHex(digest.digest());
    }

    /**
     * The hash of an event from its stored column values, as {@code eventHash(prevHash, hashInput(...))} but without
     * the intermediate copies. {@code detailsJson} is any JSON text of the details object (e.g. PostgreSQL's
     * {@code jsonb} output).
     */
    static String eventHashOfColumns(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            String timestamp,
            String actor,
            String resourceType,
            String resourceId,
            String previousEventId,
            String detailsJson,
            String prevHash) {
        CanonicalEventWriter writer = CanonicalEventWriter.get();
        if (prevHash != null
                && writer.writeWithDetailsText(
                        eventId,
                        tenantId,
                        seq,
                        eventType,
                        timestamp,
                        actor,
                        resourceType,
                        resourceId,
                        previousEventId,
                        detailsJson,
                        prevHash)) {
            return writer.hash(prevHash);
        }
        return eventHash(
                prevHash,
                referenceHashInput(
                        eventId,
                        tenantId,
                        seq,
                        eventType,
                        timestamp,
                        actor,
                        resourceType,
                        resourceId,
                        previousEventId,
                        detailsJson,
                        prevHash));
    }

    /** The hash of an event being written, from its fields with {@code details} as Java values. */
    static String eventHashOfFields(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            String timestamp,
            String actor,
            String resourceType,
            String resourceId,
            String previousEventId,
            Map<String, Object> details,
            String prevHash) {
        CanonicalEventWriter writer = CanonicalEventWriter.get();
        if (prevHash != null
                && writer.writeWithDetailsMap(
                        eventId,
                        tenantId,
                        seq,
                        eventType,
                        timestamp,
                        actor,
                        resourceType,
                        resourceId,
                        previousEventId,
                        details,
                        prevHash)) {
            return writer.hash(prevHash);
        }
        return eventHash(
                prevHash,
                referenceHashInput(
                        eventId,
                        tenantId,
                        seq,
                        eventType,
                        timestamp,
                        actor,
                        resourceType,
                        resourceId,
                        previousEventId,
                        detailsJson(details),
                        prevHash));
    }

    private static boolean writeFields(CanonicalEventWriter writer, AuditEvent event) {
        return writer.writeWithDetailsMap(
                event.eventId().toString(),
                event.tenantId().value(),
                event.seq(),
                event.eventType().name(),
                formatTimestamp(event.timestamp()),
                event.actor(),
                event.resourceType(),
                event.resourceId(),
                event.previousEventId().map(UUID::toString).orElse(null),
                event.details(),
                event.prevHash());
    }

    /** RFC 3339 UTC with exactly three fraction digits; finer precision is truncated. */
    public static String formatTimestamp(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds >= 0 && seconds < YEAR_10000) {
            return formatEpochMillis(seconds * 1000 + instant.getNano() / 1_000_000);
        }
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@link #formatTimestamp} of {@code Instant.ofEpochMilli(millis)}, without the formatter for years 1970-9999. */
    static String formatEpochMillis(long millis) {
        if (millis < 0 || millis >= YEAR_10000 * 1000) {
            return TIMESTAMP.format(Instant.ofEpochMilli(millis));
        }
        long days = millis / 86_400_000L;
        int ofDay = (int) (millis % 86_400_000L);
        LocalDate date = LocalDate.ofEpochDay(days);
        byte[] b = new byte[24];
        digits(b, 0, date.getYear(), 4);
        b[4] = '-';
        digits(b, 5, date.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, date.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, ofDay / 3_600_000, 2);
        b[13] = ':';
        digits(b, 14, ofDay / 60_000 % 60, 2);
        b[16] = ':';
        digits(b, 17, ofDay / 1000 % 60, 2);
        b[19] = '.';
        digits(b, 20, ofDay % 1000, 3);
        b[23] = 'Z';
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** RFC 8785 bytes of any JSON text. */
    public static byte[] canonicalize(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalArgumentException("not canonicalizable JSON (" + e.getMessage() + ")", e);
        }
    }

    /** RFC 8785 bytes of a Jackson tree. */
    public static byte[] canonicalize(JsonNode node) {
        try {
            return canonicalize(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code details} as compact JSON with sorted keys. */
    public static String detailsJson(Map<String, Object> details) {
        try {
            return MAPPER.writeValueAsString(detailsNode(details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("details are not serializable", e);
        }
    }

    /** {@code details} as a Jackson tree with keys in sorted order. */
    public static ObjectNode detailsNode(Map<String, ?> details) {
        ObjectNode node = NODES.objectNode();
        new TreeMap<>(details).forEach((key, value) -> node.set(key, valueNode(value)));
        return node;
    }

    /** A details JSON object as the sorted map {@link AuditEvent} holds. */
    public static SortedMap<String, Object> detailsMap(JsonNode details) {
        SortedMap<String, Object> map = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = details.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), javaValue(field.getValue()));
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /**
     * The JCS bytes of an event without {@code event_hash}, from its stored column values. {@code detailsJson} is any
     * JSON text of the details object (e.g. PostgreSQL's {@code jsonb} output); canonicalization normalizes it.
     */
    static byte[] hashInput(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            String timestamp,
            String actor,
            String resourceType,
            String resourceId,
            String previousEventId,
            String detailsJson,
            String prevHash) {
        CanonicalEventWriter writer = CanonicalEventWriter.get();
        if (writer.writeWithDetailsText(
                eventId,
                tenantId,
                seq,
                eventType,
                timestamp,
                actor,
                resourceType,
                resourceId,
                previousEventId,
                detailsJson,
                prevHash)) {
            return writer.bytes();
        }
        return referenceHashInput(
                eventId,
                tenantId,
                seq,
                eventType,
                timestamp,
                actor,
                resourceType,
                resourceId,
                previousEventId,
                detailsJson,
                prevHash);
    }

    /**
     * {@link #hashInput} the reference way, and the fallback for whatever the fast {@link CanonicalEventWriter} does
     * not cover: the envelope as JSON text put through erdtman's canonicalizer.
     */
    static byte[] referenceHashInput(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            String timestamp,
            String actor,
            String resourceType,
            String resourceId,
            String previousEventId,
            String detailsJson,
            String prevHash) {
        StringBuilder json = new StringBuilder(256 + detailsJson.length());
        json.append("{\"event_id\":");
        quote(json, eventId);
        json.append(",\"tenant_id\":");
        quote(json, tenantId);
        json.append(",\"seq\":").append(seq);
        json.append(",\"event_type\":");
        quote(json, eventType);
        json.append(",\"timestamp\":");
        quote(json, timestamp);
        json.append(",\"actor\":");
        quote(json, actor);
        json.append(",\"resource_type\":");
        quote(json, resourceType);
        json.append(",\"resource_id\":");
        quote(json, resourceId);
        json.append(",\"previous_event_id\":");
        if (previousEventId == null) {
            json.append("null");
        } else {
            quote(json, previousEventId);
        }
        json.append(",\"details\":").append(detailsJson);
        json.append(",\"prev_hash\":");
        quote(json, prevHash);
        json.append('}');
        return canonicalize(json.toString());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    private static void quote(StringBuilder json, String value) {
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, json);
        json.append('"');
    }

    private static JsonNode valueNode(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Number number) {
            return NODES.numberNode(number.doubleValue());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            new TreeMap<>(map).forEach((key, item) -> node.set(String.valueOf(key), valueNode(item)));
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(valueNode(item)));
            return array;
        }
        if (value instanceof Enum<?> e) {
            return NODES.textNode(e.name());
        }
        throw new IllegalArgumentException(
                "details value of type " + value.getClass().getSimpleName() + " is not JSON");
    }

    private static Object javaValue(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isObject()) {
            return detailsMap(node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(javaValue(item)));
            return Collections.unmodifiableList(list);
        }
        throw new IllegalArgumentException("unsupported JSON value in details: " + node.getNodeType());
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("audit event has no " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }
}
