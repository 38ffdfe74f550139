package io.frostbyte.bench;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.server.FrostbyteNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Batch upload through the real server on embedded defaults (filesystem object store, envelope encryption, receipts,
 * audit, parse jobs; no clamd, so scans are skipped): one large text file and 1,000 small ones, each against a
 * baseline that only hashes (SHA-256) and copies the same bytes to a file in the same run; and a 500 MB upload to a
 * node in a JVM whose heap is capped far below the file's size ({@link HugeUploadProbe}).
 */
final class IntakeSuite implements BenchSuite {
    private static final TenantId TENANT = TenantId.of("bench-intake");
    private static final String BOUNDARY = "----frostbyte-bench-boundary";
    private static final double MB = 1024.0 * 1024.0;
    /** The heap of the JVM the large upload runs in: far smaller than the file. */
    static final int SMALL_HEAP_MB = 128;

    @Override
    public String name() {
        return "intake";
    }

    @Override
    public String description() {
        return "batch upload MB/s (one large file, 1,000 small files) vs hash+copy; a 500 MB upload in a 128 MB heap";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        long largeBytes = (long) options.scaled(200) * 1024 * 1024;
        long hugeBytes = (long) options.scaled(500) * 1024 * 1024;
        int smallCount = Math.min(1000, options.scaled(1000));
        int smallBytes = 16 * 1024;
        Path dataDir = Files.createDirectories(options.workDir().resolve("intake-node"));
        List<Figure> figures = new ArrayList<>();
        try (FrostbyteNode node = BenchNode.start(dataDir)) {
            String token = provision(node);
            URI url = batchUrl(node);
            HttpClient http = HttpClient.newHttpClient();

            // warm-up: a small batch
            upload(http, url, token, "warmup", List.of(new Generated("w", 64 * 1024, 99)));

            Path sink = options.workDir().resolve("intake-baseline.bin");
            List<Generated> large = List.of(new Generated("large", largeBytes, 1));
            double baselineLarge = mbPerSecond(largeBytes, () -> hashAndCopy(large, sink));
            double uploadLarge = mbPerSecond(largeBytes, () -> upload(http, url, token, "large-1", large));
            figures.add(new Figure(
                    "intake",
                    "upload one " + largeBytes / (1024 * 1024) + " MB file",
                    "MB/s",
                    uploadLarge,
                    "SHA-256 + copy to a file",
                    baselineLarge,
                    true));

            List<Generated> small = new ArrayList<>();
            for (int i = 0; i < smallCount; i++) {
                small.add(new Generated("s" + i, smallBytes, 1000 + i));
            }
            double baselineSmall = mbPerSecond((long) smallCount * smallBytes, () -> hashAndCopy(small, sink));
            double uploadSmall =
                    mbPerSecond((long) smallCount * smallBytes, () -> upload(http, url, token, "small-1", small));
            figures.add(new Figure(
                    "intake",
                    "upload " + smallCount + " files of 16 KB in one batch",
                    "MB/s",
                    uploadSmall,
                    "SHA-256 + copy to a file",
                    baselineSmall,
                    true));

            Files.deleteIfExists(sink);
        }
        figures.add(hugeUploadInASmallHeap(options.workDir().resolve("intake-huge-node"), hugeBytes));
        return figures;
    }

    /** The node's batch upload endpoint for the bench tenant. */
    static URI batchUrl(FrostbyteNode node) {
        return node.url().orElseThrow().resolve("/api/v1/ingest/" + TENANT.value() + "/batch");
    }

    /** Creates and provisions the bench tenant (files up to 1 GB) and returns an ingest token. */
    static String provision(FrostbyteNode node) throws InterruptedException {
        return BenchNode.provision(
                node,
                TENANT,
                Tier.STANDARD,
                Map.of("max_file_size_mb", 1024, "storage_quota_gb", 100),
                Role.TENANT_ADMIN,
                EnumSet.of(Scope.INGEST));
    }

