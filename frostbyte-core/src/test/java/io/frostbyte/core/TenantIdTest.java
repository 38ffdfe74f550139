package io.frostbyte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"acme-corp", "ab1", "a-b-c", "x0123456789012345678901234567890"})
    void accepts_ids_of_the_documented_form(String value) {
        assertThat(TenantId.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "ab",
                "Acme",
                "1abc",
                "abc-",
                "a--b",
                "acme_corp",
                "../etc",
                "acme corp",
                "x01234567890123456789012345678901"
            })
    void rejects_ids_outside_the_documented_form(String value) {
        assertThatThrownBy(() -> TenantId.of(value))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }

    @Test
    void maps_dashes_to_underscores_for_sql_names_and_keeps_platform_apart() {
        assertThat(TenantId.of("acme-corp").sqlName()).isEqualTo("acme_corp");
        assertThat(TenantId.PLATFORM.isPlatform()).isTrue();
        assertThat(TenantId.of("_platform")).isEqualTo(TenantId.PLATFORM);
    }
}
