package io.frostbyte.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.MutableClock;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditExportIT {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final LocalDate DAY_2 = LocalDate.parse("2026-03-02");
    private static TestDatabase db;
    private static TestEd25519Signer signer;
    private static AuditExportWriter writer;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        PostgresAuditLog log = new PostgresAuditLog(clock);
        signer = new TestEd25519Signer();
        AuditCheckpointer checkpointer =
                new AuditCheckpointer(db.dataSource(), log, signer, clock, 10, Duration.ofSeconds(300));
        appendDay(log, checkpointer, 15); // day 1: seq 1..16 (a checkpoint at 10, its event at 11)
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        appendDay(log, checkpointer, 25); // day 2: seq 17.., checkpoints at 17 (300 s passed), 27, 37
        clock.set(Instant.parse("2026-03-02T11:00:04.221Z"));
        writer = new AuditExportWriter(db.dataSource(), signer, clock);
    }

    private static void appendDay(PostgresAuditLog log, AuditCheckpointer checkpointer, int n) {
        for (int i = 0; i < n; i++) {
            long count = i;
            db.database().inTransaction(c -> {
                log.append(
                        c,
                        new AuditEventDraft(
                                ACME,
                                EventType.BATCH_RECEIVED,
                                "system",
                                "batch",
                                "batch-" + count,
                                Optional.empty(),
                                new java.util.TreeMap<>(
                                        Map.of("status", "success", "component", "intake", "note_sha256", "a,b\"c"))));
                checkpointer.checkpointIfDue(c, ACME);
                return null;
            });
        }
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static AuditExportRequest request(
            AuditExportRequest.Format format, Optional<List<EventType>> types, boolean details) {
        return new AuditExportRequest(
                UUID.fromString("019cae0b-ea04-7b71-b540-a8f8ab12d156"), ACME, format, DAY_2, DAY_2, types, details);
    }

    private static byte[] export(AuditExportRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(request, out);
        return out.toByteArray();
    }

    private static Map<String, byte[]> members(byte[] archive) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                members.put(entry.getName(), tar.readAllBytes());
            }
        }
        return members;
    }

    private static byte[] repack(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (Map.Entry<String, byte[]> member : members.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(member.getKey());
                entry.setSize(member.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(member.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void writes_a_signed_jsonl_archive_of_one_day_anchored_on_the_event_before_it() throws Exception {
        byte[] archive = export(request(AuditExportRequest.Format.JSONL, Optional.empty(), true));

        Map<String, byte[]> members = members(archive);
        assertThat(members.keySet())
                .containsExactly("events.jsonl", "checkpoints.jsonl", "manifest.json", "manifest.sig");
        JsonNode manifest = AuditEventJson.MAPPER.readTree(members.get("manifest.json"));
        List<String> fields = new ArrayList<>();
        manifest.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .containsExactly(
                        "export_id",
                        "tenant_id",
                        "format",
                        "from",
                        "to",
                        "event_types",
                        "include_details",
                        "verifiable",
                        "first_seq",
                        "last_seq",
                        "event_count",
                        "anchor",
                        "files",
                        "created_at",
                        "signing_key_id");
        assertThat(manifest.get("first_seq").asLong()).isEqualTo(17);
        assertThat(manifest.get("event_count").asLong())
                .isEqualTo(manifest.get("last_seq").asLong() - 16);
        assertThat(manifest.get("anchor").get("seq").asLong()).isEqualTo(16);
        assertThat(manifest.get("verifiable").asBoolean()).isTrue();
        assertThat(manifest.get("created_at").asText()).isEqualTo("2026-03-02T11:00:04.221Z");
        assertThat(manifest.get("signing_key_id").asText()).isEqualTo(signer.keyId());
        String[] lines = new String(members.get("events.jsonl"), StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(manifest.get("event_count").asInt());
        List<String> stored = AuditTestSupport.allEventJson(db.dataSource());
        assertThat(stored).contains(lines);
        assertThat(new String(members.get("checkpoints.jsonl"), StandardCharsets.UTF_8))
                .contains("\"seq\":27");

        AuditExportVerification verification =
                AuditExportVerifier.verify(new ByteArrayInputStream(archive), signer::verify);

        assertThat(verification.problems()).isEmpty();
        assertThat(verification.valid()).isTrue();
        assertThat(verification.chain().orElseThrow().eventsChecked()).isEqualTo(lines.length);
        assertThat(verification.chain().orElseThrow().checkpointsChecked()).isPositive();
    }

    @Test
    void writes_the_spec_csv_columns_and_verifies_the_csv_offline() throws Exception {
        byte[] archive = export(request(AuditExportRequest.Format.CSV, Optional.empty(), true));

        String csv = new String(members(archive).get("events.csv"), StandardCharsets.UTF_8);
        assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("event_id,tenant_id,seq,event_type,timestamp,actor,resource_type,resource_id,"
                        + "previous_event_id,status,component,details_json,prev_hash,event_hash");
        assertThat(csv.lines().skip(1).findFirst().orElseThrow())
                .contains(",17,BATCH_RECEIVED,2026-03-02T08:00:00.000Z,system,batch,batch-0,,success,intake,");
        AuditExportVerification verification =
                AuditExportVerifier.verify(new ByteArrayInputStream(archive), signer::verify);
        assertThat(verification.problems()).isEmpty();
        assertThat(verification.valid()).isTrue();
        assertThat(verification.chain()).isPresent();
    }

    @Test
    void detects_an_edited_event_line_even_with_the_manifest_hash_fixed_up() throws Exception {
        Map<String, byte[]> members = members(export(request(AuditExportRequest.Format.JSONL, Optional.empty(), true)));
        String events = new String(members.get("events.jsonl"), StandardCharsets.UTF_8);
        members.put(
                "events.jsonl", events.replaceFirst("batch-3\"", "batch-X\"").getBytes(StandardCharsets.UTF_8));

        AuditExportVerification edited =
                AuditExportVerifier.verify(new ByteArrayInputStream(repack(members)), signer::verify);

        assertThat(edited.valid()).isFalse();
        assertThat(edited.problems()).anyMatch(p -> p.startsWith("events.jsonl sha256 is"));
        assertThat(edited.chain().orElseThrow().breaks())
                .extracting(b -> b.seq() + ":" + b.kind().wireName())
                .containsExactly("21:event_hash");
    }

    @Test
    void rejects_a_manifest_signed_by_another_key() throws Exception {
        byte[] archive = export(request(AuditExportRequest.Format.JSONL, Optional.empty(), true));
        TestEd25519Signer other = new TestEd25519Signer();

        AuditExportVerification verification =
                AuditExportVerifier.verify(new ByteArrayInputStream(archive), other::verify);

        assertThat(verification.manifestSignatureValid()).isFalse();
        assertThat(verification.valid()).isFalse();
    }

    @Test
    void marks_a_filtered_or_detail_free_export_as_not_verifiable() throws Exception {
        byte[] filtered = export(
                request(AuditExportRequest.Format.JSONL, Optional.of(List.of(EventType.AUDIT_CHECKPOINT)), true));
        byte[] bare = export(request(AuditExportRequest.Format.CSV, Optional.empty(), false));

        JsonNode filteredManifest =
                AuditEventJson.MAPPER.readTree(members(filtered).get("manifest.json"));
        assertThat(filteredManifest.get("verifiable").asBoolean()).isFalse();
        assertThat(filteredManifest.get("event_types").get(0).asText()).isEqualTo("AUDIT_CHECKPOINT");
        assertThat(AuditEventJson.MAPPER
                        .readTree(members(bare).get("manifest.json"))
                        .get("verifiable")
                        .asBoolean())
                .isFalse();
        AuditExportVerification verification =
                AuditExportVerifier.verify(new ByteArrayInputStream(bare), signer::verify);
        assertThat(verification.valid()).isTrue();
        assertThat(verification.verifiable()).isFalse();
        assertThat(verification.chain()).isEmpty();
    }
}
