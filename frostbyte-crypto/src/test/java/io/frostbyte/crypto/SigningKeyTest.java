package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigningKeyTest {
    // RFC 8032 §7.1, TEST 1
    private static final byte[] RFC_SECRET =
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final byte[] RFC_PUBLIC =
            HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] RFC_SIGNATURE = HexFormat.of()
            .parseHex(
                    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    private static final byte[] CHECKPOINT =
            "{\"event_hash\":\"6d6f0561\",\"seq\":48211,\"tenant_id\":\"oldco\",\"time\":\"2026-03-02T09:04:12.530Z\"}"
                    .getBytes(UTF_8);

    @TempDir
    Path directory;

    @Test
    void signs_the_rfc_8032_test_vector_from_a_jwk_file() throws Exception {
        Path file = directory.resolve("signing.jwk");
        SecretFiles.write(file, jwk(RFC_SECRET, RFC_PUBLIC).getBytes(UTF_8));

        SigningKey key = SigningKey.load(file);
        Signature signature = key.sign(new byte[0]);

        assertThat(key.publicKeyBase64()).isEqualTo(Base64.getEncoder().encodeToString(RFC_PUBLIC));
        assertThat(signature.alg()).isEqualTo("Ed25519");
        assertThat(signature.value()).isEqualTo(Base64.getEncoder().encodeToString(RFC_SIGNATURE));
        String expectedKeyId = "ed25519:"
                + HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(RFC_PUBLIC))
                        .substring(0, 16);
        assertThat(key.keyId()).isEqualTo(expectedKeyId).isEqualTo(signature.keyId());
    }

    @Test
    void a_signature_verifies_with_the_public_key_alone() {
        SigningKey key = SigningKey.generate();

        Signature signature = key.sign(CHECKPOINT);

        assertThat(signature.keyId()).matches("ed25519:[0-9a-f]{16}").isEqualTo(key.keyId());
        assertThat(Base64.getDecoder().decode(signature.value())).hasSize(64);
        assertThat(SigningKey.verify(key.publicKeyBase64(), CHECKPOINT, signature.value()))
                .isTrue();
        SignatureVerifier verifier = SignatureVerifier.fromPublicKeyBase64(key.publicKeyBase64());
        assertThat(verifier.keyId()).isEqualTo(key.keyId());
        assertThat(verifier.verify(CHECKPOINT, signature)).isTrue();
    }

    @Test
    void a_changed_message_fails_verification() {
        SigningKey key = SigningKey.generate();
        Signature signature = key.sign(CHECKPOINT);
        byte[] changed = CHECKPOINT.clone();
        changed[changed.length - 3] ^= 0x01;

        assertThat(SigningKey.verify(key.publicKeyBase64(), changed, signature.value()))
                .isFalse();
        assertThat(key.verifier().verify(changed, signature)).isFalse();
    }

    @Test
    void another_key_fails_verification() {
        SigningKey key = SigningKey.generate();
        SigningKey other = SigningKey.generate();
        Signature signature = key.sign(CHECKPOINT);

        assertThat(other.keyId()).isNotEqualTo(key.keyId());
        assertThat(SigningKey.verify(other.publicKeyBase64(), CHECKPOINT, signature.value()))
                .isFalse();
        assertThat(other.verifier().verify(CHECKPOINT, signature)).isFalse();
    }

    @Test
    void a_changed_or_malformed_signature_value_fails_verification() {
        SigningKey key = SigningKey.generate();
        byte[] raw = Base64.getDecoder().decode(key.sign(CHECKPOINT).value());
        raw[10] ^= 0x01;

        assertThat(key.verifier().verify(CHECKPOINT, Base64.getEncoder().encodeToString(raw)))
                .isFalse();
        assertThat(key.verifier().verify(CHECKPOINT, "not base64 !")).isFalse();
        assertThat(key.verifier().verify(CHECKPOINT, "AAAA")).isFalse();
    }

    @Test
    void a_signature_naming_another_key_id_fails_verification() {
        SigningKey key = SigningKey.generate();
        Signature signature = key.sign(CHECKPOINT);

        assertThat(key.verifier()
                        .verify(CHECKPOINT, new Signature("Ed25519", "ed25519:0000000000000000", signature.value())))
                .isFalse();
    }

    @Test
    void first_start_creates_a_0600_okp_jwk_file_and_the_key_id_is_stable_across_reloads() throws Exception {
        Path file = directory.resolve("keys/signing.jwk");

        SigningKey created = SigningKey.loadOrCreate(file);
        SigningKey reloaded = SigningKey.loadOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        JsonObject jwk = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertThat(jwk.keySet()).containsExactly("kty", "crv", "d", "x");
        assertThat(jwk.get("kty").getAsString()).isEqualTo("OKP");
        assertThat(jwk.get("crv").getAsString()).isEqualTo("Ed25519");
        assertThat(Base64.getUrlDecoder().decode(jwk.get("d").getAsString())).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(jwk.get("x").getAsString()))
                .isEqualTo(Base64.getDecoder().decode(created.publicKeyBase64()));
        assertThat(reloaded.keyId()).isEqualTo(created.keyId());
        assertThat(reloaded.verifier().verify(CHECKPOINT, created.sign(CHECKPOINT)))
                .isTrue();
    }

    @Test
    void the_public_jwk_has_no_private_part() {
        SigningKey key = SigningKey.generate();

        JsonObject jwk = JsonParser.parseString(key.publicJwk()).getAsJsonObject();

        assertThat(jwk.keySet()).containsExactly("kty", "crv", "x");
        assertThat(Base64.getUrlDecoder().decode(jwk.get("x").getAsString()))
                .isEqualTo(Base64.getDecoder().decode(key.publicKeyBase64()));
        assertThat(key.toString()).isEqualTo("SigningKey[" + key.keyId() + "]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"%D%\"",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"%D%\",\"x\":\"%X%\"} trailing",
                "{\"kty\":\"EC\",\"crv\":\"Ed25519\",\"d\":\"%D%\",\"x\":\"%X%\"}",
                "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"d\":\"%D%\",\"x\":\"%X%\"}",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%X%\"}",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"%D%\"}",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"%D%\",\"x\":\"%OTHER%\"}",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"AAEC\",\"x\":\"%X%\"}",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"%D%!\",\"x\":\"%X%\"}",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"%D%\",\"d\":\"%D%\",\"x\":\"%X%\"}",
                "[\"%D%\"]"
            })
    void a_corrupt_key_file_fails_with_config_invalid_naming_the_path(String template) throws Exception {
        Path file = directory.resolve("signing.jwk");
        String d = Base64.getUrlEncoder().withoutPadding().encodeToString(RFC_SECRET);
        String content = template.replace("%D%", d)
                .replace("%X%", Base64.getUrlEncoder().withoutPadding().encodeToString(RFC_PUBLIC))
                .replace("%OTHER%", SigningKey.generate().publicJwk().replaceAll(".*\"x\":\"([^\"]+)\".*", "$1"));
        SecretFiles.write(file, content.getBytes(UTF_8));

        assertThatThrownBy(() -> SigningKey.loadOrCreate(file)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).contains(file.toAbsolutePath().toString());
            assertThat(e.getMessage()).doesNotContain(d);
        });
        assertThat(Files.readString(file)).isEqualTo(content);
    }

    @Test
    void a_key_file_readable_by_others_fails_with_config_invalid() throws Exception {
        Path file = directory.resolve("signing.jwk");
        SigningKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SigningKey.loadOrCreate(file)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).contains(file.toAbsolutePath().toString());
        });
    }

    @Test
    void a_jwk_with_extra_members_such_as_nimbus_writes_loads() throws Exception {
        Path file = directory.resolve("signing.jwk");
        String content = "{\"kty\":\"OKP\",\"d\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(RFC_SECRET)
                + "\",\"use\":\"sig\",\"crv\":\"Ed25519\",\"kid\":\"k1\",\"key_ops\":[\"sign\"],\"x\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(RFC_PUBLIC) + "\"}";
        SecretFiles.write(file, content.getBytes(UTF_8));

        assertThat(SigningKey.load(file).publicKeyBase64())
                .isEqualTo(Base64.getEncoder().encodeToString(RFC_PUBLIC));
    }

    @Test
    void a_public_key_of_the_wrong_size_is_refused() {
        assertThatThrownBy(() -> SignatureVerifier.fromPublicKeyBase64("AAAA"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.verify("not base64 !", CHECKPOINT, "AAAA"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_signature_record_refuses_another_algorithm_or_a_malformed_key_id_or_value() {
        String value = SigningKey.generate().sign(CHECKPOINT).value();

        assertThatThrownBy(() -> new Signature("RS256", "ed25519:0123456789abcdef", value))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Signature("Ed25519", "ed25519:0123", value))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Signature("Ed25519", "ed25519:0123456789abcdef", "AAAA"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String jwk(byte[] d, byte[] x) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" + encoder.encodeToString(d) + "\",\"x\":\""
                + encoder.encodeToString(x) + "\"}";
    }
}
