package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The injection scorer's regular expressions, one alternation per category, each alternative with its <em>anchors</em>:
 * literals one of which every match of the alternative contains. One pass of a {@link LiteralAutomaton} over a text
 * tells which anchors occur; an alternative none of whose anchors occurs cannot match anywhere in that text, so the
 * category is scanned with an alternation of its remaining alternatives only, or not at all.
 *
 * <p>Why this gives exactly the matches of the full alternation: at each start position {@code find} takes the first
 * alternative, in order, that matches there, and resumes after the match. An alternative that matches at no position
 * never takes part, so removing it (and keeping the others in order) changes neither a match nor where the next search
 * starts. The anchors are checked against the corpus by {@code GatePrefiltersTest}.
 *
 * <p>Anchors are written in the matching form (lower case); a space in an anchor stands for one whitespace character,
 * which is what {@code \s+} matches in {@link InjectionNormalizer}'s output (it collapses whitespace runs). So anchors
 * are only valid for normalized text.
 *
 * <p>Thread-safe: the alternations compiled for a subset of alternatives are cached (a bounded number per category;
 * past that the full alternation is used, which matches the same).
 */
final class AnchoredPatterns {
    private static final int MAX_CACHED_SUBSETS = 256;

    /** One alternative of a category's alternation and the literals one of which each of its matches contains. */
    record Alternative(String regex, List<String> anchors) {
        Alternative {
            requireNonNull(regex, "regex is null");
            anchors = List.copyOf(anchors);
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("an alternative needs at least one anchor: " + regex);
            }
        }
    }

    /** Which anchors occur in one normalized text. */
    record Present(BitSet anchors) {}

    private final Map<InjectionCategory, Alternation> alternations = new EnumMap<>(InjectionCategory.class);
    private final LiteralAutomaton automaton;

    AnchoredPatterns(Map<InjectionCategory, List<Alternative>> table) {
        Map<String, Integer> anchorIds = new LinkedHashMap<>();
        table.forEach((category, alternatives) -> {
            int[][] ids = new int[alternatives.size()][];
            for (int a = 0; a < alternatives.size(); a++) {
                List<String> anchors = alternatives.get(a).anchors();
                ids[a] = new int[anchors.size()];
                for (int i = 0; i < anchors.size(); i++) {
                    ids[a][i] = anchorIds.computeIfAbsent(anchors.get(i), anchor -> anchorIds.size());
                }
            }
            alternations.put(category, new Alternation(alternatives, ids));
        });
        this.automaton = new LiteralAutomaton(List.copyOf(anchorIds.keySet()));
    }

    Set<InjectionCategory> categories() {
        return alternations.keySet();
    }

    List<Alternative> alternatives(InjectionCategory category) {
        return alternations.get(category).alternatives;
    }

    /** The alternation of all of a category's alternatives (for text that was not scanned for anchors). */
    Pattern full(InjectionCategory category) {
        return alternations.get(category).full;
    }

    /** One pass over {@code normalizedText}. */
    Present scan(String normalizedText) {
        return new Present(automaton.find(normalizedText));
    }

    /**
     * The alternation of the category's alternatives that can match the scanned text, in their order; null when none
     * can.
     */
    Pattern patternFor(InjectionCategory category, Present present) {
        return alternations.get(category).select(present.anchors());
    }

    /** Joins regular expressions into one alternation: one pass over the text instead of one per expression. */
    static Pattern alternation(List<String> regexes) {
        StringBuilder combined = new StringBuilder();
        for (String regex : regexes) {
            if (!combined.isEmpty()) {
                combined.append('|');
            }
            combined.append(regex.startsWith("(?m)") ? "(?m:" + regex.substring(4) : "(?:" + regex)
                    .append(')');
        }
        return Pattern.compile(combined.toString());
    }

    private static final class Alternation {
        private final List<Alternative> alternatives;
        private final List<String> regexes;
        private final int[][] anchorIds;
        private final long all;
        private final Pattern full;
        private final Map<Long, Pattern> subsets = new ConcurrentHashMap<>();

        Alternation(List<Alternative> alternatives, int[][] anchorIds) {
            if (alternatives.isEmpty() || alternatives.size() > Long.SIZE) {
                throw new IllegalArgumentException("1 to 64 alternatives per category: " + alternatives.size());
            }
            this.alternatives = List.copyOf(alternatives);
            this.regexes = alternatives.stream().map(Alternative::regex).toList();
            this.anchorIds = anchorIds;
            this.all = alternatives.size() == Long.SIZE ? -1L : (1L << alternatives.size()) - 1;
            this.full = alternation(regexes);
        }

        Pattern select(BitSet present) {
            long live = 0;
            for (int a = 0; a < anchorIds.length; a++) {
                for (int id : anchorIds[a]) {
                    if (present.get(id)) {
                        live |= 1L << a;
                        break;
                    }
                }
            }
            if (live == 0) {
                return null;
            }
            if (live == all) {
                return full;
            }
            Pattern cached = subsets.get(live);
            if (cached != null) {
                return cached;
            }
            if (subsets.size() >= MAX_CACHED_SUBSETS) {
                return full;
            }
            List<String> kept = new ArrayList<>();
            for (int a = 0; a < regexes.size(); a++) {
                if ((live & (1L << a)) != 0) {
                    kept.add(regexes.get(a));
                }
            }
            Pattern subset = alternation(kept);
            subsets.putIfAbsent(live, subset);
            return subset;
        }
    }
}
