package io.frostbyte.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Uuid7Test {
    @Test
    void carries_version_7_the_rfc_variant_and_the_clock_millis() {
        Instant now = Instant.parse("2026-03-02T10:15:30.123Z");
        UUID id = new Uuid7(Clock.fixed(now, ZoneOffset.UTC)).next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
        assertThat(Uuid7.isUuid7(id.toString())).isTrue();
        assertThat(Uuid7.isUuid7(UUID.randomUUID().toString())).isFalse();
    }

    @Test
    void ids_from_one_generator_sort_in_creation_order_within_one_millisecond() {
        Uuid7 generator = new Uuid7(Clock.fixed(Instant.parse("2026-03-02T10:15:30Z"), ZoneOffset.UTC));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(generator.next().toString());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }
}
