package io.frostbyte.server.jobs;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.postgres.AuditExportRecord;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresAuditExports;
import io.frostbyte.postgres.audit.AuditExportRequest;
import io.frostbyte.postgres.audit.AuditExportResult;
import io.frostbyte.postgres.audit.AuditExportWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Runs an audit export job: writes the signed archive to {@code <data_dir>/exports/audit/<tenant>/<export_id>.tar.gz}
 * (atomically), then in one transaction marks the export completed and appends AUDIT_EXPORTED. Idempotent: a rerun
 * rewrites the same archive.
 */
public final class AuditExportJob implements JobHandler {
    private final AuditExportWriter writer;
    private final PostgresAuditExports exports;
    private final AuditLog audit;
    private final Database database;
    private final Path root;

    public AuditExportJob(
            AuditExportWriter writer, PostgresAuditExports exports, AuditLog audit, Database database, Path root) {
        this.writer = requireNonNull(writer, "writer is null");
        this.exports = requireNonNull(exports, "exports is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.database = requireNonNull(database, "database is null");
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public void handle(Job job) throws IOException {
        TenantId tenant = job.tenantId();
        UUID exportId = UUID.fromString(job.payload().get("export_id"));
        AuditExportRecord record = exports.find(tenant, exportId)
                .orElseThrow(
                        () -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "export not found for its tenant"));
        if (record.status().equals("completed")) {
            return;
        }
        exports.markRunning(tenant, exportId);
        AuditExportRequest request = new AuditExportRequest(
                exportId,
                tenant,
                record.format().equals("csv") ? AuditExportRequest.Format.CSV : AuditExportRequest.Format.JSONL,
                record.startDate(),
                record.endDate(),
                record.eventTypes()
                        .map(types -> types.stream().map(EventType::valueOf).toList()),
                record.includeDetails());
        Path directory = root.resolve(tenant.value());
        Files.createDirectories(directory);
        Path target = directory.resolve(exportId + ".tar.gz");
        Path partial = directory.resolve(exportId + ".tar.gz.partial");
        AuditExportResult result;
        try (OutputStream out = Files.newOutputStream(partial)) {
            result = writer.write(request, out);
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(partial);
            if (job.attempt() >= job.stage().maxAttempts()) {
                exports.fail(tenant, exportId, ErrorCode.INTERNAL_ERROR);
            }
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        TreeMap<String, Object> details = new TreeMap<>();
        details.put("component", "export");
        details.put("status", "success");
        details.put("export_id", exportId.toString());
        details.put("from", record.startDate().toString());
        details.put("to", record.endDate().toString());
        details.put("first_seq", result.firstSeq());
        details.put("last_seq", result.lastSeq());
        details.put("event_count", result.eventCount());
        details.put("format", record.format());
        details.put("file_sha256", result.archiveSha256());
        database.inTransaction(tx -> {
            exports.complete(
                    tx,
                    tenant,
                    exportId,
                    result.eventCount(),
                    result.archiveSha256(),
                    result.archiveBytes(),
                    target.toString());
            audit.append(
                    tx,
                    new AuditEventDraft(
                            tenant,
                            EventType.AUDIT_EXPORTED,
                            AuditEventDraft.SYSTEM,
                            "export",
                            exportId.toString(),
                            Optional.empty(),
                            details));
            return null;
        });
    }
}
