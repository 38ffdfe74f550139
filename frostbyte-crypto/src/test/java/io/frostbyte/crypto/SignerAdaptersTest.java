package io.frostbyte.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.sign.SignatureValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerAdaptersTest {
    @TempDir
    Path dir;

    @Test
    void the_signer_port_signs_with_the_key_and_verifies_only_its_own_signatures() {
        SigningKeySigner signer = new SigningKeySigner(SigningKey.generate());
        SigningKeySigner other = new SigningKeySigner(SigningKey.generate());
        byte[] message = "{\"seq\":1}".getBytes(StandardCharsets.UTF_8);

        SignatureValue signature = signer.sign(message);

        assertThat(signature.alg()).isEqualTo("Ed25519");
        assertThat(signature.keyId()).isEqualTo(signer.keyId()).matches("ed25519:[0-9a-f]{16}");
        assertThat(signer.verify(message, signature)).isTrue();
        assertThat(signer.verify("{\"seq\":2}".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(other.verify(message, signature)).isFalse();
    }

    @Test
    void a_sealed_secret_opens_for_its_tenant_only() {
        MasterKeySecretSealer sealer =
                new MasterKeySecretSealer(FileMasterKey.loadOrCreate(dir.resolve("master.json")));
        byte[] sealed = sealer.seal(TenantId.of("acme-corp"), "s3cret-password".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(sealer.open(TenantId.of("acme-corp"), sealed), StandardCharsets.UTF_8))
                .isEqualTo("s3cret-password");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret-password");
        assertThatThrownBy(() -> sealer.open(TenantId.of("globex"), sealed))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
    }
}
