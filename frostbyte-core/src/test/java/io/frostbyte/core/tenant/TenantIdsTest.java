package io.frostbyte.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdsTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Acme Corp|acme-corp",
                "  Acme   Corp.  |acme-corp",
                "GLOBEX -- Holdings, Inc.|globex-holdings-inc",
                "Müller & Söhne GmbH|m-ller-s-hne-gmbh",
                "The Very Long Company Name That Goes On And On|the-very-long-company-name-that",
                "abcdefghijklmnopqrstuvwxyz01234-6789|abcdefghijklmnopqrstuvwxyz01234"
            })
    void derives_the_id_from_the_tenant_name(String name, String id) {
        assertThat(TenantIds.derive(name)).isEqualTo(TenantId.of(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3M Company", "!!", "Q", "日本"})
    void a_name_that_gives_no_valid_id_is_a_validation_error(String name) {
        assertThatThrownBy(() -> TenantIds.derive(name)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details().getFirst().field()).isEqualTo("tenant_id");
        });
    }
}
