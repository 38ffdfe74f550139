package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of dead letters, oldest first.
 *
 * @param page 1-based
 * @param total how many entries match the filter on all pages
 */
public record DeadLetterPage(List<DeadLetter> entries, int page, int limit, long total) {
    public DeadLetterPage {
        entries = List.copyOf(requireNonNull(entries, "entries is null"));
    }
}
