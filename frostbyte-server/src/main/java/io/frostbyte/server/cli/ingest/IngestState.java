package io.frostbyte.server.cli.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ingest} command's memory between runs: {@value #FILE_NAME} in the report directory lists every batch it
 * planned for a server and tenant, the exact manifest it sends for it and the SHA-256 of each file in it, and how far
 * the batch got ({@code planned} before the upload, {@code committed} once the server answered 202, {@code reported}
 * once its report was written). A later run sends no file whose SHA-256 a committed batch already holds, resends a
 * planned batch under the same id with the same manifest (the server answers a repeated batch with its stored receipt
 * and stores nothing twice), and follows and reports committed batches that were not reported yet.
 *
 * <p>Written whole to a temporary file and moved into place after every change, so an interrupted run leaves the
 * previous or the new state, never half of one. Holds ids, relative paths and hashes, never file content. Not
 * thread-safe; one run at a time per report directory.
 */
public final class IngestState {
    /** The state file's name in the report directory (hidden, so ingesting that directory skips it). */
    public static final String FILE_NAME = ".frostbyte-ingest.json";

    static final int MAX_STATE_BYTES = 64 * 1024 * 1024;

    private final Path file;
    private final List<Batch> batches;

    /** How far a batch got. */
    public enum Progress {
        PLANNED,
        COMMITTED,
        REPORTED
    }

    /** One file of a planned batch: where it is read from and what its bytes hash to. */
    public record Member(String fileId, String path, String sha256, long sizeBytes) {
        public Member {
            requireNonNull(fileId, "fileId is null");
            requireNonNull(path, "path is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    /**
     * A batch this command planned.
     *
     * @param manifest the manifest JSON exactly as sent (a resend must be byte-identical)
     * @param status the batch status last seen, or {@code ""}
     */
    public record Batch(
            String server,
            String tenantId,
            String batchId,
            Progress progress,
            String manifest,
            List<Member> files,
            String status) {
        public Batch {
            requireNonNull(server, "server is null");
            requireNonNull(tenantId, "tenantId is null");
            requireNonNull(batchId, "batchId is null");
            requireNonNull(progress, "progress is null");
            requireNonNull(manifest, "manifest is null");
            files = List.copyOf(files);
            requireNonNull(status, "status is null");
        }

        /** This batch at another progress and status. */
        public Batch with(Progress newProgress, String newStatus) {
            return new Batch(server, tenantId, batchId, newProgress, manifest, files, newStatus);
        }
    }

    private IngestState(Path file, List<Batch> batches) {
        this.file = file;
        this.batches = new ArrayList<>(batches);
    }

    /** Reads the state of {@code reportDir}, or starts an empty one. */
    public static IngestState load(Path reportDir) {
        Path file = reportDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new IngestState(file, List.of());
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_STATE_BYTES + 1);
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Cannot read " + file + ".", e);
        }
        if (bytes.length > MAX_STATE_BYTES) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, file + " is larger than " + MAX_STATE_BYTES + " bytes.");
        }
        try {
            JsonNode root = Json.mapper().readTree(bytes);
            List<Batch> batches = new ArrayList<>();
            for (JsonNode batch : root.path("batches")) {
                List<Member> members = new ArrayList<>();
                for (JsonNode member : batch.path("files")) {
                    members.add(new Member(
                            member.path("file_id").asText(),
                            member.path("path").asText(),
                            member.path("sha256").asText(),
                            member.path("size_bytes").asLong()));
                }
                batches.add(new Batch(
                        batch.path("server").asText(),
                        batch.path("tenant_id").asText(),
                        batch.path("batch_id").asText(),
                        Progress.valueOf(batch.path("progress").asText()),
                        batch.path("manifest").asText(),
                        members,
                        batch.path("status").asText("")));
            }
            return new IngestState(file, batches);
        } catch (IOException | IllegalArgumentException e) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, file + " is not a state file of this command; move it away.", e);
        }
    }

    /** The batches planned for this server and tenant, in the order they were planned. */
    public List<Batch> batches(String server, String tenantId) {
        return batches.stream()
                .filter(batch ->
                        batch.server().equals(server) && batch.tenantId().equals(tenantId))
                .toList();
    }

    public Optional<Batch> find(String server, String tenantId, String batchId) {
        return batches(server, tenantId).stream()
                .filter(batch -> batch.batchId().equals(batchId))
                .findFirst();
    }

    /** Adds or replaces (by server, tenant and batch id) a batch, and saves. */
    public void put(Batch batch) {
        batches.removeIf(old -> same(old, batch));
        batches.add(batch);
        save();
    }

    /** Forgets a batch the server refused, so its files are planned again next time; saves. */
    public void remove(Batch batch) {
        batches.removeIf(old -> same(old, batch));
        save();
    }

    private static boolean same(Batch a, Batch b) {
        return a.server().equals(b.server())
                && a.tenantId().equals(b.tenantId())
                && a.batchId().equals(b.batchId());
    }

    private void save() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("version", 1);
        ArrayNode list = root.putArray("batches");
        for (Batch batch : batches) {
            ObjectNode node = list.addObject();
            node.put("server", batch.server());
            node.put("tenant_id", batch.tenantId());
            node.put("batch_id", batch.batchId());
            node.put("progress", batch.progress().name());
            node.put("status", batch.status());
            node.put("manifest", batch.manifest());
            ArrayNode files = node.putArray("files");
            for (Member member : batch.files()) {
                files.addObject()
                        .put("file_id", member.fileId())
                        .put("path", member.path())
                        .put("sha256", member.sha256())
                        .put("size_bytes", member.sizeBytes());
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
            Files.write(
                    temporary, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Cannot write " + file + ".", e);
        }
    }
}
