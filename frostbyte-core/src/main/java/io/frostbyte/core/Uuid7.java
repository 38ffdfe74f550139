package io.frostbyte.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by creation time. Ids from one
 * generator are strictly increasing even within one millisecond (a 12-bit counter in {@code rand_a}).
 */
public final class Uuid7 {
    private static final Uuid7 DEFAULT = new Uuid7(Clock.systemUTC());

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private long lastMillis = -1;
    private int counter;

    public Uuid7(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock is null");
    }

    /** A new UUIDv7 from the system clock. */
    public static UUID random() {
        return DEFAULT.next();
    }

    public static String randomString() {
        return random().toString();
    }

    public UUID next() {
        long millis;
        int sequence;
        lock.lock();
        try {
            millis = Math.max(clock.millis(), lastMillis);
            if (millis == lastMillis) {
                counter++;
                if (counter > 0xFFF) {
                    millis++;
                    counter = 0;
                }
            } else {
                counter = random.nextInt(0x800);
            }
            lastMillis = millis;
            sequence = counter;
        } finally {
            lock.unlock();
        }
        long msb = (millis << 16) | (0x7L << 12) | sequence;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Whether the text is a UUID of version 7. */
    public static boolean isUuid7(String text) {
        try {
            return UUID.fromString(text).version() == 7 && text.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
