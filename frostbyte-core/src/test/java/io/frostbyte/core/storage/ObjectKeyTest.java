package io.frostbyte.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeyTest {
    private static final String SHA = "470c315a04a9db7d9f322567a9782164433432df8f30a07298ed7ebb7dfea0cb";

    @Test
    void the_factories_build_every_key_shape_of_spec_07() {
        assertThat(ObjectKey.raw("f-0001", SHA).value()).isEqualTo("raw/f-0001/" + SHA);
        assertThat(ObjectKey.quarantine("f-0001", SHA).value()).isEqualTo("quarantine/f-0001/" + SHA);
        assertThat(ObjectKey.staging("batch_2026-03-02_001", 7).value()).isEqualTo("staging/batch_2026-03-02_001/7");
        assertThat(ObjectKey.normalized("doc_a35d2ab2b1167f7efbec662e").value())
                .isEqualTo("normalized/doc_a35d2ab2b1167f7efbec662e/structured.json");
        assertThat(ObjectKey.redactions("doc_a35d2ab2b1167f7efbec662e").value())
                .isEqualTo("redactions/doc_a35d2ab2b1167f7efbec662e.json");
        assertThat(ObjectKey.export("exp-42").value()).isEqualTo("exports/exp-42.tar.gz");
        assertThat(ObjectKey.raw("invoice-0001.pdf", SHA).area()).isEqualTo("raw");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "raw",
                "raw/f-1",
                "raw/f-1/" + "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
                "raw/../" + SHA,
                "raw/..//" + SHA,
                "raw/./" + SHA,
                "/raw/f-1/" + SHA,
                "raw/f-1/" + SHA + "/",
                "raw\\f-1\\" + SHA,
                "raw/f\u00001/" + SHA,
                "raw/f 1/" + SHA,
                "raw/f..1/" + SHA,
                "raw/.hidden/" + SHA,
                "secrets/f-1/" + SHA,
                "staging/b/01",
                "staging/b/-1",
                "normalized/doc/other.json",
                "redactions/doc.json.exe",
                "exports/e.zip",
                "RAW/f-1/" + SHA
            })
    void rejects_keys_outside_the_grammar_and_path_tricks(String value) {
        assertThatThrownBy(() -> ObjectKey.of(value))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThat(ObjectKey.isValid(value)).isFalse();
    }

    @Test
    void rejects_an_overlong_id_and_a_null_key() {
        String longId = "a".repeat(129);

        assertThatThrownBy(() -> ObjectKey.raw(longId, SHA)).isInstanceOf(FrostbyteException.class);
        assertThat(ObjectKey.isValid("raw/" + "a".repeat(128) + "/" + SHA)).isTrue();
        assertThatThrownBy(() -> ObjectKey.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void the_error_names_the_bad_key_without_control_characters() {
        assertThatThrownBy(() -> ObjectKey.of("raw/\u0000/x")).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("invalid object key 'raw/?/x'");
            assertThat(e.details())
                    .singleElement()
                    .satisfies(d -> assertThat(d.field()).isEqualTo("object_key"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "raw/", "raw/f-1", "staging/batch-7/", "normalized/doc_1/structured.json"})
    void accepts_listing_prefixes_that_start_a_key(String prefix) {
        assertThat(ObjectKey.requireValidPrefix(prefix)).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/raw", "../", "raw/../", "raw//", "raw\\", "raw/\u0000", "raw/.x", ".."})
    void rejects_listing_prefixes_with_path_tricks(String prefix) {
        assertThatThrownBy(() -> ObjectKey.requireValidPrefix(prefix))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }
}
