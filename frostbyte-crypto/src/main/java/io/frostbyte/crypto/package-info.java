/**
 * Frostbyte's key hierarchy and signing: a {@link io.frostbyte.crypto.MasterKey} wraps each tenant's KEK keyset
 * ({@link io.frostbyte.crypto.TenantKeyring}); every object is encrypted under its own DEK wrapped by the tenant KEK
 * ({@link io.frostbyte.crypto.EnvelopeCipher}); Ed25519 {@link io.frostbyte.crypto.SigningKey}s sign receipts, proofs
 * and audit checkpoints. No class here logs, and no exception message carries key material.
 */
package io.frostbyte.crypto;
