package io.frostbyte.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.EventType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * Property tests: the fast canonical writer ({@link CanonicalEventWriter}, behind {@link AuditEventJson}) produces
 * exactly the bytes of erdtman's {@link JsonCanonicalizer} (the reference, computed here independently) for many
 * random events, for details given as Java values and as JSON text in many formattings, and for malformed text it
 * fails exactly like the reference.
 */
class CanonicalEventWriterTest {
    private static final int EVENTS = 4000;
    private static final long MAX_EXACT = 1L << 53;
    private static final HexFormat HEX = HexFormat.of();

    // ---- the reference: JSON text through erdtman's canonicalizer ----

    private static byte[] erdtman(String json) throws Exception {
        return new JsonCanonicalizer(json).getEncodedUTF8();
    }

    /** The envelope without event_hash as JSON text, {@code details} spliced in as given. */
    private static String envelopeText(
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
        return "{\"event_id\":" + quote(eventId) + ",\"tenant_id\":" + quote(tenantId) + ",\"seq\":" + seq
                + ",\"event_type\":" + quote(eventType) + ",\"timestamp\":" + quote(timestamp) + ",\"actor\":"
                + quote(actor) + ",\"resource_type\":" + quote(resourceType) + ",\"resource_id\":"
                + quote(resourceId) + ",\"previous_event_id\":"
                + (previousEventId == null ? "null" : quote(previousEventId)) + ",\"details\":" + detailsJson
                + ",\"prev_hash\":" + quote(prevHash) + "}";
    }

    private static String quote(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    /** The reference bytes of an event: its Jackson tree without event_hash, through erdtman's canonicalizer. */
    private static byte[] reference(AuditEvent event) throws Exception {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("event_id", event.eventId().toString());
        node.put("tenant_id", event.tenantId().value());
        node.put("seq", event.seq());
        node.put("event_type", event.eventType().name());
        node.put("timestamp", AuditEventJson.TIMESTAMP.format(event.timestamp().truncatedTo(ChronoUnit.MILLIS)));
        node.put("actor", event.actor());
        node.put("resource_type", event.resourceType());
        node.put("resource_id", event.resourceId());
        if (event.previousEventId().isPresent()) {
            node.put("previous_event_id", event.previousEventId().get().toString());
        } else {
            node.putNull("previous_event_id");
        }
        node.set("details", AuditEventJson.detailsNode(event.details()));
        node.put("prev_hash", event.prevHash());
        return erdtman(AuditEventJson.MAPPER.writeValueAsString(node));
    }

    private static String sha256Hex(String prevHash, byte[] canonical) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        digest.update(canonical);
        return HEX.formatHex(digest.digest());
    }

    // ---- properties ----

    @Test
    void events_with_java_details_canonicalize_byte_identically_to_erdtman() throws Exception {
        Random random = new Random(20260302L);
        int fast = 0;
        for (int i = 0; i < EVENTS; i++) {
            boolean exotic = i % 5 == 4; // doubles, big numbers, enums, custom-ordered maps: some take the fallback
            AuditEvent event = event(random, exotic);
            byte[] expected = reference(event);

            assertThat(AuditEventJson.canonicalBytesForHash(event))
                    .as("event %d: %s", i, event)
                    .isEqualTo(expected);
            assertThat(AuditEventJson.computeEventHash(event)).isEqualTo(sha256Hex(event.prevHash(), expected));
            assertThat(AuditEventJson.eventHashOfFields(
                            event.eventId().toString(),
                            event.tenantId().value(),
                            event.seq(),
                            event.eventType().name(),
                            AuditEventJson.formatTimestamp(event.timestamp()),
                            event.actor(),
                            event.resourceType(),
                            event.resourceId(),
                            event.previousEventId().map(UUID::toString).orElse(null),
                            event.details(),
                            event.prevHash()))
                    .isEqualTo(sha256Hex(event.prevHash(), expected));
            if (!exotic) {
                // the fast path itself, not the fallback, produced it
                CanonicalEventWriter writer = CanonicalEventWriter.get();
                assertThat(writeFields(writer, event))
                        .as("fast path taken for event %d", i)
                        .isTrue();
                assertThat(writer.bytes()).isEqualTo(expected);
                fast++;
            }
        }
        assertThat(fast).isGreaterThan(EVENTS / 2);
    }

