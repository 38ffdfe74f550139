package io.frostbyte.objectstore;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real s3proxy ({@code org.gaul:s3proxy:jar-with-dependencies}, copied by the module's pom) run with {@code java
 * -jar} on a free port, filesystem backend in a temporary directory, aws-v2-or-v4 authentication.
 */
final class S3ProxyProcess implements AutoCloseable {
    static final String IDENTITY = "AKIDFROSTBYTE";
    static final String CREDENTIAL = "frostbyte-test-secret";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path directory;
    private final URI endpoint;

    private S3ProxyProcess(Process process, Path directory, URI endpoint) {
        this.process = process;
        this.directory = directory;
        this.endpoint = endpoint;
    }

    static S3ProxyProcess start() throws IOException, InterruptedException {
        String jarProperty = System.getProperty("frostbyte.s3proxy.jar");
        if (jarProperty == null || !Files.isRegularFile(Path.of(jarProperty))) {
            throw new IllegalStateException("the s3proxy jar is missing (" + jarProperty
                    + "); run the IT through Maven's verify phase, whose pre-integration-test copies it");
        }
        Path directory = Files.createTempDirectory("s3proxy");
        Path baseDirectory = Files.createDirectories(directory.resolve("data"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = directory.resolve("s3proxy.conf");
        Files.write(
                properties,
                List.of(
                        "s3proxy.endpoint=" + endpoint,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + IDENTITY,
                        "s3proxy.credential=" + CREDENTIAL,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + baseDirectory));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(), "-Xmx512m", "-jar", jarProperty, "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("s3proxy.log").toFile())
                .start();
        S3ProxyProcess proxy = new S3ProxyProcess(process, directory, endpoint);
        try {
            proxy.awaitAnswer();
        } catch (IOException | RuntimeException | InterruptedException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    URI endpoint() {
        return endpoint;
    }

    Path baseDirectory() {
        return directory.resolve("data");
    }

    private void awaitAnswer() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) endpoint.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status > 0) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("s3proxy did not answer within " + STARTUP + ":\n" + log());
    }

    private String log() throws IOException {
        return Files.readString(directory.resolve("s3proxy.log"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
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
