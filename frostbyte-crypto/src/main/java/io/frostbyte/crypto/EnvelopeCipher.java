package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.KeyVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Envelope encryption of tenant objects: every object gets a fresh DEK (a Tink streaming AEAD keyset,
 * {@code AES256_GCM_HKDF_1MB}) that the tenant's primary KEK wraps, with associated data binding it to the tenant and
 * to a caller-given context (the object key, spec/07 §7.6). An object copied to another key or tenant therefore fails
 * to decrypt, and key rotation or moving an object only rewraps the DEK in the header ({@link #rewrap}); the data bytes
 * are never re-encrypted.
 *
 * <p>Object layout (format 1), all integers big-endian:
 *
 * <pre>
 * "FBEN" | format (1 byte) = 1 | KEK version (4) | KEK key id (4) | wrapped DEK length (2) | wrapped DEK | Tink streaming ciphertext
 * </pre>
 *
 * The wrapped DEK is the KEK's AEAD ciphertext of the DEK keyset with associated data
 * {@code "frostbyte-dek|1|" + tenant_id + "|" + kek_version + "|" + kek_key_id + "|" + context}, so every header field
 * is authenticated; the body's associated data is {@code "frostbyte-object|1|" + tenant_id}, and the body is tied to
 * its header because only that header's DEK decrypts it.
 *
 * <p>Failures: {@code RESOURCE_NOT_FOUND} when the tenant has no keyset, {@code KEYS_DESTROYED} once it was shredded
 * (or the version wrapping this object's DEK was destroyed), {@code DECRYPTION_FAILED} for another tenant's or
 * context's object, any changed byte, truncation, or bytes that are no envelope at all. Decrypting never yields
 * garbage: Tink authenticates each 1 MiB segment before releasing any of its bytes, and the segment index and a
 * last-segment flag are bound into each segment's nonce, so reordered, dropped or truncated segments fail too. What a
 * stream cannot do is fail before the bad segment is reached: a reader may have consumed the authentic plaintext of
 * the segments before it. Treat streamed content as valid only once the stream reached its end without an exception;
 * the {@code byte[]} methods do exactly that.
 *
 * <p>Thread-safe; every call is independent. Who closes what is stated per method.
 */
public final class EnvelopeCipher {
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'F', 'B', 'E', 'N'};
    private static final int FIXED_HEADER_BYTES = MAGIC.length + 1 + 4 + 4 + 2;
    private static final int MAX_WRAPPED_DEK_BYTES = 1024;
    private static final int MAX_CONTEXT_BYTES = 4096;
    private static final Configuration TINK = TinkSupport.configuration();

    private final TenantKeyring keyring;

    public EnvelopeCipher(TenantKeyring keyring) {
        this.keyring = requireNonNull(keyring, "keyring is null");
    }

    /**
     * Writes the header to {@code sink} at once and returns the stream to write the plaintext to. Closing the returned
     * stream writes the final segment and closes {@code sink}; until it is closed the ciphertext is incomplete (and
     * fails to decrypt as truncated). When this method throws, {@code sink} stays open and is the caller's to close.
     *
     * @param context what the object is bound to, normally its object key; 1 to 4096 UTF-8 bytes
     */
    public OutputStream encryptingStream(TenantId tenantId, String context, OutputStream sink) throws IOException {
        requireNonNull(tenantId, "tenantId is null");
        byte[] contextBytes = contextBytes(context);
        requireNonNull(sink, "sink is null");
        KekSnapshot kek = keyring.live(tenantId);
        KeyVersion primary = kek.primary();
        byte[] clearDek = null;
        try {
            KeysetHandle dek = TinkSupport.generate(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
            clearDek = TinkProtoKeysetFormat.serializeKeyset(dek, InsecureSecretKeyAccess.get(), TINK);
            byte[] wrapped = kek.requireAead()
                    .encrypt(clearDek, dekAssociatedData(tenantId, primary.version(), primary.keyId(), contextBytes));
            StreamingAead streaming = dek.getPrimitive(TINK, StreamingAead.class);
            writeHeader(sink, primary, wrapped);
            return streaming.newEncryptingStream(sink, bodyAssociatedData(tenantId));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot encrypt an object for tenant " + tenantId, e);
        } finally {
            wipe(clearDek);
        }
    }

    /**
     * Reads and checks the header from {@code source} at once (so a wrong tenant, context or key fails here) and
     * returns the plaintext stream. Its {@code read} methods throw {@link FrostbyteException} {@code DECRYPTION_FAILED}
     * (unchecked) when a segment fails authentication or the ciphertext ends early, and keep throwing after that; an
     * {@link IOException} of {@code source} itself passes through unchanged. Closing the returned stream closes
     * {@code source}; when this method throws, {@code source} stays open and is the caller's to close.
     */
    public InputStream decryptingStream(TenantId tenantId, String context, InputStream source) throws IOException {
        requireNonNull(tenantId, "tenantId is null");
        byte[] contextBytes = contextBytes(context);
        requireNonNull(source, "source is null");
        keyring.live(tenantId);
        ParsedHeader header = parseHeader(source);
        byte[] clearDek = unwrapDek(tenantId, contextBytes, header);
        StreamingAead streaming;
        try {
            streaming = TinkProtoKeysetFormat.parseKeyset(clearDek, InsecureSecretKeyAccess.get(), TINK)
                    .getPrimitive(TINK, StreamingAead.class);
        } catch (GeneralSecurityException e) {
            throw decryptionFailed(tenantId, "its data key is not a streaming AEAD keyset");
        } finally {
            wipe(clearDek);
        }
        GuardedSource guarded = new GuardedSource(source);
        try {
            return new AuthenticatedInputStream(
                    streaming.newDecryptingStream(guarded, bodyAssociatedData(tenantId)), guarded, tenantId);
        } catch (GeneralSecurityException e) {
            throw decryptionFailed(tenantId, "its body cannot be opened");
        }
    }

    /** Encrypts a small object held in memory; see {@link #encryptingStream}. */
    public byte[] encrypt(TenantId tenantId, String context, byte[] plaintext) {
        requireNonNull(plaintext, "plaintext is null");
        ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 512);
        try (OutputStream encrypting = encryptingStream(tenantId, context, out)) {
            encrypting.write(plaintext);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Decrypts a small object held in memory; all or nothing: returns the plaintext only when every byte
     * authenticated.
     */
    public byte[] decrypt(TenantId tenantId, String context, byte[] ciphertext) {
        requireNonNull(ciphertext, "ciphertext is null");
        try (InputStream in = decryptingStream(tenantId, context, new ByteArrayInputStream(ciphertext))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory failed", e);
        }
    }

    /**
     * Rewraps the object's DEK under the tenant's current primary KEK version and copies the body unchanged: what key
     * rotation does to every object. Reads {@code in} to its end and writes the whole new object to {@code out};
     * closes neither. The body is copied, not authenticated.
     *
     * @return the new header
     */
    public EnvelopeHeader rewrap(TenantId tenantId, String context, InputStream in, OutputStream out)
            throws IOException {
        return rewrap(tenantId, context, context, in, out);
    }

    /**
     * Like {@link #rewrap(TenantId, String, InputStream, OutputStream)}, and also moves the object from one context to
     * another (staging to raw, spec/01 INT-4) without re-encrypting it.
     */
    public EnvelopeHeader rewrap(
            TenantId tenantId, String fromContext, String toContext, InputStream in, OutputStream out)
            throws IOException {
        requireNonNull(tenantId, "tenantId is null");
        byte[] from = contextBytes(fromContext);
        byte[] to = contextBytes(toContext);
        requireNonNull(in, "in is null");
        requireNonNull(out, "out is null");
        keyring.live(tenantId);
        ParsedHeader header = parseHeader(in);
        byte[] clearDek = unwrapDek(tenantId, from, header);
        EnvelopeHeader written;
        try {
            KekSnapshot kek = keyring.live(tenantId);
            KeyVersion primary = kek.primary();
            byte[] wrapped = kek.requireAead()
                    .encrypt(clearDek, dekAssociatedData(tenantId, primary.version(), primary.keyId(), to));
            written = writeHeader(out, primary, wrapped);
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot rewrap an object of tenant " + tenantId, e);
        } finally {
            wipe(clearDek);
        }
        in.transferTo(out);
        return written;
    }

    /**
     * Reads only the header of an object, with no key: which KEK version wraps its DEK. Leaves {@code in} positioned at
     * the body and open.
     *
     * @throws FrostbyteException {@code DECRYPTION_FAILED} when the bytes are no Frostbyte envelope
     */
    public static EnvelopeHeader readHeader(InputStream in) throws IOException {
        return parseHeader(requireNonNull(in, "in is null")).header();
    }

    /** {@link #readHeader(InputStream)} over an object (or its first bytes) held in memory. */
    public static EnvelopeHeader readHeader(byte[] object) {
        try {
            return readHeader(new ByteArrayInputStream(requireNonNull(object, "object is null")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory failed", e);
        }
    }

    private byte[] unwrapDek(TenantId tenantId, byte[] contextBytes, ParsedHeader parsed) {
        EnvelopeHeader header = parsed.header();
        KekSnapshot kek = keyring.liveWithVersion(tenantId, header.kekVersion());
        KeyVersion version = kek.version(header.kekVersion())
                .orElseThrow(() -> decryptionFailed(tenantId, "it names an unknown key version"));
        if (version.status() == KeyVersion.Status.DESTROYED) {
            throw new FrostbyteException(
                    ErrorCode.KEYS_DESTROYED,
                    "key version " + version.version() + " of tenant " + tenantId
                            + " was destroyed; the object can never be decrypted");
        }
        if (version.keyId() != header.kekKeyId()) {
            throw decryptionFailed(tenantId, "its key id does not match key version " + version.version());
        }
        try {
            return kek.requireAead()
                    .decrypt(
                            parsed.wrappedDek(),
                            dekAssociatedData(tenantId, header.kekVersion(), header.kekKeyId(), contextBytes));
        } catch (GeneralSecurityException e) {
            throw decryptionFailed(tenantId, "its data key does not authenticate (other tenant, context or key)");
        }
    }

    private static EnvelopeHeader writeHeader(OutputStream out, KeyVersion kek, byte[] wrappedDek) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(FIXED_HEADER_BYTES + wrappedDek.length);
        header.put(MAGIC);
        header.put((byte) FORMAT_VERSION);
        header.putInt(kek.version());
        header.putInt((int) kek.keyId());
        header.putShort((short) wrappedDek.length);
        header.put(wrappedDek);
        out.write(header.array());
        return new EnvelopeHeader(FORMAT_VERSION, kek.version(), kek.keyId(), header.capacity());
    }

    private static ParsedHeader parseHeader(InputStream in) throws IOException {
        byte[] fixed = in.readNBytes(FIXED_HEADER_BYTES);
        if (fixed.length < FIXED_HEADER_BYTES) {
            throw notAnEnvelope("it is truncated inside its header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(fixed);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw notAnEnvelope("it does not start with the Frostbyte envelope magic");
        }
        int format = buffer.get() & 0xFF;
        if (format != FORMAT_VERSION) {
            throw notAnEnvelope("its format version " + format + " is unknown");
        }
        int kekVersion = buffer.getInt();
        long kekKeyId = Integer.toUnsignedLong(buffer.getInt());
        int wrappedLength = buffer.getShort() & 0xFFFF;
        if (kekVersion < 1 || wrappedLength < 1 || wrappedLength > MAX_WRAPPED_DEK_BYTES) {
            throw notAnEnvelope("its header fields are out of range");
        }
        byte[] wrapped = in.readNBytes(wrappedLength);
        if (wrapped.length < wrappedLength) {
            throw notAnEnvelope("it is truncated inside its header");
        }
        return new ParsedHeader(
                new EnvelopeHeader(format, kekVersion, kekKeyId, FIXED_HEADER_BYTES + wrappedLength), wrapped);
    }

    private static byte[] contextBytes(String context) {
        requireNonNull(context, "context is null");
        byte[] bytes = context.getBytes(UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_CONTEXT_BYTES) {
            throw new IllegalArgumentException(
                    "context must be 1 to " + MAX_CONTEXT_BYTES + " UTF-8 bytes: " + bytes.length);
        }
        return bytes;
    }

    private static byte[] dekAssociatedData(TenantId tenantId, int kekVersion, long kekKeyId, byte[] context) {
        // the context comes last, so a '|' inside it cannot shift the fields before it
        byte[] prefix = ("frostbyte-dek|" + FORMAT_VERSION + "|" + tenantId.value() + "|" + kekVersion + "|" + kekKeyId
                        + "|")
                .getBytes(UTF_8);
        byte[] associatedData = Arrays.copyOf(prefix, prefix.length + context.length);
        System.arraycopy(context, 0, associatedData, prefix.length, context.length);
        return associatedData;
    }

    private static byte[] bodyAssociatedData(TenantId tenantId) {
        return ("frostbyte-object|" + FORMAT_VERSION + "|" + tenantId.value()).getBytes(UTF_8);
    }

    private static FrostbyteException notAnEnvelope(String why) {
        return new FrostbyteException(ErrorCode.DECRYPTION_FAILED, "object is not a Frostbyte envelope: " + why);
    }

    private static FrostbyteException decryptionFailed(TenantId tenantId, String why) {
        return new FrostbyteException(
                ErrorCode.DECRYPTION_FAILED, "object of tenant " + tenantId + " cannot be decrypted: " + why);
    }

    private static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private record ParsedHeader(EnvelopeHeader header, byte[] wrappedDek) {}

    /** Remembers a failure of the caller's source, so it is not mistaken for an authentication failure. */
    private static final class GuardedSource extends FilterInputStream {
        private volatile IOException failure;

        GuardedSource(InputStream source) {
            super(source);
        }

        IOException failure() {
            return failure;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return super.available();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    /** Turns Tink's authentication failures into {@code DECRYPTION_FAILED}; fails for good after the first one. */
    private static final class AuthenticatedInputStream extends InputStream {
        private final InputStream plaintext;
        private final GuardedSource source;
        private final TenantId tenantId;
        private FrostbyteException failed;

        AuthenticatedInputStream(InputStream plaintext, GuardedSource source, TenantId tenantId) {
            this.plaintext = plaintext;
            this.source = source;
            this.tenantId = tenantId;
        }

        @Override
        public int read() throws IOException {
            requireNotFailed();
            try {
                return plaintext.read();
            } catch (IOException e) {
                throw translate(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            requireNotFailed();
            try {
                return plaintext.read(b, off, len);
            } catch (IOException e) {
                throw translate(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                plaintext.close();
            } finally {
                source.close();
            }
        }

        private void requireNotFailed() {
            if (failed != null) {
                throw failed;
            }
        }

        private IOException translate(IOException e) {
            IOException sourceFailure = source.failure();
            if (sourceFailure != null) {
                return sourceFailure;
            }
            failed = new FrostbyteException(
                    ErrorCode.DECRYPTION_FAILED,
                    "object of tenant " + tenantId + " failed authentication: tampered or truncated",
                    e);
            throw failed;
        }
    }
}
