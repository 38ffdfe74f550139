package io.frostbyte.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.server.cli.ingest.BatchFollower;
import io.frostbyte.server.cli.ingest.BatchReport;
import io.frostbyte.server.cli.ingest.DirectoryScan;
import io.frostbyte.server.cli.ingest.IngestClient;
import io.frostbyte.server.cli.ingest.IngestState;
import io.frostbyte.server.cli.ingest.IntakeLimits;
import io.frostbyte.server.cli.ingest.LocalFile;
import io.frostbyte.server.cli.ingest.MultipartBody;
import io.frostbyte.server.http.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frostbyte ingest DIR --tenant T} (spec/01 §1.10, issue 9): builds the manifest of a directory (file ids {@code
 * f-0001}, … in sorted relative-path order, basenames, sizes, SHA-256 of the bytes it uploads, MIME type from the
 * server's own sniffer), checks it against the tenant's limits, uploads it in batches within them (streaming every
 * file), follows each batch's event stream with per-stage progress on stderr, prints a summary and writes {@code
 * frostbyte-report-<batch_id>.json} and {@code .md} into {@code --report-dir}.
 *
 * <p>Resumable through {@link IngestState} ({@code .frostbyte-ingest.json} in the report directory): a file whose
 * SHA-256 is already in a committed batch is never sent again; a batch planned but not confirmed is first looked up
 * and, if the server has it, confirmed with a manifest-only request (the server answers an identical batch with its
 * stored receipt before reading any file); otherwise it is sent again with the same id and manifest. With {@code
 * --batch-id} the ids are deterministic, so even without the state file an unchanged directory maps to the same
 * batches and nothing is stored twice.
 *
 * <p>Files that would refuse a whole batch (larger than {@code max_file_size_mb}, an invalid name, unreadable) are
 * left out and listed; files intake would reject on their own (empty, unsupported or disallowed format, an extension
 * that does not match the content) are sent, so the server issues a signed receipt of the rejection.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Upload a directory as batches, follow processing, print the summary and write the reports.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file reached the index (indexed or deduplicated); with --dry-run: none would be rejected",
            "1:an error: server unreachable, authentication, a refused batch, or the wait timed out (run again to"
                    + " resume)",
            "2:invalid command line",
            "3:some files were rejected, quarantined, failed or not sent",
            "4:--dry-run found files that would be rejected or left out"
        })
public final class IngestCommand implements Callable<Integer> {
    /** Exit code when some files did not reach the index. */
    public static final int EXIT_NOT_ALL_INDEXED = 3;
    /** Exit code of {@code --dry-run} when some files would be rejected or left out. */
    public static final int EXIT_DRY_RUN_REJECTS = 4;

    private static final Pattern PREFIX = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$");
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** Files per batch whatever the tenant allows, so a manifest stays far below its 10 MB limit. */
    static final int MAX_FILES_PER_BATCH = 5000;
    /** Room kept in a request for the manifest and the part headers. */
    static final long REQUEST_OVERHEAD_BYTES = 16L * 1024 * 1024;

