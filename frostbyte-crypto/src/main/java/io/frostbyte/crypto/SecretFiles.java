package io.frostbyte.crypto;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files that hold secrets (master key, signing keys, the admin token): written atomically with POSIX mode 0600 and
 * read only when no group or other permission bit is set.
 *
 * <p>A secret is first written to a temporary file in the target's directory, created with mode 0600 in the same
 * {@code open(2)} call (so the content is never world-readable, not even briefly, whatever the umask), flushed to disk,
 * and then renamed or hard-linked into place. Directories this class creates get mode 0700. A reader therefore sees
 * either no file or the complete file. Requires a POSIX file system; elsewhere every method fails.
 *
 * <p>Stateless and thread-safe. The methods open and close their files themselves.
 */
public final class SecretFiles {
    /** {@code rw-------}: the only mode a secret file may have (owner read-only is accepted too). */
    public static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    /** Default upper bound for {@link #read(Path)}; secrets are small. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private SecretFiles() {}

    /**
     * Writes {@code content} to {@code target} atomically with mode 0600, replacing any existing file. Missing parent
     * directories are created with mode 0700.
     */
    public static void write(Path target, byte[] content) throws IOException {
        requireNonNull(target, "target is null");
        requireNonNull(content, "content is null");
        Path temporary = writeTemporary(target, content);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(directoryOf(target));
    }

    /**
     * Creates {@code target} with mode 0600 holding {@code content}, unless a file (or link) of that name already
     * exists. Safe against a concurrent creator: exactly one caller wins, and no one ever sees a partial file.
     *
     * @return whether this call created the file; {@code false} leaves the existing file untouched
     */
    public static boolean createIfAbsent(Path target, byte[] content) throws IOException {
        requireNonNull(target, "target is null");
        requireNonNull(content, "content is null");
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path temporary = writeTemporary(target, content);
        try {
            try {
                // link(2) fails if the target exists, so two starting processes cannot overwrite each other
                Files.createLink(target, temporary);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                // no hard links here: a rename without REPLACE_EXISTING still never overwrites an existing file
                try {
                    Files.move(temporary, target);
                } catch (FileAlreadyExistsException alreadyThere) {
                    return false;
                }
            }
            syncDirectory(directoryOf(target));
            return true;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** {@link #read(Path, int)} with {@link #DEFAULT_MAX_BYTES}. */
    public static byte[] read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads a secret file after checking its mode. The caller should overwrite the returned array once done with it.
     *
     * @throws FrostbyteException {@code CONFIG_INVALID}, naming the path, when the file is accessible by group or
     *     others, is not a regular file, or is larger than {@code maxBytes}
     * @throws java.nio.file.NoSuchFileException when it does not exist
     */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        requireNonNull(file, "file is null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1: " + maxBytes);
        }
        requireOwnerOnly(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                Arrays.fill(bytes, (byte) 0);
                throw new FrostbyteException(
                        ErrorCode.CONFIG_INVALID, "secret file " + file + " is larger than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Checks that {@code file} is a regular file (symbolic links are followed) with no group or other permission bit.
     *
     * @throws FrostbyteException {@code CONFIG_INVALID} naming the path and its mode otherwise
     * @throws java.nio.file.NoSuchFileException when it does not exist
     */
    public static void requireOwnerOnly(Path file) throws IOException {
        requireNonNull(file, "file is null");
        Set<PosixFilePermission> permissions = posixPermissions(file);
        if (!Files.isRegularFile(file)) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "secret file " + file + " is not a regular file");
        }
        if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "secret file " + file + " is accessible by group or others (mode "
                            + PosixFilePermissions.toString(permissions) + "); it must be 0600: chmod 600 " + file);
        }
    }

    private static Set<PosixFilePermission> posixPermissions(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID, "secret file " + file + " is not on a POSIX file system", e);
        }
    }

    private static Path writeTemporary(Path target, byte[] content) throws IOException {
        Path directory = directoryOf(target);
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
        Path temporary = Files.createTempFile(
                directory,
                "." + target.getFileName() + ".",
                ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        try {
            // the umask may only have removed bits; this restores owner read/write and adds nothing else
            Files.setPosixFilePermissions(temporary, OWNER_READ_WRITE);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            return temporary;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    private static Path directoryOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("target has no parent directory: " + target);
        }
        return parent;
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort: some file systems cannot fsync a directory; the file itself is already on disk
        }
    }
}
