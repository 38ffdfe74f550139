package io.frostbyte.server.cli.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One regular file of the directory being ingested, as the manifest will describe it.
 *
 * @param relativePath the path below the ingested directory, {@code /}-separated; it decides the order and the file id
 * @param path where the bytes are read from
 * @param fileId {@code f-0001}, {@code f-0002}, … in sorted relative-path order
 * @param filename the basename sent in the manifest
 * @param sizeBytes the byte count read while hashing
 * @param sha256 lower-case hex SHA-256 of exactly the bytes that will be uploaded
 * @param mimeType the type the core sniffer gives the bytes (the manifest's declared type)
 * @param problem why intake would reject the file, if it would
 */
public record LocalFile(
        String relativePath,
        Path path,
        String fileId,
        String filename,
        long sizeBytes,
        String sha256,
        String mimeType,
        Optional<Problem> problem) {
    public LocalFile {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(path, "path is null");
        requireNonNull(fileId, "fileId is null");
        requireNonNull(filename, "filename is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(mimeType, "mimeType is null");
        requireNonNull(problem, "problem is null");
    }

    /** Whether the file may go into a batch: a file that would refuse its whole batch never does. */
    public boolean sendable() {
        return problem.map(Problem::sendable).orElse(true);
    }

    LocalFile withProblem(Problem found) {
        return new LocalFile(relativePath, path, fileId, filename, sizeBytes, sha256, mimeType, Optional.of(found));
    }

    /**
     * A reason intake would turn the file down.
     *
     * @param code the error code the server would give ({@code UNSUPPORTED_FORMAT}, {@code PAYLOAD_TOO_LARGE}, …)
     * @param message what is wrong, without document content
     * @param sendable true when the server rejects just this file (it is sent, and gets a signed receipt of the
     *     rejection); false when it would refuse the whole batch, so the file is left out
     */
    public record Problem(String code, String message, boolean sendable) {
        public Problem {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }
    }
}
