package io.frostbyte.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.SecretSealer;
import java.util.Arrays;

/** A trivial reversible {@link SecretSealer}: {@code tenant id | reversed bytes}; opening checks the tenant. */
final class ReversibleSealer implements SecretSealer {
    @Override
    public byte[] seal(TenantId tenantId, byte[] plaintext) {
        byte[] prefix = (tenantId.value() + "|").getBytes(UTF_8);
        byte[] sealed = Arrays.copyOf(prefix, prefix.length + plaintext.length);
        for (int i = 0; i < plaintext.length; i++) {
            sealed[prefix.length + i] = plaintext[plaintext.length - 1 - i];
        }
        return sealed;
    }

    @Override
    public byte[] open(TenantId tenantId, byte[] sealed) {
        byte[] prefix = (tenantId.value() + "|").getBytes(UTF_8);
        if (sealed.length < prefix.length || !Arrays.equals(prefix, Arrays.copyOf(sealed, prefix.length))) {
            throw new FrostbyteException(ErrorCode.DECRYPTION_FAILED, "sealed for another tenant");
        }
        byte[] plain = new byte[sealed.length - prefix.length];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = sealed[sealed.length - 1 - i];
        }
        return plain;
    }
}