    /** How progress is shown on stderr. */
    enum ProgressMode {
        auto,
        lines,
        none
    }

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "DIR", description = "The directory to ingest (hidden files are skipped).")
    Path directory;

    @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "The tenant to ingest into.")
    String tenant;

    @Option(
            names = "--batch-id",
            paramLabel = "PREFIX",
            description = "Batch ids are PREFIX-1, PREFIX-2, … (default: ingest-<yyyyMMdd-HHmmss>-<n>).")
    String batchPrefix;

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            defaultValue = ".",
            description =
                    "Where the reports and the resume state (.frostbyte-ingest.json) go (default: current directory).")
    Path reportDir;

    @Option(
            names = "--dry-run",
            description = "Build and check the manifest, list what would be rejected, send nothing.")
    boolean dryRun;

    @Option(
            names = "--timeout-minutes",
            defaultValue = "60",
            paramLabel = "N",
            description = "How long to wait for processing to finish (1–1440, default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Option(
            names = "--max-files",
            defaultValue = "100000",
            paramLabel = "N",
            description = "The most files the directory may hold (1–1000000, default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            paramLabel = "MODE",
            description = "auto (redraw one line on a terminal, else a line per change), lines or none.")
    ProgressMode progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestClient api = new IngestClient(client.baseUrl(), client.bearer(), tenant);
        IntakeLimits limits = api.limits();
        List<LocalFile> files = DirectoryScan.scan(directory, reportDir, maxFiles, limits);
        if (dryRun) {
            return dryRun(out, files, limits);
        }
        IngestState state = IngestState.load(reportDir);
        String server = api.base().toString();
        Map<String, LocalFile> byPath = new LinkedHashMap<>();
        files.forEach(file -> byPath.put(file.relativePath(), file));
        Set<String> committed = new HashSet<>();
        List<IngestState.Batch> toSend = new ArrayList<>();
        for (IngestState.Batch batch : state.batches(server, tenant)) {
            if (batch.progress() != IngestState.Progress.PLANNED) {
                batch.files().forEach(member -> committed.add(member.sha256()));
            } else if (resumable(batch, byPath)) {
                toSend.add(batch);
            } else {
                state.remove(batch);
            }
        }
        Set<String> planned = new HashSet<>();
        toSend.forEach(batch -> batch.files().forEach(member -> planned.add(member.sha256())));
        List<LocalFile> notSent =
                files.stream().filter(file -> !file.sendable()).toList();
        List<LocalFile> fresh = files.stream()
                .filter(LocalFile::sendable)
                .filter(file -> !committed.contains(file.sha256()) && !planned.contains(file.sha256()))
                .toList();
        long alreadySent =
                files.stream().filter(file -> committed.contains(file.sha256())).count();
        toSend.addAll(plan(fresh, limits, state, server));

        int uploaded = 0;
        int confirmed = 0;
        for (IngestState.Batch batch : toSend) {
            int sent = upload(api, state, batch, byPath, err);
            uploaded += sent;
            confirmed += sent == 0 ? 1 : 0;
        }

        Set<String> present = new HashSet<>();
        files.forEach(file -> present.add(file.sha256()));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(timeoutMinutes));
        BatchFollower follower = new BatchFollower(
                api, progress == ProgressMode.none ? new PrintWriter(java.io.Writer.nullWriter()) : err, inPlace());
        List<String> summary = new ArrayList<>();
        long notIndexed = notSent.size();
        boolean timedOut = false;
        boolean notSentListed = false;
        for (IngestState.Batch batch : state.batches(server, tenant)) {
            if (batch.progress() == IngestState.Progress.PLANNED
                    || batch.files().stream().noneMatch(member -> present.contains(member.sha256()))) {
                continue;
            }
            if (batch.progress() == IngestState.Progress.COMMITTED) {
                Optional<JsonNode> done = follower.follow(batch.batchId(), deadline);
                if (done.isEmpty()) {
                    timedOut = true;
                    summary.add("batch " + batch.batchId() + ": still processing after " + timeoutMinutes
                            + " minutes; run the command again to follow it and write its report");
                    continue;
                }
                BatchReport.Written written =
                        BatchReport.write(reportDir, api, done.get(), notSentListed ? List.of() : notSent);
                notSentListed = true;
                state.put(batch.with(
                        IngestState.Progress.REPORTED, done.get().path("status").asText()));
                summary.addAll(BatchReport.summary(done.get()));
                summary.add("  report: " + written.json() + ", "
                        + written.markdown().getFileName());
                notIndexed += BatchReport.notIndexed(done.get());
            } else {
                Optional<JsonNode> status = api.batch(batch.batchId());
                if (status.isPresent()) {
                    List<String> lines = BatchReport.summary(status.get());
                    summary.add(lines.getFirst() + " (sent before)");
                    summary.addAll(lines.subList(1, lines.size()));
                    notIndexed += BatchReport.notIndexed(status.get());
                }
            }
        }

        out.println("frostbyte ingest: " + files.size() + " files in " + directory + "; uploaded " + uploaded
                + " files in " + (toSend.size() - confirmed) + " batches; " + confirmed
                + " batches the server already had; " + alreadySent + " already sent before; " + notSent.size()
                + " not sent");
        summary.forEach(out::println);
        for (LocalFile file : notSent) {
            LocalFile.Problem problem = file.problem().orElseThrow();
            out.println("  not sent: " + BatchReport.shown(file.relativePath()) + ": " + problem.code() + ". "
                    + BatchReport.remediation(problem.code(), null, null).text());
        }
        out.flush();
        if (timedOut) {
            return 1;
        }
        return notIndexed > 0 ? EXIT_NOT_ALL_INDEXED : 0;
    }

    private void validate() {
        TenantId.of(tenant);
        if (batchPrefix != null && (!PREFIX.matcher(batchPrefix).matches() || batchPrefix.contains(".."))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--batch-id: 1 to 120 of A-Z a-z 0-9 . _ -, starting with a letter or digit, no '..'");
        }
        if (timeoutMinutes < 1 || timeoutMinutes > 1440) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout-minutes: 1 to 1440");
        }
        if (maxFiles < 1 || maxFiles > 1_000_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-files: 1 to 1000000");
        }
    }

    private int dryRun(PrintWriter out, List<LocalFile> files, IntakeLimits limits) {
        long sendable = files.stream().filter(LocalFile::sendable).count();
        long batches = plan(files.stream().filter(LocalFile::sendable).toList(), limits)
                .size();
        out.println("frostbyte ingest --dry-run: " + files.size() + " files in " + directory + "; limits: "
                + limits.maxBatchSize() + " files per batch, " + limits.maxFileSizeMb() + " MB per file, types "
                + String.join(", ", limits.mimeAllowlist()));
        int rejected = 0;
        for (LocalFile file : files) {
            if (file.problem().isPresent()) {
                rejected++;
                LocalFile.Problem problem = file.problem().get();
                out.println("  " + file.fileId() + " " + BatchReport.shown(file.relativePath()) + ": "
                        + (problem.sendable() ? "would be rejected" : "would not be sent") + ", " + problem.code()
                        + ": " + problem.message() + " "
                        + BatchReport.remediation(problem.code(), null, null).text());
            }
        }
        out.println("would upload " + sendable + " files in " + batches + " batches; " + rejected
                + " would be rejected or left out");
        out.flush();
        return rejected > 0 ? EXIT_DRY_RUN_REJECTS : 0;
    }

    // a planned batch is sent again only when every file is still there with the same bytes
    private static boolean resumable(IngestState.Batch batch, Map<String, LocalFile> byPath) {
        return batch.files().stream().allMatch(member -> {
            LocalFile file = byPath.get(member.path());
            return file != null
                    && file.sendable()
                    && file.sha256().equals(member.sha256())
                    && file.sizeBytes() == member.sizeBytes();
        });
    }

    // new batches for the files, within the limits, recorded as planned before anything is sent
    private List<IngestState.Batch> plan(List<LocalFile> fresh, IntakeLimits limits, IngestState state, String server) {
        List<IngestState.Batch> batches = new ArrayList<>();
        String prefix = batchPrefix != null
                ? batchPrefix
                : "ingest-" + LocalDateTime.now().format(GENERATED);
        int number = state.batches(server, tenant).stream()
                .map(IngestState.Batch::batchId)
                .filter(id -> id.startsWith(prefix + "-"))
                .mapToInt(id -> parseNumber(id.substring(prefix.length() + 1)))
                .max()
                .orElse(0);
        for (List<LocalFile> group : plan(fresh, limits)) {
            String batchId = prefix + "-" + ++number;
            List<IngestState.Member> members = group.stream()
                    .map(file ->
                            new IngestState.Member(file.fileId(), file.relativePath(), file.sha256(), file.sizeBytes()))
                    .toList();
            IngestState.Batch batch = new IngestState.Batch(
                    server, tenant, batchId, IngestState.Progress.PLANNED, manifest(batchId, group), members, "");
            state.put(batch);
            batches.add(batch);
        }
        return batches;
    }

    static List<List<LocalFile>> plan(List<LocalFile> files, IntakeLimits limits) {
        int perBatch = Math.min(limits.maxBatchSize(), MAX_FILES_PER_BATCH);
        long bytesPerBatch = Math.max(1, limits.maxRequestBytes() - REQUEST_OVERHEAD_BYTES);
        List<List<LocalFile>> groups = new ArrayList<>();
        List<LocalFile> current = new ArrayList<>();
        long bytes = 0;
        for (LocalFile file : files) {
            if (!current.isEmpty() && (current.size() == perBatch || bytes + file.sizeBytes() > bytesPerBatch)) {
                groups.add(List.copyOf(current));
                current.clear();
                bytes = 0;
            }
            current.add(file);
            bytes += file.sizeBytes();
        }
        if (!current.isEmpty()) {
            groups.add(List.copyOf(current));
        }
        return groups;
    }

    private String manifest(String batchId, List<LocalFile> group) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("batch_id", batchId);
        manifest.put("tenant_id", tenant);
        manifest.put("file_count", group.size());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (LocalFile file : group) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file_id", file.fileId());
            entry.put("filename", file.filename());
            entry.put("mime_type", file.mimeType());
            entry.put("size_bytes", file.sizeBytes());
            entry.put("sha256", file.sha256());
            entries.add(entry);
        }
        manifest.put("files", entries);
        try {
            return Json.mapper().writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // sends one planned batch and records it as committed; returns the number of files whose bytes were sent
    private int upload(
            IngestClient api,
            IngestState state,
            IngestState.Batch batch,
            Map<String, LocalFile> byPath,
            PrintWriter err) {
        byte[] manifest = batch.manifest().getBytes(StandardCharsets.UTF_8);
        if (api.batch(batch.batchId()).isPresent()) {
            confirm(api, state, batch, manifest, err);
            return 0;
        }
        List<LocalFile> members =
                batch.files().stream().map(member -> byPath.get(member.path())).toList();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Optional<IngestClient.Reply> reply = api.submit(new MultipartBody(manifest, members));
            if (reply.isEmpty()) {
                // the connection broke: the server commits only a whole batch, so asking tells what happened
                if (api.batch(batch.batchId()).isPresent()) {
                    confirm(api, state, batch, manifest, err);
                    return members.size();
                }
                continue;
            }
            if (reply.get().status() == 202) {
                committed(state, batch, reply.get().data(), err);
                return members.size();
            }
            state.remove(batch);
            throw refused(batch, reply.get());
        }
        throw new FrostbyteException(
                ErrorCode.SERVICE_UNAVAILABLE,
                "cannot upload batch " + batch.batchId() + " to " + api.base() + " (the connection broke 3 times);"
                        + " run the command again to resume");
    }

    // the server has a batch with this id: an identical manifest gets the stored receipt, another one 409
    private static void confirm(
            IngestClient api, IngestState state, IngestState.Batch batch, byte[] manifest, PrintWriter err) {
        IngestClient.Reply reply = api.submit(new MultipartBody(manifest, List.of()))
                .orElseThrow(() -> new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "cannot reach " + api.base()));
        if (reply.status() != 202) {
            throw refused(batch, reply);
        }
        committed(state, batch, reply.data(), err);
    }

    private static void committed(IngestState state, IngestState.Batch batch, JsonNode receipt, PrintWriter err) {
        state.put(batch.with(
                IngestState.Progress.COMMITTED, receipt.path("status").asText("RECEIVED")));
        err.println("batch " + batch.batchId() + " received: "
                + receipt.path("file_count").asInt() + " files, "
                + receipt.path("accepted").asInt() + " accepted, "
                + receipt.path("rejected").asInt() + " rejected, "
                + receipt.path("quarantined").asInt() + " quarantined, "
                + receipt.path("deduplicated").asInt()
                + " deduplicated");
        err.flush();
    }

    private static FrostbyteException refused(IngestState.Batch batch, IngestClient.Reply reply) {
        FrostbyteException failure = IngestClient.failure(reply);
        String hint = failure.code() == ErrorCode.BATCH_ALREADY_EXISTS
                ? " (the id was used with another manifest: pass another --batch-id)"
                : "";
        return new FrostbyteException(
                failure.code(), "batch " + batch.batchId() + " was refused: " + failure.getMessage() + hint);
    }

    private boolean inPlace() {
        return switch (progress) {
            case auto -> terminal();
            case lines, none -> false;
        };
    }

    // System.console() is non-null on a terminal up to Java 21; later versions tell through isTerminal()
    private static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static int parseNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
