package io.frostbyte.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import org.junit.jupiter.api.Test;

class VectorsTest {
    @Test
    void accepts_a_vector_of_the_expected_dimension() {
        Vectors.requireUsable(new float[] {0.6f, 0.8f}, 2);
    }

    @Test
    void reports_a_dimension_mismatch_with_both_dimensions() {
        assertThatThrownBy(() -> Vectors.requireUsable(new float[] {1, 0, 0}, 2))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH);
                    assertThat(e.getMessage()).isEqualTo("vector has dimension 3, expected 2");
                    assertThat(e.code().retriable()).isFalse();
                });
    }

    @Test
    void treats_zero_and_non_finite_vectors_as_dimension_failures() {
        for (float[] bad : new float[][] {{0, 0}, {Float.NaN, 1}, {Float.POSITIVE_INFINITY, 0}}) {
            assertThatThrownBy(() -> Vectors.requireUsable(bad, 2))
                    .isInstanceOfSatisfying(
                            FrostbyteException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));
        }
    }

    @Test
    void normalizes_to_unit_length_without_changing_direction() {
        float[] unit = Vectors.l2Normalized(new float[] {3, 4});

        assertThat(unit).containsExactly(0.6f, 0.8f);
        assertThat(Vectors.cosine(unit, new float[] {3, 4})).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void hashes_little_endian_float32_bytes() {
        // 1.0f is 00 00 80 3f little-endian; sha256 of those four bytes
        assertThat(Vectors.sha256Hex(new float[] {1.0f})).isEqualTo(sha256(new byte[] {0, 0, (byte) 0x80, 0x3f}));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
