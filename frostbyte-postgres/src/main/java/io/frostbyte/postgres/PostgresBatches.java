package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.intake.BatchStatus;
import io.frostbyte.core.intake.FileStatus;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Batches, receipts, per-file stage progress and the batch event stream in the control database (spec/01 §1.7–1.9).
 * Every statement has a {@code tenant_id} predicate. Writes take the caller's transaction, so a receipt commits with
 * its audit event and parse job (spec/01 §1.3 step 6) and a stage change with the stage's own completion (spec/09
 * OPS-2a). Events get gap-free ids per batch from the batch row, which the writer locks.
 *
 * <p>Thread-safe; holds no connection.
 */
public final class PostgresBatches {
    private static final String FILE_COLUMNS = "position, file_id, receipt_id, original_filename, doc_id, file_status,"
            + " stage_intake, stage_parse, stage_policy, stage_embed, stage_index, error_stage, error_code,"
            + " error_message, retry_count, last_retry_at";

    private static final io.frostbyte.core.Uuid7 REPORT_IDS = new io.frostbyte.core.Uuid7(Clock.systemUTC());

    private final DataSource control;
    private final Clock clock;

    public PostgresBatches(DataSource control, Clock clock) {
        this.control = requireNonNull(control, "control is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A committed batch's identity and its stored batch receipt (the 202 body's {@code data}). */
    public record StoredBatch(String manifestSha256, String batchReceipt) {}

    /** A batch to insert; {@code batchReceipt} is the JSON of the 202 answer's {@code data}. */
    public record NewBatch(
            TenantId tenantId,
            String batchId,
            String manifestSha256,
            int fileCount,
            Optional<Instant> submittedAt,
            Optional<String> submitter,
            String batchReceipt,
            Instant receivedAt) {
        public NewBatch {
            requireNonNull(tenantId, "tenantId is null");
            requireNonNull(batchId, "batchId is null");
            requireNonNull(manifestSha256, "manifestSha256 is null");
            requireNonNull(submittedAt, "submittedAt is null");
            requireNonNull(submitter, "submitter is null");
            requireNonNull(batchReceipt, "batchReceipt is null");
            requireNonNull(receivedAt, "receivedAt is null");
        }
    }

    /**
     * A signed receipt to insert.
     *
     * @param storedBytes the bytes this receipt added to the tenant's storage (0 when rejected or deduplicated)
     * @param receipt the receipt's JSON exactly as signed and served
     */
    public record NewReceipt(
            UUID receiptId,
            String fileId,
            int position,
            String status,
            Optional<String> docId,
            boolean deduplicated,
            long storedBytes,
            String receipt) {
        public NewReceipt {
            requireNonNull(receiptId, "receiptId is null");
            requireNonNull(fileId, "fileId is null");
            requireNonNull(status, "status is null");
            requireNonNull(docId, "docId is null");
            requireNonNull(receipt, "receipt is null");
        }
    }

    /** One page of a tenant's batches, newest first. */
    public record BatchSummary(
            String batchId, BatchStatus status, int fileCount, Instant receivedAt, Instant updatedAt) {}

    public Optional<StoredBatch> find(TenantId tenantId, String batchId) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT manifest_sha256, batch_receipt FROM batches WHERE tenant_id = ? AND batch_id = ?")) {
                select.setString(1, tenantId.value());
                select.setString(2, batchId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new StoredBatch(rows.getString(1), rows.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }

    /** Plaintext bytes the tenant stores (accepted and quarantined files, each distinct content once). */
    public long storedBytes(TenantId tenantId) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT coalesce(sum(stored_bytes), 0) FROM receipts WHERE tenant_id = ?")) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /**
     * Inserts a batch with its receipts and files, then emits each file's intake outcome and the batch's status as
     * events, all in {@code transaction}.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code BATCH_ALREADY_EXISTS} when the tenant has the batch id
     */
    public void insert(Connection transaction, NewBatch batch, List<NewReceipt> receipts, List<BatchFile> files) {
        Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO batches (tenant_id, batch_id, manifest_sha256, status, file_count, submitted_at,
                                         submitter, batch_receipt, received_at, updated_at)
                    VALUES (?, ?, ?, 'RECEIVED', ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tenant_id, batch_id) DO NOTHING
                    """)) {
                insert.setString(1, batch.tenantId().value());
                insert.setString(2, batch.batchId());
                insert.setString(3, batch.manifestSha256());
                insert.setInt(4, batch.fileCount());
                if (batch.submittedAt().isPresent()) {
                    Jdbc.setInstant(insert, 5, batch.submittedAt().get());
                } else {
                    insert.setNull(5, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                }
                insert.setString(6, batch.submitter().orElse(null));
                insert.setString(7, batch.batchReceipt());
                Jdbc.setInstant(insert, 8, batch.receivedAt());
                Jdbc.setInstant(insert, 9, batch.receivedAt());
                if (insert.executeUpdate() == 0) {
                    throw new io.frostbyte.core.FrostbyteException(
                            io.frostbyte.core.ErrorCode.BATCH_ALREADY_EXISTS,
                            "batch_id is already used by this tenant");
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO receipts (receipt_id, tenant_id, batch_id, position, file_id, status, doc_id,
                                          deduplicated, stored_bytes, receipt, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)) {
                for (NewReceipt receipt : receipts) {
                    insert.setObject(1, receipt.receiptId());
                    insert.setString(2, batch.tenantId().value());
                    insert.setString(3, batch.batchId());
                    insert.setInt(4, receipt.position());
                    insert.setString(5, receipt.fileId());
                    insert.setString(6, receipt.status());
                    insert.setString(7, receipt.docId().orElse(null));
                    insert.setBoolean(8, receipt.deduplicated());
                    insert.setLong(9, receipt.storedBytes());
                    insert.setString(10, receipt.receipt());
                    Jdbc.setInstant(insert, 11, batch.receivedAt());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_files (tenant_id,"
                    + " batch_id, " + FILE_COLUMNS + ", updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (BatchFile file : files) {
                    int i = 1;
                    insert.setString(i++, batch.tenantId().value());
                    insert.setString(i++, batch.batchId());
                    insert.setInt(i++, file.position());
                    insert.setString(i++, file.fileId());
                    insert.setObject(i++, file.receiptId());
                    insert.setString(i++, file.originalFilename());
                    insert.setString(i++, file.docId().orElse(null));
                    insert.setString(i++, file.status().wire());
                    for (PipelineStage stage : PipelineStage.values()) {
                        insert.setString(i++, file.stages().get(stage).wire());
                    }
                    insert.setString(
                            i++, file.error().map(e -> e.stage().wire()).orElse(null));
                    insert.setString(
                            i++, file.error().map(BatchFile.FileError::code).orElse(null));
                    insert.setString(
                            i++, file.error().map(BatchFile.FileError::message).orElse(null));
                    insert.setInt(i++, 0);
                    insert.setObject(i++, null);
                    Jdbc.setInstant(insert, i, batch.receivedAt());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            for (BatchFile file : files) {
                StageState intake = file.stages().get(PipelineStage.INTAKE);
                appendEvent(
                        connection,
                        batch.tenantId(),
                        batch.batchId(),
                        "stage",
                        stageEventData(
                                batch.batchId(),
                                file,
                                PipelineStage.INTAKE,
                                intake,
                                StageState.PROCESSING,
                                batch.receivedAt()));
            }
            refreshStatus(connection, batch.tenantId(), batch.batchId());
            return null;
        });
    }

    /**
     * Records that {@code stage} of the document reached {@code state} in every batch where the document is still
     * open, and emits the events; a terminal state ends the file ({@code failed} or {@code quarantined}, later stages
     * {@code skipped}), a completed {@code index} makes it {@code indexed}. Runs in the stage's own transaction.
     *
     * @return how many batch files changed
     */
    public int stageChanged(
            Connection transaction,
            TenantId tenantId,
            String docId,
            PipelineStage stage,
            StageState state,
            Optional<BatchFile.FileError> error) {
        return Jdbc.onConnection(transaction, connection -> {
            // the open files of the document and their batches' rows, locked, with their current state: one
            // statement for every batch (rows are locked in batch order, so two documents cannot deadlock)
            List<Map.Entry<String, BatchFile>> targets = new ArrayList<>();
            Map<String, BatchStatus> stored = new java.util.HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT f.batch_id, b.status AS batch_status, "
                    + FILE_COLUMNS
                    + " FROM batch_files f JOIN batches b ON b.tenant_id = f.tenant_id AND b.batch_id = f.batch_id"
                    + " WHERE f.tenant_id = ? AND f.doc_id = ?"
                    + " AND f.file_status IN ('queued', 'processing', 'failed') ORDER BY f.batch_id, f.position"
                    + " FOR UPDATE")) {
                select.setString(1, tenantId.value());
                select.setString(2, docId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String batchId = rows.getString("batch_id");
                        targets.add(Map.entry(batchId, file(rows)));
                        stored.put(batchId, BatchStatus.valueOf(rows.getString("batch_status")));
                    }
                }
            }
            Instant now = clock.instant();
            int changed = 0;
            for (Map.Entry<String, BatchFile> target : targets) {
                String batchId = target.getKey();
                BatchFile before = target.getValue();
                StageState previous = before.stages().get(stage);
                if (previous == state && before.error().equals(error)) {
                    continue;
                }
                Map<PipelineStage, StageState> stages = new EnumMap<>(before.stages());
                stages.put(stage, state);
                FileStatus status = FileStatus.PROCESSING;
                boolean ends = state == StageState.FAILED || state == StageState.QUARANTINED;
                if (ends) {
                    status = state == StageState.FAILED ? FileStatus.FAILED : FileStatus.QUARANTINED;
                    for (PipelineStage later : PipelineStage.values()) {
                        if (later.ordinal() > stage.ordinal()) {
                            stages.put(later, StageState.SKIPPED);
                        }
                    }
                } else if (stage == PipelineStage.INDEX && state == StageState.COMPLETED) {
                    status = FileStatus.INDEXED;
                } else if (before.status() == FileStatus.FAILED) {
                    // a dead-letter retry reopens the file: the stages after this one run again
                    for (PipelineStage later : PipelineStage.values()) {
                        if (later.ordinal() > stage.ordinal()) {
                            stages.put(later, StageState.QUEUED);
                        }
                    }
                }
                boolean retry = before.status() == FileStatus.FAILED && !ends;
                Optional<BatchFile.FileError> kept = ends ? error : Optional.empty();
                // the row as the update below leaves it
                BatchFile after = new BatchFile(
                        before.position(),
                        before.fileId(),
                        before.receiptId(),
                        before.originalFilename(),
                        before.docId(),
                        status,
                        stages,
                        kept,
                        before.retryCount() + (retry ? 1 : 0),
                        retry ? Optional.of(Jdbc.micros(now)) : before.lastRetryAt());
                // the next event id and updated_at from the batch row, the stage event, the file's change, and a
                // summary of the batch's files, in one statement; it starts after the batch row's lock was taken,
                // so it sees every other file's committed state
                BatchStatus derived;
                try (PreparedStatement update = connection.prepareStatement("""
                        WITH counter AS (
                            UPDATE batches SET last_event_id = last_event_id + 1, updated_at = ?
                            WHERE tenant_id = ? AND batch_id = ?
                            RETURNING last_event_id
                        ),
                        event AS (
                            INSERT INTO batch_events (tenant_id, batch_id, event_id, event_type, data, created_at)
                            SELECT ?, ?, last_event_id, 'stage', ?, now() FROM counter
                        ),
                        changed AS (
                            UPDATE batch_files SET file_status = ?, stage_intake = ?, stage_parse = ?, stage_policy = ?,
                                   stage_embed = ?, stage_index = ?, error_stage = ?, error_code = ?, error_message = ?,
                                   retry_count = retry_count + ?,
                                   last_retry_at = CASE WHEN ? THEN ? ELSE last_retry_at END, updated_at = ?
                            WHERE tenant_id = ? AND batch_id = ? AND position = ?
                            RETURNING file_status, stage_parse
                        )
                        SELECT array_agg(DISTINCT f.file_status), coalesce(bool_or(f.stage_parse NOT IN (?, ?)), false),
                               (SELECT count(*) FROM counter)
                        FROM (SELECT file_status, stage_parse FROM batch_files
                              WHERE tenant_id = ? AND batch_id = ? AND position <> ?
                              UNION ALL SELECT file_status, stage_parse FROM changed) f
                        """)) {
                    int i = 1;
                    Jdbc.setInstant(update, i++, now);
                    update.setString(i++, tenantId.value());
                    update.setString(i++, batchId);
                    update.setString(i++, tenantId.value());
                    update.setString(i++, batchId);
                    update.setString(
                            i++, CanonicalJson.write(stageEventData(batchId, after, stage, state, previous, now)));
                    update.setString(i++, status.wire());
                    for (PipelineStage each : PipelineStage.values()) {
                        update.setString(i++, stages.get(each).wire());
                    }
                    update.setString(i++, kept.map(e -> e.stage().wire()).orElse(null));
                    update.setString(i++, kept.map(BatchFile.FileError::code).orElse(null));
                    update.setString(i++, kept.map(BatchFile.FileError::message).orElse(null));
                    update.setInt(i++, retry ? 1 : 0);
                    update.setBoolean(i++, retry);
                    Jdbc.setInstant(update, i++, now);
                    Jdbc.setInstant(update, i++, now);
                    update.setString(i++, tenantId.value());
                    update.setString(i++, batchId);
                    update.setInt(i++, before.position());
                    update.setString(i++, StageState.QUEUED.wire());
                    update.setString(i++, StageState.SKIPPED.wire());
                    update.setString(i++, tenantId.value());
                    update.setString(i++, batchId);
                    update.setInt(i, before.position());
                    try (ResultSet rows = update.executeQuery()) {
                        if (!rows.next() || rows.getLong(3) != 1) {
                            throw new SQLException("batch row is missing", "02000");
                        }
                        derived = derived(rows, 1);
                    }
                }
                BatchStatus current = stored.get(batchId);
                if (derived != current) {
                    changeStatus(connection, tenantId, batchId, derived, Optional.of(current));
                    stored.put(batchId, derived);
                }
                changed++;
            }
            return changed;
        });
    }

    /**
     * The distinct statuses of a batch's files and whether any accepted file has left {@code queued}: all that {@link
     * BatchStatus#derive} needs, without reading every file.
     */
    private static final String FILE_SUMMARY = "SELECT array_agg(DISTINCT f.file_status) AS statuses,"
            + " coalesce(bool_or(f.stage_parse NOT IN (?, ?)), false) AS progressed"
            + " FROM batch_files f WHERE f.tenant_id = ? AND f.batch_id = ?";

    private static void bindFileSummary(PreparedStatement statement, int from, TenantId tenantId, String batchId)
            throws SQLException {
        statement.setString(from, StageState.QUEUED.wire());
        statement.setString(from + 1, StageState.SKIPPED.wire());
        statement.setString(from + 2, tenantId.value());
        statement.setString(from + 3, batchId);
    }

    private static BatchStatus derived(ResultSet rows, int column) throws SQLException {
        List<FileStatus> statuses = new ArrayList<>();
        java.sql.Array array = rows.getArray(column);
        if (array != null) {
            for (String status : (String[]) array.getArray()) {
                statuses.add(FileStatus.fromWire(status));
            }
        }
        return BatchStatus.derive(statuses, rows.getBoolean(column + 1));
    }

    public Optional<BatchView> view(TenantId tenantId, String batchId) {
        return Jdbc.inTransaction(control, true, connection -> {
            BatchView view;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT status, file_count, submitted_at, received_at, updated_at, report_id
                    FROM batches WHERE tenant_id = ? AND batch_id = ?
                    """)) {
                select.setString(1, tenantId.value());
                select.setString(2, batchId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    view = new BatchView(
                            tenantId,
                            batchId,
                            BatchStatus.valueOf(rows.getString("status")),
                            rows.getInt("file_count"),
                            Jdbc.optionalInstant(rows, "submitted_at"),
                            Jdbc.instant(rows, "received_at"),
                            Jdbc.instant(rows, "updated_at"),
                            Optional.ofNullable(rows.getObject("report_id", UUID.class)),
                            List.of());
                }
            }
            List<BatchFile> files = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + FILE_COLUMNS
                    + " FROM batch_files WHERE tenant_id = ? AND batch_id = ? ORDER BY position")) {
                select.setString(1, tenantId.value());
                select.setString(2, batchId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        files.add(file(rows));
                    }
                }
            }
            return Optional.of(new BatchView(
                    view.tenantId(),
                    view.batchId(),
                    view.status(),
                    view.fileCount(),
                    view.submittedAt(),
                    view.receivedAt(),
                    view.updatedAt(),
                    view.reportId(),
                    files));
        });
    }

    /** A receipt's JSON exactly as signed, if the tenant has it. */
    public Optional<String> receipt(TenantId tenantId, UUID receiptId) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT receipt FROM receipts WHERE tenant_id = ? AND receipt_id = ?")) {
                select.setString(1, tenantId.value());
                select.setObject(2, receiptId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** The receipts of a batch in manifest order, as signed. */
    public List<String> receipts(TenantId tenantId, String batchId) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT receipt FROM receipts WHERE tenant_id = ? AND batch_id = ? ORDER BY position")) {
                select.setString(1, tenantId.value());
                select.setString(2, batchId);
                List<String> receipts = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        receipts.add(rows.getString(1));
                    }
                }
                return receipts;
            }
        });
    }

    /** One page of the tenant's batches, newest first, optionally with one status; and the total count. */
    public Map.Entry<List<BatchSummary>, Long> list(
            TenantId tenantId, Optional<BatchStatus> status, int page, int limit) {
        return Jdbc.inTransaction(control, true, connection -> {
            String filter = status.isPresent() ? " AND status = ?" : "";
            long total;
            try (PreparedStatement count =
                    connection.prepareStatement("SELECT count(*) FROM batches WHERE tenant_id = ?" + filter)) {
                count.setString(1, tenantId.value());
                if (status.isPresent()) {
                    count.setString(2, status.get().name());
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<BatchSummary> batches = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT batch_id, status, file_count, received_at, updated_at FROM batches WHERE tenant_id = ?"
                            + filter + " ORDER BY received_at DESC, batch_id LIMIT ? OFFSET ?")) {
                int i = 1;
                select.setString(i++, tenantId.value());
                if (status.isPresent()) {
                    select.setString(i++, status.get().name());
                }
                select.setInt(i++, limit);
                select.setLong(i, (long) (page - 1) * limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        batches.add(new BatchSummary(
                                rows.getString(1),
                                BatchStatus.valueOf(rows.getString(2)),
                                rows.getInt(3),
                                Jdbc.instant(rows, "received_at"),
                                Jdbc.instant(rows, "updated_at")));
                    }
                }
            }
            return Map.entry(batches, total);
        });
    }

    /** The batch's events after {@code afterId}, oldest first, at most {@code limit}. */
    public List<BatchEvent> events(TenantId tenantId, String batchId, long afterId, int limit) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT event_id, event_type, data FROM batch_events
                    WHERE tenant_id = ? AND batch_id = ? AND event_id > ? ORDER BY event_id LIMIT ?
                    """)) {
                select.setString(1, tenantId.value());
                select.setString(2, batchId);
                select.setLong(3, afterId);
                select.setInt(4, limit);
                List<BatchEvent> events = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(new BatchEvent(rows.getLong(1), rows.getString(2), rows.getString(3)));
                    }
                }
                return events;
            }
        });
    }

    private static BatchFile file(ResultSet rows) throws SQLException {
        Map<PipelineStage, StageState> stages = new EnumMap<>(PipelineStage.class);
        for (PipelineStage stage : PipelineStage.values()) {
            stages.put(stage, StageState.fromWire(rows.getString("stage_" + stage.wire())));
        }
        String errorStage = rows.getString("error_stage");
        Optional<BatchFile.FileError> error = errorStage == null
                ? Optional.empty()
                : Optional.of(new BatchFile.FileError(
                        PipelineStage.valueOf(errorStage.toUpperCase(java.util.Locale.ROOT)),
                        rows.getString("error_code"),
                        rows.getString("error_message")));
        return new BatchFile(
                rows.getInt("position"),
                rows.getString("file_id"),
                rows.getObject("receipt_id", UUID.class),
                rows.getString("original_filename"),
                Optional.ofNullable(rows.getString("doc_id")),
                FileStatus.fromWire(rows.getString("file_status")),
                stages,
                error,
                rows.getInt("retry_count"),
                Jdbc.optionalInstant(rows, "last_retry_at"));
    }

    private static BatchStatus status(Connection connection, TenantId tenantId, String batchId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FILE_SUMMARY)) {
            bindFileSummary(select, 1, tenantId, batchId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return derived(rows, 1);
            }
        }
    }

    // sets a new batch's status to the derived one and emits its first batch event (and the end events of a batch
    // whose files all ended at intake)
    private void refreshStatus(Connection connection, TenantId tenantId, String batchId) throws SQLException {
        changeStatus(connection, tenantId, batchId, status(connection, tenantId, batchId), Optional.empty());
    }

    // sets the batch's status and emits the batch event (and the end event when the status is terminal); the caller
    // holds the batch row's lock or created the row in this transaction
    private void changeStatus(
            Connection connection,
            TenantId tenantId,
            String batchId,
            BatchStatus derived,
            Optional<BatchStatus> previous)
            throws SQLException {
        Instant now = clock.instant();
        UUID reportId = derived.terminal() ? REPORT_IDS.next() : null;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE batches SET status = ?, updated_at = ?, completed_at = CASE WHEN ? THEN ? ELSE NULL END,"
                        + " report_id = CASE WHEN ? THEN ? ELSE report_id END,"
                        + " report_version = report_version + CASE WHEN ? THEN 1 ELSE 0 END"
                        + " WHERE tenant_id = ? AND batch_id = ?")) {
            update.setString(1, derived.name());
            Jdbc.setInstant(update, 2, now);
            update.setBoolean(3, derived.terminal());
            Jdbc.setInstant(update, 4, now);
            update.setBoolean(5, derived.terminal());
            update.setObject(6, reportId);
            update.setBoolean(7, derived.terminal());
            update.setString(8, tenantId.value());
            update.setString(9, batchId);
            update.executeUpdate();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("batch_id", batchId);
        data.put("status", derived.name());
        data.put("previous_status", previous.map(BatchStatus::name).orElse(null));
        data.put("at", timestamp(now));
        appendEvent(connection, tenantId, batchId, "batch", data);
        if (derived.terminal()) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("batch_id", batchId);
            end.put("status", derived.name());
            end.put("report_id", reportId.toString());
            appendEvent(connection, tenantId, batchId, "end", end);
        }
    }

    private static final java.time.format.DateTimeFormatter MILLIS = java.time.format.DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    /** RFC 3339 UTC with milliseconds, as everywhere in the API. */
    private static String timestamp(Instant instant) {
        return MILLIS.format(instant);
    }

    private static Map<String, Object> stageEventData(
            String batchId, BatchFile file, PipelineStage stage, StageState state, StageState previous, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("batch_id", batchId);
        data.put("file_id", file.fileId());
        data.put("doc_id", file.docId().orElse(null));
        data.put("stage", stage.wire());
        data.put("state", state.wire());
        data.put("previous_state", previous.wire());
        data.put("file_status", file.status().wire());
        data.put("error_code", file.error().map(BatchFile.FileError::code).orElse(null));
        data.put("at", timestamp(at));
        return data;
    }

    // takes the next event id from the batch row (locking it) and writes the event, in one statement
    private static long appendEvent(
            Connection connection, TenantId tenantId, String batchId, String type, Map<String, Object> data)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                WITH counter AS (
                    UPDATE batches SET last_event_id = last_event_id + 1 WHERE tenant_id = ? AND batch_id = ?
                    RETURNING last_event_id
                )
                INSERT INTO batch_events (tenant_id, batch_id, event_id, event_type, data, created_at)
                SELECT ?, ?, last_event_id, ?, ?, now() FROM counter
                RETURNING event_id
                """)) {
            insert.setString(1, tenantId.value());
            insert.setString(2, batchId);
            insert.setString(3, tenantId.value());
            insert.setString(4, batchId);
            insert.setString(5, type);
            insert.setString(6, CanonicalJson.write(data));
            try (ResultSet rows = insert.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("batch row is missing", "02000");
                }
                return rows.getLong(1);
            }
        }
    }
}