    @Test
    void events_with_details_text_in_any_formatting_canonicalize_byte_identically_to_erdtman() throws Exception {
        Random random = new Random(8785L);
        int fast = 0;
        for (int i = 0; i < EVENTS; i++) {
            AuditEvent event = event(random, false);
            List<String> texts = List.of(
                    AuditEventJson.detailsJson(event.details()),
                    jsonbStyle(event.details()),
                    anyStyle(random, event.details()),
                    anyStyle(random, randomNumbersAndLiterals(random, 0)));
            for (String details : texts) {
                String timestamp = AuditEventJson.formatTimestamp(event.timestamp());
                String previous = event.previousEventId().map(UUID::toString).orElse(null);
                String text = envelopeText(
                        event.eventId().toString(),
                        event.tenantId().value(),
                        event.seq(),
                        event.eventType().name(),
                        timestamp,
                        event.actor(),
                        event.resourceType(),
                        event.resourceId(),
                        previous,
                        details,
                        event.prevHash());

                byte[] expected;
                try {
                    expected = erdtman(text);
                } catch (java.io.IOException e) {
                    // e.g. a number token beyond the double range: the same failure here
                    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> AuditEventJson.hashInput(
                                    event.eventId().toString(),
                                    event.tenantId().value(),
                                    event.seq(),
                                    event.eventType().name(),
                                    timestamp,
                                    event.actor(),
                                    event.resourceType(),
                                    event.resourceId(),
                                    previous,
                                    details,
                                    event.prevHash())))
                            .isInstanceOf(IllegalArgumentException.class);
                    continue;
                }
                byte[] actual = AuditEventJson.hashInput(
                        event.eventId().toString(),
                        event.tenantId().value(),
                        event.seq(),
                        event.eventType().name(),
                        timestamp,
                        event.actor(),
                        event.resourceType(),
                        event.resourceId(),
                        previous,
                        details,
                        event.prevHash());
                assertThat(actual).as("event %d, details %s", i, details).isEqualTo(expected);
                assertThat(AuditEventJson.eventHashOfColumns(
                                event.eventId().toString(),
                                event.tenantId().value(),
                                event.seq(),
                                event.eventType().name(),
                                timestamp,
                                event.actor(),
                                event.resourceType(),
                                event.resourceId(),
                                previous,
                                details,
                                event.prevHash()))
                        .isEqualTo(sha256Hex(event.prevHash(), expected));
                CanonicalEventWriter writer = CanonicalEventWriter.get();
                if (writer.writeWithDetailsText(
                        event.eventId().toString(),
                        event.tenantId().value(),
                        event.seq(),
                        event.eventType().name(),
                        timestamp,
                        event.actor(),
                        event.resourceType(),
                        event.resourceId(),
                        previous,
                        details,
                        event.prevHash())) {
                    assertThat(writer.bytes()).isEqualTo(expected);
                    fast++;
                }
            }
        }
        // Jackson's and jsonb's formatting (integers below 10^15) always take the fast path
        assertThat(fast).isGreaterThan(EVENTS * 2);
    }

    @Test
    void malformed_or_unusual_details_text_fails_or_succeeds_exactly_like_erdtman() throws Exception {
        Random random = new Random(42L);
        List<String> texts = new ArrayList<>(List.of(
                "",
                " ",
                "{",
                "}",
                "{}",
                " {} ",
                "\t{\r\n}\n",
                "[]",
                "null",
                "true",
                "false",
                "nul",
                "truex",
                "0",
                "-0",
                "00",
                "-",
                "1.",
                ".5",
                "1e",
                "1e+",
                "1E400",
                "-1e400",
                "1e-400",
                "123456789012345",
                "1234567890123456",
                "9007199254740993",
                "-9007199254740993",
                "123456789012345678901234567890",
                "0.1",
                "1.5e300",
                "{\"a\":1,\"a\":2}",
                "{\"b\":1,\"a\":2,\"b\":3}",
                "{\"a\":1,}",
                "[1,]",
                "[,1]",
                "{\"a\" 1}",
                "{\"a\":1 \"b\":2}",
                "{\"a\":}",
                "{\"a\":\"x\"} {}",
                "{},\"zzz\":1",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":\"\\u12g4\"}",
                "{\"a\":\"\\uFF10\\uff10\"}",
                "{\"a\":\"\\u０１２３\"}",
                "{\"a\":\"\\ud800\"}",
                "{\"a\":\"\\udc00\\ud800\"}",
                "{\"a\":\"\\ud83d\\ude00\"}",
                "{\"a\":\"" + (char) 0xD83D + "\\ude00\"}",
                "{\"a\":\"raw\ttab\"}",
                "{\"a\":\"raw\nnewline\"}",
                "{\"a\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}",
                "{\"a\":[1,\"x\"y]}",
                "{\"a\":tru e}",
                "{\"a\":1\u00a0}",
                "{\"\":1,\"\u0000\":2}",
                "{\"a\":{\"c\":1,\"b\":{\"z\":[],\"y\":{}}},\"A\":0}"));
        for (int i = 0; i < 3000; i++) {
            String valid = anyStyle(random, randomDetails(random, 0, false));
            texts.add(mutate(random, valid));
        }
        int failures = 0;
        for (String details : texts) {
            String expected;
            try {
                expected = HEX.formatHex(erdtman(
                        envelopeText("e", "t", 7, "BATCH_RECEIVED", "ts", "system", "batch", "b", null, details, "p")));
            } catch (Exception | InternalError e) {
                expected = "fails";
            }
            String actual;
            try {
                actual = HEX.formatHex(AuditEventJson.hashInput(
                        "e", "t", 7, "BATCH_RECEIVED", "ts", "system", "batch", "b", null, details, "p"));
            } catch (IllegalArgumentException e) {
                actual = "fails";
            }
            assertThat(actual).as("details %s", details).isEqualTo(expected);
            failures += expected.equals("fails") ? 1 : 0;
        }
        assertThat(failures).isPositive().isLessThan(texts.size());
    }

    @Test
    void integral_numbers_and_seq_beyond_two_to_the_53_are_written_as_the_canonicalizer_rounds_them() throws Exception {
        Random random = new Random(53L);
        List<Long> values = new ArrayList<>(List.of(
                0L,
                1L,
                -1L,
                MAX_EXACT,
                -MAX_EXACT,
                MAX_EXACT + 1,
                -MAX_EXACT - 1,
                MAX_EXACT + 3,
                999_999_999_999_999L,
                1_000_000_000_000_000L,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                Long.MIN_VALUE + 1));
        for (int i = 0; i < 2000; i++) {
            values.add(random.nextLong());
            values.add(random.nextLong() >> random.nextInt(64));
        }
        for (long value : values) {
            SortedMap<String, Object> details = new TreeMap<>(Map.of("n", value, "list", List.of(value, -value)));
            AuditEvent event = new AuditEvent(
                    new UUID(value, ~value),
                    TenantId.of("acme-corp"),
                    Math.max(1, Math.abs(value == Long.MIN_VALUE ? Long.MAX_VALUE : value)),
                    EventType.BATCH_RECEIVED,
                    Instant.parse("2026-03-02T10:15:36.118Z"),
                    "system",
                    "batch",
                    "b",
                    Optional.empty(),
                    details,
                    AuditEvent.GENESIS_HASH,
                    "x");
            assertThat(AuditEventJson.canonicalBytesForHash(event))
                    .as("value %d", value)
                    .isEqualTo(reference(event));
        }
    }

    @Test
    void timestamps_are_formatted_like_the_formatter() {
        Random random = new Random(3339L);
        List<Long> millis = new ArrayList<>(List.of(
                0L,
                -1L,
                1L,
                86_399_999L,
                951_782_400_000L,
                253_402_300_799_999L,
                253_402_300_800_000L,
                -62_135_596_800_000L));
        for (int i = 0; i < 20_000; i++) {
            millis.add(random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L));
            millis.add(random.nextLong(0, 4_102_444_800_000L));
        }
        for (long m : millis) {
            Instant instant = Instant.ofEpochMilli(m).plusNanos(random.nextInt(1_000_000));
            assertThat(AuditEventJson.formatEpochMillis(m))
                    .isEqualTo(AuditEventJson.TIMESTAMP.format(Instant.ofEpochMilli(m)));
            assertThat(AuditEventJson.formatTimestamp(instant))
                    .isEqualTo(AuditEventJson.TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS)));
        }
    }

    // ---- generators ----

    private static boolean writeFields(CanonicalEventWriter writer, AuditEvent event) {
        return writer.writeWithDetailsMap(
                event.eventId().toString(),
                event.tenantId().value(),
                event.seq(),
                event.eventType().name(),
                AuditEventJson.formatTimestamp(event.timestamp()),
                event.actor(),
                event.resourceType(),
                event.resourceId(),
                event.previousEventId().map(UUID::toString).orElse(null),
                event.details(),
                event.prevHash());
    }

    private static AuditEvent event(Random random, boolean exotic) {
        EventType[] types = EventType.values();
        long seq = switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(10_000);
            case 1 -> 1 + random.nextLong(MAX_EXACT);
            case 2 -> MAX_EXACT - random.nextInt(3) + random.nextInt(3);
            default -> exotic ? 1 + random.nextLong(Long.MAX_VALUE - 1) : 1 + random.nextLong(1_000_000_000L);
        };
        Instant timestamp = random.nextInt(10) == 0
                ? Instant.ofEpochSecond(
                        random.nextLong(-62_000_000_000L, 300_000_000_000L), random.nextInt(1_000_000_000))
                : Instant.ofEpochMilli(random.nextLong(1_600_000_000_000L, 2_000_000_000_000L));
        SortedMap<String, Object> details = randomDetails(random, 0, exotic);
        if (exotic && random.nextBoolean()) {
            SortedMap<String, Object> ordered = new TreeMap<>(Comparator.reverseOrder());
            ordered.putAll(details);
            details = ordered;
        }
        return new AuditEvent(
                new UUID(random.nextLong(), random.nextLong()),
                TenantId.of(
                        random.nextBoolean() ? "acme-corp" : "tenant-" + Long.toString(random.nextLong(1L << 40), 36)),
                seq,
                types[random.nextInt(types.length)],
                timestamp,
                random.nextInt(3) == 0 ? "system" : "user:" + randomString(random, true),
                randomString(random, true),
                randomString(random, true),
                random.nextBoolean() ? Optional.empty() : Optional.of(new UUID(random.nextLong(), random.nextLong())),
                details,
                random.nextInt(4) == 0 ? randomString(random, true) : HEX.formatHex(randomBytes(random, 32)),
                "ignored");
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static SortedMap<String, Object> randomDetails(Random random, int depth, boolean exotic) {
        SortedMap<String, Object> map = new TreeMap<>();
        int n = depth == 0 ? random.nextInt(12) : random.nextInt(5);
        for (int i = 0; i < n; i++) {
            map.put(randomKey(random), randomValue(random, depth + 1, exotic));
        }
        return map;
    }

    private static String randomKey(Random random) {
        return switch (random.nextInt(4)) {
            case 0 ->
                List.of("component", "status", "duration_ms", "pipeline_version", "input_hash", "output_hash")
                        .get(random.nextInt(6));
            case 1 -> "k" + random.nextInt(50);
            default -> randomString(random, true);
        };
    }

    private static Object randomValue(Random random, int depth, boolean exotic) {
        int kind = random.nextInt(depth < 4 ? (exotic ? 12 : 9) : 5);
        return switch (kind) {
            case 0 -> null;
            case 1, 2 -> randomString(random, true);
            case 3 -> random.nextBoolean();
            case 4 -> randomLong(random);
            case 5 -> random.nextBoolean() ? (Object) random.nextInt() : (Object) (short) random.nextInt();
            case 6 -> {
                List<Object> list = new ArrayList<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    list.add(randomValue(random, depth + 1, exotic));
                }
                yield random.nextBoolean() ? list : Collections.unmodifiableList(list);
            }
            case 7 -> randomDetails(random, depth, exotic);
            case 8 -> {
                Map<String, Object> map = random.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    map.put(randomKey(random), randomValue(random, depth + 1, exotic));
                }
                yield map;
            }
            case 9 -> random.nextBoolean() ? random.nextDouble() * Math.pow(10, random.nextInt(40) - 20) : 0.5;
            case 10 ->
                random.nextBoolean() ? EventType.values()[random.nextInt(3)] : BigInteger.valueOf(random.nextLong());
            default ->
                random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(1000) : Long.MIN_VALUE + random.nextInt(1000);
        };
    }

    private static long randomLong(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(1000);
            case 1 -> -random.nextInt(1000);
            case 2 -> random.nextLong(-MAX_EXACT, MAX_EXACT + 1);
            case 3 -> random.nextBoolean() ? MAX_EXACT - random.nextInt(3) : -MAX_EXACT + random.nextInt(3);
            default -> random.nextLong(-1_000_000_000_000_000L, 1_000_000_000_000_000L);
        };
    }

    /** Random UTF-16 text: controls, quotes, backslashes, U+2028, emoji, any BMP, and unpaired surrogates. */
    static String randomString(Random random, boolean lone) {
        int n = random.nextInt(random.nextInt(8) == 0 ? 60 : 12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(14)) {
                case 0 -> s.append((char) random.nextInt(0x20));
                case 1 -> s.append('"');
                case 2 -> s.append('\\');
                case 3 -> s.append(random.nextBoolean() ? '\u2028' : '\u2029');
                case 4 -> s.appendCodePoint(0x1F300 + random.nextInt(0x700));
                case 5 -> s.appendCodePoint(0x10000 + random.nextInt(0x100000));
                case 6 -> s.append((char) (0x80 + random.nextInt(0x780)));
                case 7 -> {
                    char c = (char) (0x800 + random.nextInt(0xF800));
                    s.append(Character.isSurrogate(c) || !lone && c >= 0xFFFE ? 'x' : c);
                }
                case 8 -> {
                    if (lone) {
                        s.append((char) (0xD800 + random.nextInt(0x800)));
                    }
                }
                case 9 -> s.append(random.nextBoolean() ? '/' : '\u007f');
                default -> s.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return s.toString();
    }

    /** A details object with numbers in every spelling the canonicalizer's grammar allows, and literals. */
    private static SortedMap<String, Object> randomNumbersAndLiterals(Random random, int depth) {
        SortedMap<String, Object> map = new TreeMap<>();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            Object value = switch (random.nextInt(4)) {
                case 0 -> new RawNumber(randomNumberToken(random));
                case 1 -> random.nextBoolean();
                case 2 -> null;
                default -> depth < 2 ? randomNumbersAndLiterals(random, depth + 1) : List.of(new RawNumber("1"));
            };
            map.put("n" + i, value);
        }
        return map;
    }

    /** Tokens of {@code -?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?}. */
    private static String randomNumberToken(Random random) {
        StringBuilder t = new StringBuilder();
        if (random.nextBoolean()) {
            t.append('-');
        }
        int digits = 1 + random.nextInt(random.nextBoolean() ? 4 : 25);
        for (int i = 0; i < digits; i++) {
            t.append((char) ('0' + random.nextInt(10)));
        }
        if (random.nextInt(3) == 0) {
            t.append('.');
            int fraction = 1 + random.nextInt(20);
            for (int i = 0; i < fraction; i++) {
                t.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextInt(3) == 0) {
            t.append(random.nextBoolean() ? 'e' : 'E');
            int r = random.nextInt(3);
            if (r > 0) {
                t.append(r == 1 ? '+' : '-');
            }
            t.append(random.nextInt(random.nextBoolean() ? 30 : 400));
        }
        return t.toString();
    }

    private record RawNumber(String token) {}

    /** As PostgreSQL's jsonb prints: keys by length then bytes, {@code ", "} and {@code ": "}, jsonb escapes. */
    private static String jsonbStyle(Object value) {
        StringBuilder out = new StringBuilder();
        jsonb(out, value);
        return out.toString();
    }

    private static void jsonb(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            map.keySet().forEach(k -> keys.add((String) k));
            keys.sort(Comparator.comparingInt((String k) -> k.getBytes(StandardCharsets.UTF_8).length)
                    .thenComparing((a, b) -> java.util.Arrays.compareUnsigned(
                            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))));
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                jsonbString(out, keys.get(i));
                out.append(": ");
                jsonb(out, map.get(keys.get(i)));
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                jsonb(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof String s) {
            jsonbString(out, s);
        } else {
            out.append(value);
        }
    }

    private static void jsonbString(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Any legal formatting: random whitespace, member order and escaping (any hex case, escaped non-ASCII, \/). */
    private static String anyStyle(Random random, Object value) {
        StringBuilder out = new StringBuilder();
        any(random, out, value);
        return out.toString();
    }

    private static void whitespace(Random random, StringBuilder out) {
        while (random.nextInt(3) == 0) {
            out.append(" \t\r\n".charAt(random.nextInt(4)));
        }
    }

    private static void any(Random random, StringBuilder out, Object value) {
        whitespace(random, out);
        if (value instanceof Map<?, ?> map) {
            List<Object> keys = new ArrayList<>(map.keySet());
            Collections.shuffle(keys, random);
            out.append('{');
            whitespace(random, out);
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                whitespace(random, out);
                anyString(random, out, (String) keys.get(i));
                whitespace(random, out);
                out.append(':');
                any(random, out, map.get(keys.get(i)));
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            whitespace(random, out);
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                any(random, out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof String s) {
            anyString(random, out, s);
        } else if (value instanceof RawNumber number) {
            out.append(number.token());
        } else {
            out.append(value);
        }
        whitespace(random, out);
    }

    private static void anyString(Random random, StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            int style = random.nextInt(4);
            if (c == '"' || c == '\\' || c < 0x20 || style == 0) {
                String hex = String.format("%04x", (int) c);
                out.append("\\u").append(random.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
            } else if (c == '/' && style == 1) {
                out.append("\\/");
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String mutate(Random random, String valid) {
        if (valid.isEmpty()) {
            return "{";
        }
        StringBuilder s = new StringBuilder(valid);
        int at = random.nextInt(s.length());
        switch (random.nextInt(3)) {
            case 0 -> s.deleteCharAt(at);
            case 1 -> s.insert(at, "{}[]\",:\\ \u0001e-.0tn".charAt(random.nextInt(16)));
            default -> s.setCharAt(at, "{}[]\",:\\ \u0001e-.0tn".charAt(random.nextInt(16)));
        }
        return s.toString();
    }
}
