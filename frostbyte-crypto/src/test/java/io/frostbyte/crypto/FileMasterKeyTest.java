package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMasterKeyTest {
    private static final byte[] AD = "frostbyte-kek|acme-corp".getBytes(UTF_8);

    @TempDir
    Path directory;

    @Test
    void first_start_creates_a_0600_file_holding_one_aes256_gcm_key() throws Exception {
        Path file = directory.resolve("keys/master.key");

        FileMasterKey master = FileMasterKey.loadOrCreate(file);

        assertThat(master.path()).isEqualTo(file.toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        KeysetHandle stored = TinkJsonProtoKeysetFormat.parseKeyset(
                Files.readString(file), TinkSupport.configuration(), InsecureSecretKeyAccess.get());
        assertThat(stored.size()).isEqualTo(1);
        assertThat(stored.getPrimary().getKey().getParameters()).isEqualTo(PredefinedAeadParameters.AES256_GCM);
        assertThat(((AesGcmParameters) stored.getPrimary().getKey().getParameters()).getKeySizeBytes())
                .isEqualTo(32);
    }

    @Test
    void a_restart_loads_the_same_key() throws Exception {
        Path file = directory.resolve("master.key");
        byte[] ciphertext = FileMasterKey.loadOrCreate(file).aead().encrypt("tenant keyset".getBytes(UTF_8), AD);
        String before = Files.readString(file);

        FileMasterKey restarted = FileMasterKey.loadOrCreate(file);

        assertThat(restarted.aead().decrypt(ciphertext, AD)).isEqualTo("tenant keyset".getBytes(UTF_8));
        assertThat(FileMasterKey.load(file).aead().decrypt(ciphertext, AD)).isEqualTo("tenant keyset".getBytes(UTF_8));
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void two_key_files_are_two_different_keys() throws Exception {
        byte[] ciphertext =
                FileMasterKey.loadOrCreate(directory.resolve("a.key")).aead().encrypt(new byte[] {7}, AD);

        FileMasterKey other = FileMasterKey.loadOrCreate(directory.resolve("b.key"));

        assertThatThrownBy(() -> other.aead().decrypt(ciphertext, AD)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void refuses_a_key_file_readable_by_group_or_others() throws Exception {
        Path file = directory.resolve("master.key");
        FileMasterKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> FileMasterKey.loadOrCreate(file))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains(file.toAbsolutePath().toString());
                });
    }

    @Test
    void refuses_an_unparsable_key_file_without_quoting_it() throws Exception {
        Path file = directory.resolve("master.key");
        SecretFiles.write(file, "{\"primaryKeyId\": 1, \"key\": [ not-json-SECRETBYTES".getBytes(UTF_8));

        assertThatThrownBy(() -> FileMasterKey.loadOrCreate(file))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains(file.toAbsolutePath().toString());
                    assertThat(e.getMessage()).doesNotContain("SECRETBYTES");
                    assertThat(e.getCause()).isNull();
                });
        assertThat(Files.readString(file)).endsWith("SECRETBYTES");
    }

    @Test
    void refuses_a_keyset_that_is_not_aes256_gcm() throws Exception {
        Path file = directory.resolve("master.key");
        for (var parameters : new com.google.crypto.tink.Parameters[] {
            PredefinedAeadParameters.AES128_GCM, PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB
        }) {
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(
                    TinkSupport.generate(parameters), TinkSupport.configuration(), InsecureSecretKeyAccess.get());
            SecretFiles.write(file, json.getBytes(UTF_8));

            assertThatThrownBy(() -> FileMasterKey.load(file)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                assertThat(e.getMessage()).contains(file.toAbsolutePath().toString());
            });
        }
    }

    @Test
    void load_without_create_refuses_a_missing_file_and_creates_nothing() {
        Path file = directory.resolve("master.key");

        assertThatThrownBy(() -> FileMasterKey.load(file)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).contains(file.toAbsolutePath().toString());
        });
        assertThat(file).doesNotExist();
    }

    @Test
    void id_and_to_string_name_the_file_and_nothing_else() throws Exception {
        Path file = directory.resolve("master.key");
        FileMasterKey master = FileMasterKey.loadOrCreate(file);

        assertThat(master.id()).isEqualTo("file:" + file.toAbsolutePath());
        assertThat(master.toString()).isEqualTo("FileMasterKey[" + file.toAbsolutePath() + "]");
    }
}
