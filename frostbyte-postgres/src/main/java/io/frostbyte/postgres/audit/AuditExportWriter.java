package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an audit export archive (spec/06 §6.6) as a {@code .tar.gz} stream: {@code events.jsonl} (the stored events
 * exactly, one {@link AuditEventJson#toJson} object per line) or {@code events.csv}, {@code checkpoints.jsonl} (the
 * checkpoints from the anchor to the last event), {@code manifest.json} and {@code manifest.sig} (the signer's
 * {@link SignatureValue} as JSON, over the manifest's JCS bytes).
 *
 * <p>Events are read with a cursor in one repeatable-read snapshot and spooled to a temporary directory (tar needs
 * each file's size before its bytes), deleted afterwards; memory does not grow with the export. The caller's stream
 * is flushed, not closed. Thread-safe; each call is independent.
 */
public final class AuditExportWriter {
    static final String CHECKPOINTS_FILE = "checkpoints.jsonl";
    static final String MANIFEST_FILE = "manifest.json";
    static final String SIGNATURE_FILE = "manifest.sig";
    static final List<String> CSV_COLUMNS = List.of(
            "event_id",
            "tenant_id",
            "seq",
            "event_type",
            "timestamp",
            "actor",
            "resource_type",
            "resource_id",
            "previous_event_id",
            "status",
            "component",
            "details_json",
            "prev_hash",
            "event_hash");

    private final DataSource dataSource;
    private final Signer signer;
    private final Clock clock;

    public AuditExportWriter(DataSource dataSource, Signer signer, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Writes the archive for the request to {@code out}. */
    public AuditExportResult write(AuditExportRequest request, OutputStream out) {
        requireNonNull(request, "request is null");
        requireNonNull(out, "out is null");
        Path spool = null;
        try {
            spool = Files.createTempDirectory("frostbyte-audit-export");
            Path events = spool.resolve(request.format().eventsFile());
            Path checkpoints = spool.resolve(CHECKPOINTS_FILE);
            Segment segment =
                    AuditSql.inTransaction(dataSource, true, c -> spoolSegment(c, request, events, checkpoints));
            ObjectNode manifest = manifest(request, segment, events, checkpoints);
            byte[] manifestBytes = (AuditEventJson.MAPPER
                                    .writerWithDefaultPrettyPrinter()
                                    .writeValueAsString(manifest)
                            + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            SignatureValue signature = signer.sign(AuditEventJson.canonicalize(manifest));
            ObjectNode sig = AuditEventJson.MAPPER.createObjectNode();
            sig.put("alg", signature.alg());
            sig.put("key_id", signature.keyId());
            sig.put("value", signature.value());
            byte[] sigBytes = (AuditEventJson.MAPPER.writeValueAsString(sig) + "\n").getBytes(StandardCharsets.UTF_8);

            MessageDigest archiveDigest = AuditEventJson.sha256();
            CountingStream counting = new CountingStream(new DigestOutputStream(out, archiveDigest));
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(counting, 65536))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                putFile(tar, request.format().eventsFile(), events);
                putFile(tar, CHECKPOINTS_FILE, checkpoints);
                putBytes(tar, MANIFEST_FILE, manifestBytes);
                putBytes(tar, SIGNATURE_FILE, sigBytes);
                tar.finish();
            }
            out.flush();
            return new AuditExportResult(
                    new String(manifestBytes, StandardCharsets.UTF_8),
                    HexFormat.of().formatHex(archiveDigest.digest()),
                    counting.count,
                    segment.count,
                    segment.firstSeq,
                    segment.lastSeq);
        } catch (IOException e) {
            throw new UncheckedIOException("audit export could not be written", e);
        } finally {
            if (spool != null) {
                deleteQuietly(spool);
            }
        }
    }

    private Segment spoolSegment(Connection c, AuditExportRequest request, Path eventsFile, Path checkpointsFile)
            throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        StringBuilder sql = new StringBuilder("SELECT " + AuditSql.EVENT_COLUMNS
                + " FROM audit_events WHERE tenant_id = ? AND \"timestamp\" >= ? AND \"timestamp\" < ?");
        if (request.eventTypes().isPresent()) {
            sql.append(" AND event_type = ANY (?)");
        }
        sql.append(" ORDER BY seq");
        Segment segment = new Segment();
        try (PreparedStatement select = c.prepareStatement(sql.toString());
                Writer writer = new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(eventsFile), StandardCharsets.UTF_8), 65536)) {
            select.setFetchSize(2000);
            select.setString(1, request.tenantId().value());
            select.setObject(2, request.from().atStartOfDay().atOffset(ZoneOffset.UTC));
            select.setObject(3, request.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            if (request.eventTypes().isPresent()) {
                select.setArray(
                        4,
                        c.createArrayOf(
                                "text",
                                request.eventTypes().get().stream()
                                        .map(EventType::name)
                                        .toArray(String[]::new)));
            }
            if (request.format() == AuditExportRequest.Format.CSV) {
                writer.write(String.join(",", CSV_COLUMNS));
                writer.write("\r\n");
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    AuditEvent event = AuditSql.event(rows);
                    if (segment.count == 0) {
                        segment.firstSeq = event.seq();
                    }
                    segment.lastSeq = event.seq();
                    segment.count++;
                    if (request.format() == AuditExportRequest.Format.JSONL) {
                        ObjectNode node = AuditEventJson.toNode(event);
                        if (!request.includeDetails()) {
                            node.putNull("details");
                        }
                        writer.write(AuditEventJson.MAPPER.writeValueAsString(node));
                        writer.write('\n');
                    } else {
                        writer.write(csvLine(event, request.includeDetails()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (segment.count > 0) {
            segment.anchorSeq = segment.firstSeq - 1;
            segment.anchorHash = segment.anchorSeq == 0
                    ? AuditEvent.GENESIS_HASH
                    : storedHash(c, request.tenantId(), segment.anchorSeq);
        }
        try (Writer writer = Files.newBufferedWriter(checkpointsFile, StandardCharsets.UTF_8)) {
            if (segment.count > 0) {
                for (AuditCheckpoint checkpoint : AuditVerifier.checkpoints(
                                c, request.tenantId(), Math.max(1, segment.anchorSeq))
                        .headMap(segment.lastSeq, true)
                        .values()) {
                    writer.write(checkpoint.toJson());
                    writer.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return segment;
    }

    private ObjectNode manifest(AuditExportRequest request, Segment segment, Path events, Path checkpoints)
            throws IOException {
        ObjectNode manifest = AuditEventJson.MAPPER.createObjectNode();
        manifest.put("export_id", request.exportId().toString());
        manifest.put("tenant_id", request.tenantId().value());
        manifest.put("format", request.format().wireName());
        manifest.put("from", request.from().toString());
        manifest.put("to", request.to().toString());
        if (request.eventTypes().isPresent()) {
            ArrayNode types = manifest.putArray("event_types");
            request.eventTypes().get().forEach(t -> types.add(t.name()));
        } else {
            manifest.putNull("event_types");
        }
        manifest.put("include_details", request.includeDetails());
        manifest.put("verifiable", request.verifiable());
        if (segment.count > 0) {
            manifest.put("first_seq", segment.firstSeq);
            manifest.put("last_seq", segment.lastSeq);
        } else {
            manifest.putNull("first_seq");
            manifest.putNull("last_seq");
        }
        manifest.put("event_count", segment.count);
        if (segment.count > 0 && segment.anchorHash != null) {
            ObjectNode anchor = manifest.putObject("anchor");
            anchor.put("seq", segment.anchorSeq);
            anchor.put("event_hash", segment.anchorHash);
        } else {
            manifest.putNull("anchor");
        }
        ArrayNode files = manifest.putArray("files");
        for (Path file : List.of(events, checkpoints)) {
            ObjectNode entry = files.addObject();
            entry.put("path", file.getFileName().toString());
            entry.put("sha256", sha256(file));
            entry.put("size_bytes", Files.size(file));
        }
        manifest.put(
                "created_at", AuditEventJson.formatTimestamp(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        manifest.put("signing_key_id", signer.keyId());
        return manifest;
    }

    static String csvLine(AuditEvent event, boolean includeDetails) {
        Object status = event.details().get("status");
        Object component = event.details().get("component");
        List<String> values = List.of(
                event.eventId().toString(),
                event.tenantId().value(),
                Long.toString(event.seq()),
                event.eventType().name(),
                AuditEventJson.formatTimestamp(event.timestamp()),
                event.actor(),
                event.resourceType(),
                event.resourceId(),
                event.previousEventId().map(Object::toString).orElse(""),
                status == null ? "" : status.toString(),
                component == null ? "" : component.toString(),
                includeDetails ? AuditEventJson.detailsJson(event.details()) : "",
                event.prevHash(),
                event.eventHash());
        StringBuilder line = new StringBuilder(512);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String value = values.get(i);
            if (value.indexOf(',') >= 0
                    || value.indexOf('"') >= 0
                    || value.indexOf('\n') >= 0
                    || value.indexOf('\r') >= 0) {
                line.append('"').append(value.replace("\"", "\"\"")).append('"');
            } else {
                line.append(value);
            }
        }
        return line.append("\r\n").toString();
    }

    private static String storedHash(Connection c, TenantId tenantId, long seq) throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT event_hash FROM audit_events WHERE tenant_id = ? AND seq = ?")) {
            select.setString(1, tenantId.value());
            select.setLong(2, seq);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = AuditEventJson.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void putFile(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(file));
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a temporary directory; the OS cleans up what is left
        }
    }

    private static final class Segment {
        long count;
        long firstSeq;
        long lastSeq;
        long anchorSeq;
        String anchorHash;
    }

    /** Counts bytes and keeps the caller's stream open when the archive is closed. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
