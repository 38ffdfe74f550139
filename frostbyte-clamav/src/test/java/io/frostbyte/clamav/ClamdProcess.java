package io.frostbyte.clamav;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real clamd started in the foreground with a generated config: the two-line Frostbyte test signature database from
 * the test resources, a TCP socket on a free port, a unix socket, and a small {@code StreamMaxLength}. Fails (never
 * skips) when clamd is not installed.
 */
public final class ClamdProcess implements AutoCloseable {
    public static final long STREAM_MAX_BYTES = 1024 * 1024;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path directory;
    private final int port;

    private ClamdProcess(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    public static ClamdProcess start() throws IOException, InterruptedException {
        Path binary = Path.of(System.getProperty("frostbyte.clamd.binary", "/usr/sbin/clamd"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("clamd is not installed at " + binary
                    + ": install it with `apt-get install -y clamav-daemon clamav` (CI does), or set"
                    + " -Dfrostbyte.clamd.binary");
        }
        Path directory = Files.createTempDirectory("clamd");
        Path database = Files.createDirectories(directory.resolve("db"));
        for (String name : List.of("frostbyte.hdb", "frostbyte.ndb")) {
            try (InputStream in = ClamdProcess.class.getResourceAsStream("/clamd/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("test resource /clamd/" + name + " is missing");
                }
                Files.copy(in, database.resolve(name));
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = directory.resolve("clamd.conf");
        Files.write(
                config,
                List.of(
                        "DatabaseDirectory " + database,
                        "TCPSocket " + port,
                        "TCPAddr 127.0.0.1",
                        "LocalSocket " + directory.resolve("clamd.sock"),
                        "Foreground yes",
                        "LogFile " + directory.resolve("clamd.log"),
                        "PidFile " + directory.resolve("clamd.pid"),
                        "StreamMaxLength 1M",
                        "MaxThreads 4"));
        Process process = new ProcessBuilder(binary.toString(), "--config-file=" + config)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("clamd.out").toFile())
                .start();
        ClamdProcess clamd = new ClamdProcess(process, directory, port);
        try {
            clamd.awaitPong();
        } catch (RuntimeException | InterruptedException e) {
            clamd.close();
            throw e;
        }
        return clamd;
    }

    public int port() {
        return port;
    }

    public Path unixSocket() {
        return directory.resolve("clamd.sock");
    }

    private void awaitPong() throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        try (ClamdMalwareScanner scanner = new ClamdMalwareScanner(
                ClamdEndpoint.tcp("127.0.0.1", port), Duration.ofMillis(500), Duration.ofSeconds(2), 1024)) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("clamd exited with " + process.exitValue() + ":\n" + output());
                }
                if (scanner.ping()) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("clamd did not answer PING within " + STARTUP + ":\n" + output());
    }

    private String output() {
        try {
            return Files.readString(directory.resolve("clamd.out"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
