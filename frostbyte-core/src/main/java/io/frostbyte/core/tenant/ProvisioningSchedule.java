package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How often and how far apart a provisioning step is attempted (spec/07 §7.2: 3 attempts, 5 s and 15 s apart).
 * Immutable.
 *
 * @param delays the pauses before the 2nd, 3rd, ... attempt; the number of attempts is {@code delays.size() + 1}
 * @param pause how to wait; tests pass one that returns at once
 */
public record ProvisioningSchedule(List<Duration> delays, Pause pause) {
    /** Waits; interruptible. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    public ProvisioningSchedule {
        delays = List.copyOf(requireNonNull(delays, "delays is null"));
        delays.forEach(d -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("delays must not be negative: " + d);
            }
        });
        requireNonNull(pause, "pause is null");
    }

    /** 3 attempts, 5 s then 15 s apart, with {@link Thread#sleep(Duration)}. */
    public static ProvisioningSchedule standard() {
        return new ProvisioningSchedule(List.of(Duration.ofSeconds(5), Duration.ofSeconds(15)), Thread::sleep);
    }

    public int maxAttempts() {
        return delays.size() + 1;
    }
}
