package io.frostbyte.bench;

import static java.util.Objects.requireNonNull;

/**
 * One measured figure next to its baseline, both measured in the same run on the same machine, so the ratio is what
 * to compare across noisy machines.
 *
 * @param higherIsBetter true for rates, false for latencies
 */
public record Figure(
        String suite,
        String name,
        String unit,
        double value,
        String baseline,
        double baselineValue,
        boolean higherIsBetter) {
    public Figure {
        requireNonNull(suite, "suite is null");
        requireNonNull(name, "name is null");
        requireNonNull(unit, "unit is null");
        requireNonNull(baseline, "baseline is null");
    }

    /** value / baseline for rates (1.0 = as fast as the baseline). */
    public double ratio() {
        return baselineValue == 0 ? Double.NaN : value / baselineValue;
    }
}
