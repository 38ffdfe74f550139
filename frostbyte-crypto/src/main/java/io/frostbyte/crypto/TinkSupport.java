package io.frostbyte.crypto;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;

/** Registers the Tink primitives this module uses, once per class loader, and hands out the configuration. */
final class TinkSupport {
    private static final Configuration CONFIGURATION = register();

    private TinkSupport() {}

    static Configuration configuration() {
        return CONFIGURATION;
    }

    /** A new keyset holding one key of {@code parameters}, as primary. */
    static KeysetHandle generate(Parameters parameters) throws GeneralSecurityException {
        return KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.generateEntryFromParameters(parameters)
                        .withRandomId()
                        .makePrimary())
                .build();
    }

    private static Configuration register() {
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
            return RegistryConfiguration.get();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
