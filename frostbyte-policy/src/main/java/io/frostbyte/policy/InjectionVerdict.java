package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Score, action and category names of one chunk; never the matched text (POL-15). */
public record InjectionVerdict(double score, InjectionAction action, Set<InjectionCategory> categories) {
    public InjectionVerdict {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        }
        requireNonNull(action, "action is null");
        EnumSet<InjectionCategory> copy = EnumSet.noneOf(InjectionCategory.class);
        copy.addAll(requireNonNull(categories, "categories is null"));
        categories = Collections.unmodifiableSet(copy);
    }

    /** {@code injection_patterns_matched}: category names in enum order. */
    public List<String> patternsMatched() {
        return categories.stream().map(InjectionCategory::wireName).toList();
    }
}
