package io.frostbyte.crypto;

import com.google.crypto.tink.Aead;

/**
 * The root of the key hierarchy: the key that wraps every tenant's KEK keyset (ARCHITECTURE.md §5). A port, so the
 * key file used when embedded or offline ({@link FileMasterKey}) can be swapped for a KMS when online.
 *
 * <p>Contract for every adapter:
 *
 * <ul>
 *   <li>{@link #aead()} returns an authenticated cipher whose {@code decrypt} succeeds only for ciphertexts this master
 *       key produced with the very same associated data; anything else (other key, other associated data, tampered
 *       bytes) throws {@link java.security.GeneralSecurityException}.
 *   <li>It can decrypt everything it ever encrypted, for as long as the deployment lives; rotating the master key is
 *       the adapter's business (a Tink keyset keeps old keys, a KMS keeps old key versions).
 *   <li>An adapter that cannot reach its backend (a KMS outage) throws {@link io.frostbyte.core.FrostbyteException}
 *       with {@code SERVICE_UNAVAILABLE}, never a {@code GeneralSecurityException}, so a transient outage is not
 *       reported as tampering.
 *   <li>The key never leaves the adapter in clear, and neither {@link #id()} nor {@code toString()} shows it.
 * </ul>
 *
 * <p>Implementations and the returned {@link Aead} are thread-safe and hold no streams.
 */
public interface MasterKey {
    /** The cipher that wraps and unwraps tenant keysets. */
    Aead aead();

    /** A content-free identifier for logs and {@code config show}: {@code file:/path} or a KMS key URI. */
    String id();
}
