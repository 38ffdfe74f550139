package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A score in a retrieval proof: a decimal in [0, 1] with at most {@value #DECIMALS} decimal places (spec/05 §5.3,
 * "scores are rounded to 6 decimals"). Held as an exact decimal, so the proof's canonical JSON never depends on how a
 * binary double prints. In JSON it is a number whose RFC 8785 form is the plain decimal without trailing zeros
 * ({@code 0.032787}, {@code 0}, {@code 1}, {@code 0.000001}): every value of this domain lies where ECMAScript's
 * {@code Number#toString} uses no exponent, so any JCS implementation writes the same bytes.
 *
 * @param value the exact score, scale normalized (no trailing zeros)
 */
public record ProofScore(BigDecimal value) implements Comparable<ProofScore> {
    /** Decimal places kept. */
    public static final int DECIMALS = 6;

    public ProofScore {
        requireNonNull(value, "value is null");
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("a proof score lies in [0, 1]: " + value.toPlainString());
        }
        value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (value.scale() > DECIMALS) {
            throw new IllegalArgumentException(
                    "a proof score has at most " + DECIMALS + " decimal places: " + value.toPlainString());
        }
    }

    /** {@code score} rounded half-up to {@value #DECIMALS} places. */
    public static ProofScore rounded(double score) {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("a proof score is finite: " + score);
        }
        return new ProofScore(BigDecimal.valueOf(score).setScale(DECIMALS, RoundingMode.HALF_UP));
    }

    /** The exact decimal as written in JSON, e.g. {@code 0.032787}. */
    public String text() {
        return value.toPlainString();
    }

    /**
     * The nearest double, for the canonical writer: its shortest representation is this decimal, so writing it back
     * gives {@link #text()} again.
     */
    public double asDouble() {
        return value.doubleValue();
    }

    @Override
    public int compareTo(ProofScore other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return text();
    }
}