    /**
     * Uploads a {@code bytes}-long file to a node in a JVM of its own whose whole heap is capped at {@link
     * #SMALL_HEAP_MB}: the figure holds only if the upload is accepted there (an out-of-memory error ends that JVM and
     * fails the suite). Garbage does not count in this figure, unlike a heap peak, which a collector may let grow to
     * gigabytes of dead buffers before it collects.
     */
    private static Figure hugeUploadInASmallHeap(Path dataDir, long bytes) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            boolean heapOrProfiler = argument.startsWith("-Xmx")
                    || argument.startsWith("-Xms")
                    || argument.startsWith("-XX:MaxHeapSize")
                    || argument.startsWith("-XX:StartFlightRecording")
                    || argument.startsWith("-agent")
                    || argument.startsWith("-javaagent");
            if (!heapOrProfiler) {
                command.add(argument);
            }
        }
        command.addAll(List.of(
                "-Xmx" + SMALL_HEAP_MB + "m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                HugeUploadProbe.class.getName(),
                dataDir.toString(),
                Long.toString(bytes)));
        Files.createDirectories(dataDir);
        Path output = dataDir.resolve("probe.out");
        // standard output goes to a file, so the time limit below holds even if the probe hangs
        Process probe = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!probe.waitFor(30, java.util.concurrent.TimeUnit.MINUTES)) {
            probe.destroyForcibly();
            throw new IllegalStateException("the small-heap upload did not finish in 30 minutes");
        }
        String result = Files.readString(output, StandardCharsets.UTF_8)
                .lines()
                .filter(line -> line.startsWith(HugeUploadProbe.RESULT))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the small-heap upload failed (exit code " + probe.exitValue() + ")"));
        System.err.println("intake: " + result);
        return new Figure(
                "intake",
                "heap cap a " + bytes / (1024 * 1024) + " MB upload was accepted in",
                "MB",
                SMALL_HEAP_MB,
                "file size",
                bytes / MB,
                false);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double mbPerSecond(long bytes, Work work) throws Exception {
        long started = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        return bytes / MB / seconds;
    }

    private static void hashAndCopy(List<Generated> files, Path sink) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        for (Generated file : files) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = file.open();
                    OutputStream out = Files.newOutputStream(sink)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            digest.digest();
        }
    }

    static void upload(HttpClient http, URI url, String token, String batchId, List<Generated> files) throws Exception {
        StringBuilder manifest = new StringBuilder("{\"batch_id\":\"" + batchId + "\",\"tenant_id\":\"" + TENANT.value()
                + "\",\"file_count\":" + files.size() + ",\"files\":[");
        for (int i = 0; i < files.size(); i++) {
            Generated file = files.get(i);
            manifest.append(i == 0 ? "" : ",")
                    .append("{\"file_id\":\"")
                    .append(file.id())
                    .append("\",\"filename\":\"")
                    .append(file.id())
                    .append(".txt\",\"mime_type\":\"text/plain\",\"size_bytes\":")
                    .append(file.size())
                    .append(",\"sha256\":\"")
                    .append(file.sha256())
                    .append("\"}");
        }
        manifest.append("]}");
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + manifest + "\r\n";
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    List<InputStream> parts = new ArrayList<>();
                    parts.add(bytes(head));
                    for (Generated file : files) {
                        parts.add(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\";"
                                + " filename=\"" + file.id() + ".txt\"\r\nContent-Type: text/plain\r\n\r\n"));
                        parts.add(file.open());
                        parts.add(bytes("\r\n"));
                    }
                    parts.add(bytes("--" + BOUNDARY + "--\r\n"));
                    return new SequenceInputStream(Collections.enumeration(parts));
                }))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("upload failed with " + response.statusCode() + ": " + response.body());
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A text file generated on the fly from a seed, so no test file is ever held in memory or on disk. */
    record Generated(String id, long size, long seed) {
        InputStream open() {
            return new InputStream() {
                private final byte[] line = ("Frostbyte bench line " + seed + ": the quick brown fox jumps over the"
                                + " lazy dog 0123456789.\n")
                        .getBytes(StandardCharsets.US_ASCII);
                private long position;

                @Override
                public int read() {
                    if (position >= size) {
                        return -1;
                    }
                    return line[(int) (position++ % line.length)];
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (position >= size) {
                        return -1;
                    }
                    int n = (int) Math.min(len, size - position);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = line[(int) ((position + i) % line.length)];
                    }
                    position += n;
                    return n;
                }
            };
        }

        String sha256() {
            try (InputStream in = open()) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(digest.digest());
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
