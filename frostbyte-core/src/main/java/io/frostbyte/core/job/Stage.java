package io.frostbyte.core.job;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** A job stage and its retry schedule (spec/09 §9.1): the backoffs after the first attempt, in order. */
public enum Stage {
    PARSE(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300))),
    POLICY(List.of(Duration.ofSeconds(30), Duration.ofSeconds(30))),
    EMBED(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300))),
    INDEX(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300))),
    EXPORT(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60))),
    REWRAP(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300))),
    REBUILD(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300))),
    DELETE(List.of(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300)));

    private final List<Duration> backoffs;

    Stage(List<Duration> backoffs) {
        this.backoffs = List.copyOf(backoffs);
    }

    /** Delays before each retry; the number of retries is its size. */
    public List<Duration> backoffs() {
        return backoffs;
    }

    public int maxAttempts() {
        return backoffs.size() + 1;
    }

    /** Whether jobs of this stage wait while the tenant's embedding is halted (spec/04 EMB-2). */
    public boolean haltedWithEmbedding() {
        return this == EMBED || this == INDEX;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Stage fromWire(String text) {
        return Stage.valueOf(text.toUpperCase(Locale.ROOT));
    }
}
