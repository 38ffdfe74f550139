package io.frostbyte.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.MutableClock;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events with random unicode details written through PostgreSQL's jsonb: the verifier's fast hash of the stored
 * columns ({@code details::text}) equals erdtman's canonicalization of the same text, and the chain verifies.
 */
class CanonicalJsonbIT {
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(2);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void jsonb_details_hash_like_erdtman_and_the_chain_verifies() throws Exception {
        TenantId tenant = TenantId.of("jsonb-random");
        PostgresAuditLog log = new PostgresAuditLog(new MutableClock(Instant.parse("2026-03-02T10:00:00Z")));
        Random random = new Random(2028L);
        List<AuditEventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            SortedMap<String, Object> details = new TreeMap<>();
            int n = random.nextInt(8);
            for (int k = 0; k < n; k++) {
                details.put("k" + random.nextInt(40) + (random.nextBoolean() ? "" : "_x"), value(random, 0));
            }
            drafts.add(new AuditEventDraft(
                    tenant,
                    EventType.DOCUMENT_PARSED,
                    AuditEventDraft.SYSTEM,
                    "document",
                    "doc-" + text(random) + "x",
                    random.nextBoolean()
                            ? Optional.empty()
                            : Optional.of(new UUID(random.nextLong(), random.nextLong())),
                    details));
        }
        db.database().inTransaction(c -> {
            log.appendAll(c, drafts.subList(0, 300));
            for (AuditEventDraft draft : drafts.subList(300, 600)) {
                log.append(c, draft);
            }
            return null;
        });

        int checked = 0;
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT event_id::text, tenant_id, seq, event_type,"
                        + " (extract(epoch FROM \"timestamp\") * 1000)::bigint, actor, resource_type, resource_id,"
                        + " previous_event_id::text, details::text, prev_hash, event_hash FROM audit_events"
                        + " WHERE tenant_id = ? ORDER BY seq")) {
            select.setString(1, tenant.value());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String timestamp = AuditEventJson.TIMESTAMP.format(Instant.ofEpochMilli(rows.getLong(5)));
                    String reference = "{\"event_id\":\"" + rows.getString(1) + "\",\"tenant_id\":\""
                            + rows.getString(2) + "\",\"seq\":" + rows.getLong(3) + ",\"event_type\":\""
                            + rows.getString(4) + "\",\"timestamp\":\"" + timestamp + "\",\"actor\":\""
                            + rows.getString(6) + "\",\"resource_type\":\"" + rows.getString(7)
                            + "\",\"resource_id\":" + AuditEventJson.MAPPER.writeValueAsString(rows.getString(8))
                            + ",\"previous_event_id\":"
                            + AuditEventJson.MAPPER.writeValueAsString(rows.getString(9)) + ",\"details\":"
                            + rows.getString(10) + ",\"prev_hash\":\"" + rows.getString(11) + "\"}";
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    digest.update(rows.getString(11).getBytes(StandardCharsets.US_ASCII));
                    digest.update(new JsonCanonicalizer(reference).getEncodedUTF8());
                    String expected = HexFormat.of().formatHex(digest.digest());

                    assertThat(AuditEventJson.eventHashOfColumns(
                                    rows.getString(1),
                                    rows.getString(2),
                                    rows.getLong(3),
                                    rows.getString(4),
                                    AuditEventJson.formatEpochMillis(rows.getLong(5)),
                                    rows.getString(6),
                                    rows.getString(7),
                                    rows.getString(8),
                                    rows.getString(9),
                                    rows.getString(10),
                                    rows.getString(11)))
                            .as("seq %d, details %s", rows.getLong(3), rows.getString(10))
                            .isEqualTo(expected)
                            .isEqualTo(rows.getString(12));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(600);

        AuditVerification verification = new AuditVerifier(db.dataSource(), (m, s) -> true).verify(tenant);
        assertThat(verification.breaks()).isEmpty();
        assertThat(verification.eventsChecked()).isEqualTo(600);
    }

    private static Object value(Random random, int depth) {
        return switch (random.nextInt(depth < 3 ? 8 : 5)) {
            case 0 -> null;
            case 1, 2 -> text(random);
            case 3 -> random.nextBoolean();
            case 4 -> random.nextLong(-(1L << 53), (1L << 53) + 1);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(random, depth + 1));
                }
                yield list;
            }
            default -> {
                SortedMap<String, Object> map = new TreeMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(
                            random.nextBoolean() ? "a" + random.nextInt(30) : "B_" + random.nextInt(30),
                            value(random, depth + 1));
                }
                yield map;
            }
        };
    }

    /** Random text that PostgreSQL can store: no NUL, no unpaired surrogates. */
    private static String text(Random random) {
        String s = CanonicalEventWriterTest.randomString(random, false).replace('\0', ' ');
        StringBuilder clean = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                clean.append(c).append(s.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                clean.append(c);
            }
        }
        return clean.toString();
    }
}
