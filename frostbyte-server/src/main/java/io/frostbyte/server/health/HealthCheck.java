package io.frostbyte.server.health;

/** One dependency checked by {@code GET /health} (spec/09 §9.5). Implementations must be thread-safe. */
public interface HealthCheck {
    /** The check's name in the response: {@code postgres}, {@code object_store}, {@code malware_scanner}... */
    String name();

    /** Whether a failure makes the node {@code down} (503) rather than {@code degraded}. */
    boolean critical();

    /** Runs the check; may block, the caller enforces the time limit. A thrown exception counts as down. */
    CheckResult check() throws Exception;
}
