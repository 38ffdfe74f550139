package io.frostbyte.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.EventType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditEventJsonTest {
    private static final String ZEROS = "0".repeat(64);

    private static AuditEvent event(String eventHash) {
        return new AuditEvent(
                UUID.fromString("019cae0b-d6bc-7af2-908e-b2deefb665ad"),
                TenantId.of("acme-corp"),
                1,
                EventType.BATCH_RECEIVED,
                Instant.parse("2026-03-02T10:15:36.100Z"),
                "system",
                "batch",
                "batch-1",
                Optional.empty(),
                new TreeMap<>(Map.of("status", "success", "file_count", 3L, "codes", List.of("b", "a"))),
                ZEROS,
                eventHash);
    }

    @Test
    void hashes_the_prev_hash_text_followed_by_the_jcs_bytes_of_the_event_without_its_hash() throws Exception {
        String canonical = "{\"actor\":\"system\",\"details\":{\"codes\":[\"b\",\"a\"],\"file_count\":3,"
                + "\"status\":\"success\"},\"event_id\":\"019cae0b-d6bc-7af2-908e-b2deefb665ad\","
                + "\"event_type\":\"BATCH_RECEIVED\",\"prev_hash\":\"" + ZEROS + "\",\"previous_event_id\":null,"
                + "\"resource_id\":\"batch-1\",\"resource_type\":\"batch\",\"seq\":1,\"tenant_id\":\"acme-corp\","
                + "\"timestamp\":\"2026-03-02T10:15:36.100Z\"}";
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest((ZEROS + canonical).getBytes(StandardCharsets.UTF_8)));

        assertThat(new String(AuditEventJson.canonicalBytesForHash(event("x")), StandardCharsets.UTF_8))
                .isEqualTo(canonical);
        assertThat(AuditEventJson.computeEventHash(event("x"))).isEqualTo(expected);
    }

    @Test
    void writes_the_envelope_in_spec_order_with_three_millisecond_digits_and_reads_it_back() {
        AuditEvent event = event("ab".repeat(32));

        String json = AuditEventJson.toJson(event);

        assertThat(json)
                .startsWith("{\"event_id\":\"019cae0b-d6bc-7af2-908e-b2deefb665ad\",\"tenant_id\":\"acme-corp\","
                        + "\"seq\":1,\"event_type\":\"BATCH_RECEIVED\",\"timestamp\":\"2026-03-02T10:15:36.100Z\"")
                .endsWith("\"event_hash\":\"" + "ab".repeat(32) + "\"}")
                .contains("\"previous_event_id\":null")
                .doesNotContain("\n");
        assertThat(AuditEventJson.fromJson(json)).isEqualTo(event);
    }

    @Test
    void formats_whole_seconds_and_sub_millisecond_instants_with_exactly_three_digits() {
        assertThat(AuditEventJson.formatTimestamp(Instant.parse("2026-03-02T10:15:36Z")))
                .isEqualTo("2026-03-02T10:15:36.000Z");
        assertThat(AuditEventJson.formatTimestamp(Instant.parse("2026-03-02T10:15:36.118999Z")))
                .isEqualTo("2026-03-02T10:15:36.118Z");
    }

    @Test
    void hashes_jsonb_formatted_details_like_the_application_formatted_ones() {
        byte[] fromApplication = AuditEventJson.canonicalBytesForHash(event("x"));
        byte[] fromDatabase = AuditEventJson.hashInput(
                "019cae0b-d6bc-7af2-908e-b2deefb665ad",
                "acme-corp",
                1,
                "BATCH_RECEIVED",
                "2026-03-02T10:15:36.100Z",
                "system",
                "batch",
                "batch-1",
                null,
                "{\"codes\": [\"b\", \"a\"], \"status\": \"success\", \"file_count\": 3}",
                ZEROS);

        assertThat(fromDatabase).isEqualTo(fromApplication);
    }
}
