package io.frostbyte.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;

/** A hand-written in-memory {@link MasterKey}: a fresh AES-256-GCM keyset per instance. */
final class TestMasterKey implements MasterKey {
    private final Aead aead;

    TestMasterKey() {
        try {
            AeadConfig.register();
            this.aead = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
                    .getPrimitive(RegistryConfiguration.get(), Aead.class);
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
