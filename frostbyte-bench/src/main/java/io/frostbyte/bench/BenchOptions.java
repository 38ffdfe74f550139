package io.frostbyte.bench;

import java.nio.file.Path;

/**
 * What the runner hands every suite.
 *
 * @param scale multiplies the suite's default work size (1 = default)
 * @param workDir a scratch directory the suite may use
 */
public record BenchOptions(double scale, Path workDir) {
    public BenchOptions {
        if (!(scale > 0) || scale > 1000) {
            throw new IllegalArgumentException("scale must be in (0, 1000]: " + scale);
        }
    }

    public int scaled(int base) {
        return Math.max(1, (int) Math.round(base * scale));
    }
}
