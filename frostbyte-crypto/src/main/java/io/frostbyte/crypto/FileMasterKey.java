package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * A {@link MasterKey} kept in a local file ({@code keys.master_key_file}, embedded and offline shapes): a cleartext
 * Tink JSON keyset of AES-256-GCM keys, mode 0600. Whoever can read the file can read every tenant's data, so it
 * belongs on an encrypted volume and in no backup that travels with the data.
 *
 * <p>Immutable and thread-safe. Holds no open file.
 */
public final class FileMasterKey implements MasterKey {
    private static final int MAX_FILE_BYTES = 64 * 1024;
    private static final int KEY_SIZE_BYTES = 32;
    private static final Configuration TINK = TinkSupport.configuration();

    private final Path path;
    private final Aead aead;

    private FileMasterKey(Path path, Aead aead) {
        this.path = path;
        this.aead = aead;
    }

    /**
     * Loads the key file, or creates it with a new AES-256-GCM keyset (mode 0600, atomically) when there is none. When
     * two processes start at once, one creates the file and both use it.
     *
     * <p>Creating is right for a first start only: a path that is wrong on a later start yields a new master key under
     * which no stored tenant keyset decrypts. Use {@link #load(Path)} where the file must already exist.
     *
     * @throws FrostbyteException {@code CONFIG_INVALID} naming the path when the file is accessible by group or others,
     *     is not a Tink AES-256-GCM keyset, or cannot be read or written
     */
    public static FileMasterKey loadOrCreate(Path path) {
        Path file = requireNonNull(path, "path is null").toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                KeysetHandle handle = TinkSupport.generate(PredefinedAeadParameters.AES256_GCM);
                byte[] json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, TINK, InsecureSecretKeyAccess.get())
                        .getBytes(UTF_8);
                try {
                    if (SecretFiles.createIfAbsent(file, json)) {
                        return new FileMasterKey(file, primitive(handle));
                    }
                } finally {
                    Arrays.fill(json, (byte) 0);
                }
            }
            return load(file);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "master key file " + file + " cannot be created: "
                            + e.getClass().getSimpleName(),
                    e);
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot generate a master key", e);
        }
    }

    /**
     * Loads an existing key file.
     *
     * @throws FrostbyteException {@code CONFIG_INVALID} naming the path when the file is missing, accessible by group
     *     or others, or not a Tink AES-256-GCM keyset
     */
    public static FileMasterKey load(Path path) {
        Path file = requireNonNull(path, "path is null").toAbsolutePath();
        byte[] bytes;
        try {
            bytes = SecretFiles.read(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "master key file " + file + " cannot be read: "
                            + e.getClass().getSimpleName(),
                    e);
        }
        KeysetHandle handle;
        try {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(
                    new String(bytes, UTF_8), TINK, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            // no cause attached: a parser's message could quote the file
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID, "master key file " + file + " is not a Tink AES256_GCM keyset");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        requireAesGcm256(handle, file);
        try {
            return new FileMasterKey(file, primitive(handle));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID, "master key file " + file + " is not a usable AES256_GCM keyset");
        }
    }

    /** The absolute path of the key file. */
    public Path path() {
        return path;
    }

    @Override
    public Aead aead() {
        return aead;
    }

    @Override
    public String id() {
        return "file:" + path;
    }

    @Override
    public String toString() {
        return "FileMasterKey[" + path + "]";
    }

    private static void requireAesGcm256(KeysetHandle handle, Path file) {
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry entry = handle.getAt(i);
            if (!(entry.getKey().getParameters() instanceof AesGcmParameters parameters)
                    || parameters.getKeySizeBytes() != KEY_SIZE_BYTES) {
                throw new FrostbyteException(
                        ErrorCode.CONFIG_INVALID,
                        "master key file " + file + " holds a key that is not AES256_GCM (key id "
                                + Integer.toUnsignedString(entry.getId()) + ")");
            }
        }
        if (handle.getPrimary().getStatus() != KeyStatus.ENABLED) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID, "master key file " + file + " has no enabled primary key");
        }
    }

    private static Aead primitive(KeysetHandle handle) throws GeneralSecurityException {
        return handle.getPrimitive(TINK, Aead.class);
    }
}
