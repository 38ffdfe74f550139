package io.frostbyte.objectstore;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.storage.ObjectUsage;
import io.frostbyte.core.storage.StoredObject;
import io.frostbyte.crypto.EnvelopeCipher;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link ObjectStore} on a local file system: tenant {@code t}'s objects live in {@code <root>/tenants/<t>/objects/<key>}
 * (the platform's in {@code <root>/platform/objects/}), each an {@link EnvelopeCipher} envelope bound to tenant and
 * key. A put streams into a temporary file in {@code <root>/tenants/<t>/tmp/}, forces it to disk and renames it over
 * the key atomically. Symbolic links are never followed below the root: a path through one fails closed with
 * {@code INTERNAL_ERROR}.
 *
 * <p>Thread-safe. Two puts of one key race, and the last rename wins whole.
 */
public final class FilesystemObjectStore implements ObjectStore {
    private final Path root;
    private final EnvelopeCipher cipher;

    /** Creates {@code root} if needed. */
    public FilesystemObjectStore(Path root, EnvelopeCipher cipher) {
        requireNonNull(root, "root is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "object store root " + root + " is not usable", e);
        }
    }

    @Override
    public StoredObject put(TenantId tenantId, ObjectKey key, InputStream content, long sizeHint) {
        requireNonNull(content, "content is null");
        Path objects = requireNamespace(tenantId);
        Path target = objectPath(tenantId, objects, key);
        Path tmp = null;
        boolean moved = false;
        try {
            createParents(tenantId, objects, target);
            tmp = Files.createTempFile(tenantDirectory(tenantId).resolve("tmp"), "put-", ".part");
            StoredObject stored;
            try (SyncingOutputStream file = new SyncingOutputStream(new FileOutputStream(tmp.toFile()))) {
                OutputStream encrypting = cipher.encryptingStream(tenantId, key.value(), file);
                stored = PlaintextCopy.copy(key, content, encrypting);
                encrypting.close();
            }
            requireNoLinks(tenantId, target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            return stored;
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot write object " + key + " of tenant " + tenantId, e);
        } finally {
            if (tmp != null && !moved) {
                deleteQuietly(tmp);
            }
        }
    }

    @Override
    public InputStream get(TenantId tenantId, ObjectKey key) {
        Path objects = requireNamespace(tenantId);
        Path file = objectPath(tenantId, objects, key);
        requireNoLinks(tenantId, file);
        InputStream in;
        try {
            in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(tenantId, key);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot open object " + key + " of tenant " + tenantId, e);
        }
        try {
            return cipher.decryptingStream(tenantId, key.value(), in);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in, e);
            if (e instanceof IOException io) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "cannot read object " + key + " of tenant " + tenantId, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The ciphertext is copied with its data key rewrapped for the new key ({@link EnvelopeCipher#rewrap}). */
    @Override
    public void copy(TenantId tenantId, ObjectKey from, ObjectKey to) {
        Path objects = requireNamespace(tenantId);
        Path source = objectPath(tenantId, objects, from);
        Path target = objectPath(tenantId, objects, to);
        requireNoLinks(tenantId, source);
        Path tmp = null;
        boolean moved = false;
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
            createParents(tenantId, objects, target);
            tmp = Files.createTempFile(tenantDirectory(tenantId).resolve("tmp"), "copy-", ".part");
            try (SyncingOutputStream file = new SyncingOutputStream(new FileOutputStream(tmp.toFile()))) {
                cipher.rewrap(tenantId, from.value(), to.value(), in, file);
            }
            requireNoLinks(tenantId, target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (NoSuchFileException e) {
            throw notFound(tenantId, from);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot copy object " + from + " of tenant " + tenantId, e);
        } finally {
            if (tmp != null && !moved) {
                deleteQuietly(tmp);
            }
        }
    }

    @Override
    public boolean exists(TenantId tenantId, ObjectKey key) {
        Path objects = requireNamespace(tenantId);
        Path file = objectPath(tenantId, objects, key);
        requireNoLinks(tenantId, file);
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public java.time.Instant modifiedAt(TenantId tenantId, ObjectKey key) {
        Path objects = requireNamespace(tenantId);
        Path file = objectPath(tenantId, objects, key);
        requireNoLinks(tenantId, file);
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw notFound(tenantId, key);
            }
            return attributes.lastModifiedTime().toInstant();
        } catch (NoSuchFileException e) {
            throw notFound(tenantId, key);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot read the time of object " + key + " of tenant " + tenantId, e);
        }
    }

    @Override
    public void delete(TenantId tenantId, ObjectKey key) {
        Path objects = requireNamespace(tenantId);
        Path file = objectPath(tenantId, objects, key);
        requireNoLinks(tenantId, file);
        try {
            Files.deleteIfExists(file);
            for (Path dir = file.getParent(); !dir.equals(objects); dir = dir.getParent()) {
                Files.deleteIfExists(dir);
            }
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // a sibling still lives there, or a concurrent delete pruned it first
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot delete object " + key + " of tenant " + tenantId, e);
        }
    }

    @Override
    public List<ObjectKey> list(TenantId tenantId, String prefix) {
        ObjectKey.requireValidPrefix(prefix);
        Path objects = requireNamespace(tenantId);
        List<ObjectKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(objects)) {
            files.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .map(path -> objects.relativize(path).toString())
                    .filter(name -> name.startsWith(prefix) && ObjectKey.isValid(name))
                    .map(ObjectKey::of)
                    .forEach(keys::add);
        } catch (IOException | UncheckedIOException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot list objects of tenant " + tenantId, e);
        }
        keys.sort(Comparator.naturalOrder());
        return List.copyOf(keys);
    }

    @Override
    public ObjectUsage usage(TenantId tenantId) {
        Path objects = requireNamespace(tenantId);
        long[] total = new long[2];
        try (Stream<Path> files = Files.walk(objects)) {
            files.filter(path -> ObjectKey.isValid(objects.relativize(path).toString()))
                    .forEach(path -> {
                        try {
                            BasicFileAttributes attributes =
                                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                            if (attributes.isRegularFile()) {
                                total[0] += attributes.size();
                                total[1]++;
                            }
                        } catch (NoSuchFileException e) {
                            // deleted while we walked: no longer stored
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot measure objects of tenant " + tenantId, e);
        }
        return new ObjectUsage(total[0], total[1]);
    }

    @Override
    public void createNamespace(TenantId tenantId) {
        Path tenantDir = tenantDirectory(tenantId);
        try {
            Files.createDirectories(tenantDir.getParent());
            requireNoLinks(tenantId, tenantDir);
            Files.createDirectories(tenantDir.resolve("objects"));
            Files.createDirectories(tenantDir.resolve("tmp"));
            requireNoLinks(tenantId, tenantDir.resolve("objects"));
            requireNoLinks(tenantId, tenantDir.resolve("tmp"));
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot create the object namespace of tenant " + tenantId, e);
        }
    }

    @Override
    public void deleteNamespace(TenantId tenantId) {
        Path tenantDir = tenantDirectory(tenantId);
        requireNoLinks(tenantId, tenantDir);
        if (!Files.isDirectory(tenantDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (namespaceExists(tenantId)) {
            for (ObjectKey key : list(tenantId, "")) {
                delete(tenantId, key);
            }
        }
        try {
            List<Path> remaining;
            try (Stream<Path> all = Files.walk(tenantDir)) {
                remaining = all.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                                && !path.getParent().equals(tenantDir.resolve("tmp")))
                        .toList();
            }
            if (!remaining.isEmpty()) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR,
                        "object namespace of tenant " + tenantId + " is not empty after deleting every object: "
                                + remaining.size() + " entries remain");
            }
            try (Stream<Path> all = Files.walk(tenantDir)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot delete the object namespace of tenant " + tenantId, e);
        }
    }

    @Override
    public boolean namespaceExists(TenantId tenantId) {
        Path objects = tenantDirectory(tenantId).resolve("objects");
        return !Files.isSymbolicLink(tenantDirectory(tenantId))
                && Files.isDirectory(objects, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String namespaceName(TenantId tenantId) {
        return root.relativize(tenantDirectory(tenantId)).toString();
    }

    /** The tenant's directory; holds {@code objects/} and {@code tmp/}. */
    Path tenantDirectory(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return tenantId.isPlatform()
                ? root.resolve("platform")
                : root.resolve("tenants").resolve(tenantId.value());
    }

    private Path requireNamespace(TenantId tenantId) {
        if (!namespaceExists(tenantId)) {
            throw new FrostbyteException(
                    ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " has no object namespace");
        }
        return tenantDirectory(tenantId).resolve("objects");
    }

    private static Path objectPath(TenantId tenantId, Path objects, ObjectKey key) {
        requireNonNull(key, "key is null");
        Path file = objects.resolve(key.value()).normalize();
        // the key grammar already excludes this; a second fence costs nothing
        if (!file.startsWith(objects) || file.equals(objects)) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "object key " + key + " leaves the namespace of tenant " + tenantId);
        }
        return file;
    }

    private void createParents(TenantId tenantId, Path objects, Path target) throws IOException {
        Path relative = objects.relativize(target.getParent());
        Path dir = objects;
        for (Path part : relative) {
            dir = dir.resolve(part);
            if (Files.isSymbolicLink(dir)) {
                throw symlink(tenantId, dir);
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        throw symlink(tenantId, dir);
                    }
                }
            }
        }
    }

    /** Fails when any entry from the root's child down to {@code path} is a symbolic link. */
    private void requireNoLinks(TenantId tenantId, Path path) {
        Path relative = root.relativize(path);
        Path current = root;
        for (Path part : relative) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw symlink(tenantId, current);
            }
        }
    }

    private FrostbyteException symlink(TenantId tenantId, Path path) {
        return new FrostbyteException(
                ErrorCode.INTERNAL_ERROR,
                "object path " + root.relativize(path) + " of tenant " + tenantId
                        + " is a symbolic link or not a directory; refusing to follow it");
    }

    private static FrostbyteException notFound(TenantId tenantId, ObjectKey key) {
        return new FrostbyteException(
                ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " has no object " + key.value());
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover temporary file is not an object; deleteNamespace removes tmp/ anyway
        }
    }

    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Forces the file's bytes to disk before closing, so the rename publishes a complete object. */
    private static final class SyncingOutputStream extends FilterOutputStream {
        private final FileOutputStream file;
        private boolean closed;

        SyncingOutputStream(FileOutputStream file) {
            super(file);
            this.file = file;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            file.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                file.getChannel().force(true);
            } finally {
                file.close();
            }
        }
    }
}
