package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

/**
 * One event of a batch's stream (spec/01 §1.9): gap-free {@code id} per batch, {@code type} {@code stage}, {@code
 * batch} or {@code end}, and {@code data} as JSON holding ids, states and codes only.
 */
public record BatchEvent(long id, String type, String data) {
    public BatchEvent {
        requireNonNull(type, "type is null");
        requireNonNull(data, "data is null");
        if (id < 1) {
            throw new IllegalArgumentException("event ids start at 1: " + id);
        }
    }
}
