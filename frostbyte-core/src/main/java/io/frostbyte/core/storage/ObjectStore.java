package io.frostbyte.core.storage;

import io.frostbyte.core.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The tenants' object storage (spec/07 §7.5, ARCHITECTURE.md §5): one namespace per tenant (an S3 bucket
 * {@code fb-<id>}, or a directory {@code tenants/<id>/objects/}), keys of the {@link ObjectKey} grammar, and every
 * object encrypted by the adapter with its own DEK wrapped by the tenant's KEK, bound to {@code tenant_id + "|" +
 * object_key} (§7.6). Callers only ever see plaintext; the stored bytes are ciphertext.
 *
 * <p>Contract for every adapter (checked by {@code ObjectStoreContract}):
 *
 * <ul>
 *   <li><b>Tenant-scoped, fail closed.</b> Every call names its tenant and touches only that tenant's namespace. An
 *       object's bytes placed under another tenant or key do not decrypt ({@code DECRYPTION_FAILED}). Object calls on
 *       a tenant without a namespace throw {@code RESOURCE_NOT_FOUND}; they never create one.
 *   <li><b>Streaming.</b> No method holds a whole object in memory; memory per call is bounded by the adapter's
 *       buffer (at most one upload part).
 *   <li><b>Overwrite.</b> {@link #put} on an existing key replaces it atomically: a reader sees the old object or the
 *       new one, never a mix, and a failed put leaves the old object in place.
 *   <li><b>Errors.</b> {@link io.frostbyte.core.FrostbyteException} with {@code RESOURCE_NOT_FOUND} (no such object or
 *       namespace), {@code KEYS_DESTROYED} (the tenant was crypto-shredded), {@code DECRYPTION_FAILED} (the bytes do
 *       not authenticate), {@code VALIDATION_ERROR} (a bad prefix), {@code SERVICE_UNAVAILABLE} (the backend cannot be
 *       reached; retriable) or {@code INTERNAL_ERROR}. I/O failures of the caller's stream pass through as
 *       {@link java.io.UncheckedIOException}.
 *   <li>Implementations are thread-safe.
 * </ul>
 */
public interface ObjectStore {
    /**
     * Encrypts and stores {@code content}, read to its end; does not close it. Size and SHA-256 are computed over the
     * plaintext while it streams.
     *
     * @param sizeHint the expected plaintext size, or -1 when unknown; adapters may use it to choose an upload
     *     strategy, never to truncate or pad
     * @return the plaintext size and SHA-256
     */
    StoredObject put(TenantId tenantId, ObjectKey key, InputStream content, long sizeHint);

    /**
     * Opens an object for reading; the caller closes the returned stream. The stream decrypts as it is read; a read
     * throws {@code DECRYPTION_FAILED} at the first segment that does not authenticate, so treat content as valid only
     * once the stream reached its end without an exception.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code RESOURCE_NOT_FOUND} when the object does not exist, {@code
     *     KEYS_DESTROYED} after a crypto-shred, {@code DECRYPTION_FAILED} when its header does not authenticate for
     *     this tenant and key
     */
    InputStream get(TenantId tenantId, ObjectKey key);

    /**
     * Stores a copy of object {@code from} under key {@code to} of the same tenant, as a {@link #put} of what
     * {@link #get} reads would (an existing {@code to} is replaced atomically, a failed copy leaves it as it was). An
     * adapter may copy the ciphertext with its data key rewrapped for the new key instead of decrypting and
     * encrypting again; the body is then authenticated when the copy is read.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code RESOURCE_NOT_FOUND} when {@code from} does not exist, {@code
     *     KEYS_DESTROYED} after a crypto-shred, {@code DECRYPTION_FAILED} when its header does not authenticate for
     *     this tenant and key
     */
    default void copy(TenantId tenantId, ObjectKey from, ObjectKey to) {
        try (InputStream content = get(tenantId, from)) {
            put(tenantId, to, content, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the object exists (without decrypting it). */
    boolean exists(TenantId tenantId, ObjectKey key);

    /**
     * When the object was last written, as the store records it (the staging janitor's age, spec/01 INT-4).
     *
     * @throws io.frostbyte.core.FrostbyteException {@code RESOURCE_NOT_FOUND} when there is no such object
     */
    java.time.Instant modifiedAt(TenantId tenantId, ObjectKey key);

    /** Deletes the object. Idempotent: deleting a missing object succeeds. */
    void delete(TenantId tenantId, ObjectKey key);

    /**
     * The tenant's keys that start with {@code prefix} ({@code ""} for all; see {@link ObjectKey#requireValidPrefix}),
     * in ascending order. The listing is not a snapshot: objects put or deleted meanwhile may or may not appear.
     */
    List<ObjectKey> list(TenantId tenantId, String prefix);

    /**
     * The bytes (as stored: ciphertext and envelope) and number of the tenant's objects. Like {@link #list}, not a
     * snapshot of concurrent writes.
     */
    ObjectUsage usage(TenantId tenantId);

    /** Creates the tenant's namespace. Idempotent: an existing namespace is kept with its objects. */
    void createNamespace(TenantId tenantId);

    /**
     * Deletes every object of the tenant, verifies that none remains, then deletes the namespace itself. Idempotent:
     * a missing namespace is success.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code INTERNAL_ERROR} when objects remain after deleting them
     */
    void deleteNamespace(TenantId tenantId);

    /** Whether the tenant's namespace exists. */
    boolean namespaceExists(TenantId tenantId);

    /** A content-free name of the tenant's namespace for audit details: {@code fb-acme-corp}, {@code tenants/acme-corp}. */
    String namespaceName(TenantId tenantId);
}
