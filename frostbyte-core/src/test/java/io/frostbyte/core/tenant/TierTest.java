package io.frostbyte.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import org.junit.jupiter.api.Test;

class TierTest {
    @Test
    void tiers_have_their_wire_names_and_multipliers() {
        assertThat(Tier.values()).extracting(Tier::wire).containsExactly("standard", "premium", "enterprise");
        assertThat(Tier.values()).extracting(Tier::multiplier).containsExactly(1, 2, 5);
        assertThat(Tier.fromWire("premium")).isEqualTo(Tier.PREMIUM);
    }

    @Test
    void an_unknown_tier_is_a_validation_error_on_the_tier_field() {
        assertThatThrownBy(() -> Tier.fromWire("PREMIUM")).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details().getFirst().field()).isEqualTo("tier");
        });
    }
}
