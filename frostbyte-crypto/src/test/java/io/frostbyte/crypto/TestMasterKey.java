package io.frostbyte.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;

/** A hand-written in-memory {@link MasterKey}: a fresh AES-256-GCM keyset per instance. */
final class TestMasterKey implements MasterKey {
    private final Aead aead;

    TestMasterKey() {
        try {
            this.aead = TinkSupport.generate(PredefinedAeadParameters.AES256_GCM)
                    .getPrimitive(TinkSupport.configuration(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Aead aead() {
        return aead;
    }

    @Override
    public String id() {
        return "test:in-memory";
    }
}
