package io.frostbyte.server.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * A gauge value read at most once per interval, whatever the scrape rate: for values that cost a network round trip
 * (clamd's {@code VERSION}). Thread-safe.
 */
public final class CachedGauge implements DoubleSupplier {
    private final long intervalNanos;
    private final DoubleSupplier source;
    private double value = Double.NaN;
    private long readNanos;
    private boolean read;

    public CachedGauge(Duration interval, DoubleSupplier source) {
        this.intervalNanos = requireNonNull(interval, "interval is null").toNanos();
        this.source = requireNonNull(source, "source is null");
    }

    @Override
    public synchronized double getAsDouble() {
        long now = System.nanoTime();
        if (!read || now - readNanos >= intervalNanos) {
            value = source.getAsDouble();
            readNanos = now;
            read = true;
        }
        return value;
    }
}
