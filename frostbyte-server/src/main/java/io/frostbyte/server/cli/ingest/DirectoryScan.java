package io.frostbyte.server.cli.ingest;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.intake.IntakeType;
import io.frostbyte.core.intake.MimeSniffer;
import io.frostbyte.core.intake.Sniffed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Walks a directory and describes every regular file for a manifest (spec/01 §1.10): relative paths sorted, hidden
 * files and directories (a name starting with {@code .}) skipped, symbolic links not followed, the command's own report
 * files skipped; each file read once as a stream for its size, its SHA-256 and the sniffer's first {@value
 * MimeSniffer#WINDOW_BYTES} bytes (a ZIP container is reopened for the sniffer). Bounded by a file count and a depth.
 */
public final class DirectoryScan {
    /** The deepest directory level visited below the root. */
    public static final int MAX_DEPTH = 32;

    private static final Pattern REPORT_FILE = Pattern.compile("^frostbyte-report-.+\\.(json|md)$");
    private static final MimeSniffer SNIFFER = new MimeSniffer();

    private DirectoryScan() {}

    /**
     * @param root the directory to ingest
     * @param reportDir where reports are written: report files found there are not ingested
     * @param maxFiles the most files accepted; more is an error, before anything is read
     * @param limits the tenant's limits each file is checked against
     */
    public static List<LocalFile> scan(Path root, Path reportDir, int maxFiles, IntakeLimits limits) {
        if (!Files.isDirectory(root)) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Not a directory: " + root);
        }
        List<String> relative = list(root, reportDir.toAbsolutePath().normalize(), maxFiles);
        List<LocalFile> files = new ArrayList<>();
        for (int i = 0; i < relative.size(); i++) {
            files.add(describe(root, relative.get(i), String.format("f-%04d", i + 1), limits));
        }
        return List.copyOf(files);
    }

    private static List<String> list(Path root, Path reportDir, int maxFiles) {
        List<String> found = new ArrayList<>();
        try {
            Files.walkFileTree(
                    root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            return !dir.equals(root) && hidden(dir)
                                    ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (!attrs.isRegularFile() || hidden(file) || ownReport(file, reportDir)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (found.size() == maxFiles) {
                                throw new FrostbyteException(
                                        ErrorCode.VALIDATION_ERROR,
                                        "The directory holds more than " + maxFiles
                                                + " files; raise --max-files or split it.");
                            }
                            found.add(slashed(root.relativize(file)));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            // an unreadable entry is listed and reported as unreadable, never silently dropped
                            if (!hidden(file)) {
                                found.add(slashed(root.relativize(file)));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Cannot read the directory " + root + ".", e);
        }
        found.sort(null);
        return found;
    }

    private static LocalFile describe(Path root, String relativePath, String fileId, IntakeLimits limits) {
        Path path = root.resolve(relativePath);
        String filename = path.getFileName().toString();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
        byte[] window = new byte[MimeSniffer.WINDOW_BYTES];
        int windowLength = 0;
        long size = 0;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                sha.update(buffer, 0, read);
                int copy = Math.min(read, window.length - windowLength);
                System.arraycopy(buffer, 0, window, windowLength, copy);
                windowLength += copy;
                size += read;
            }
        } catch (IOException e) {
            return new LocalFile(
                    relativePath,
                    path,
                    fileId,
                    filename,
                    0,
                    "",
                    "application/octet-stream",
                    Optional.of(new LocalFile.Problem("UNREADABLE", "The file cannot be read.", false)));
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        Sniffed sniffed;
        try {
            sniffed = SNIFFER.sniff(
                    java.util.Arrays.copyOf(window, windowLength), size, IntakeType.extensionOf(filename), () -> {
                        try {
                            return Files.newInputStream(path);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (UncheckedIOException e) {
            sniffed = new Sniffed(Optional.empty(), "application/octet-stream");
        }
        Optional<LocalFile.Problem> problem = filenameProblem(filename);
        if (problem.isEmpty()) {
            problem = limits.problem(size, sniffed.type(), sniffed.mimeType(), filename);
        }
        return new LocalFile(relativePath, path, fileId, filename, size, hex, sniffed.mimeType(), problem);
    }

    // the manifest rules of spec/01 §1.1 for filename: a name breaking them would refuse the whole batch
    static Optional<LocalFile.Problem> filenameProblem(String filename) {
        if (filename.codePointCount(0, filename.length()) > 255
                || filename.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)
                || filename.contains("\\")) {
            return Optional.of(new LocalFile.Problem(
                    "MANIFEST_INVALID",
                    "The file name is longer than 255 characters or holds control characters or a backslash.",
                    false));
        }
        return Optional.empty();
    }

    private static boolean hidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static boolean ownReport(Path file, Path reportDir) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent != null
                && parent.equals(reportDir)
                && REPORT_FILE.matcher(file.getFileName().toString()).matches();
    }

    private static String slashed(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
