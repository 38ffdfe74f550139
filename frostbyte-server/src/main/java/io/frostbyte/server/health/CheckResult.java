package io.frostbyte.server.health;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** The result of one health check: {@code up}, {@code down} or {@code skipped}, with latency and a content-free detail. */
public record CheckResult(String status, Optional<Long> latencyMs, Optional<String> detail) {
    public CheckResult {
        requireNonNull(status, "status is null");
        if (!status.equals("up") && !status.equals("down") && !status.equals("skipped")) {
            throw new IllegalArgumentException("status must be up, down or skipped: " + status);
        }
        requireNonNull(latencyMs, "latencyMs is null");
        requireNonNull(detail, "detail is null");
    }

    public static CheckResult up(long latencyMs) {
        return new CheckResult("up", Optional.of(latencyMs), Optional.empty());
    }

    public static CheckResult up(long latencyMs, String detail) {
        return new CheckResult("up", Optional.of(latencyMs), Optional.of(detail));
    }

    public static CheckResult down(String detail) {
        return new CheckResult("down", Optional.empty(), Optional.of(detail));
    }

    public static CheckResult skipped(String detail) {
        return new CheckResult("skipped", Optional.empty(), Optional.of(detail));
    }
}
