package io.frostbyte.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScanResultTest {
    @Test
    void only_clean_is_clean_and_reasons_have_snake_case_wire_names() {
        ScanResult infected = ScanResult.infected("Frostbyte.Test.EICAR.UNOFFICIAL");
        ScanResult notScanned = ScanResult.notScanned(ScanResult.Reason.TOO_LARGE, "INSTREAM size limit exceeded");

        assertThat(describe(ScanResult.CLEAN)).isEqualTo("clean");
        assertThat(describe(infected)).isEqualTo("infected Frostbyte.Test.EICAR.UNOFFICIAL");
        assertThat(describe(notScanned)).isEqualTo("not scanned too_large");
        assertThat(ScanResult.Reason.CONNECTION.wireName()).isEqualTo("connection");
        assertThat(ScanResult.Reason.TIMEOUT.wireName()).isEqualTo("timeout");
        assertThat(ScanResult.Reason.ERROR.wireName()).isEqualTo("error");
    }

    @Test
    void an_infection_needs_a_signature_name() {
        assertThatThrownBy(() -> ScanResult.infected(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String describe(ScanResult result) {
        return switch (result) {
            case ScanResult.Clean clean -> "clean";
            case ScanResult.Infected infected -> "infected " + infected.signature();
            case ScanResult.NotScanned notScanned ->
                "not scanned " + notScanned.reason().wireName();
        };
    }
}
