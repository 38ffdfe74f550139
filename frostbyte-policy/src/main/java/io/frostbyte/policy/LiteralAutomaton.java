package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Which of a fixed set of literals occur in a text, found in one pass over it: Aho–Corasick, with the failure links
 * folded into a full transition table so that each character of the text costs one table lookup, however many literals
 * there are. A space in a literal stands for any one whitespace character of the text (Java's {@code \s}); matching is
 * otherwise exact (no case folding).
 *
 * <p>Thread-safe and immutable.
 */
final class LiteralAutomaton {
    private static final int NONE = 0;

    private final int literals;
    /** Symbol of each ASCII character; 0 for a character that occurs in no literal. */
    private final int[] asciiSymbols = new int[128];
    /** Non-ASCII characters of the literals, sorted; the symbol of {@code others[i]} is {@code 128 + i}. */
    private final char[] others;

    private final int width;
    /** {@code transitions[state * width + symbol]}: the next state. */
    private final int[] transitions;
    /** Per state, the literals that end there (directly or as a suffix), or null. */
    private final int[][] outputs;

    LiteralAutomaton(List<String> literals) {
        requireNonNull(literals, "literals is null");
        this.literals = literals.size();
        TreeSet<Character> nonAscii = new TreeSet<>();
        for (String literal : literals) {
            requireNonNull(literal, "literal is null");
            if (literal.isEmpty() || literal.chars().anyMatch(c -> c != ' ' && Character.isWhitespace(c))) {
                throw new IllegalArgumentException(
                        "a literal must be non-empty, its only whitespace spaces: " + literal);
            }
            for (char c : literal.toCharArray()) {
                if (c >= 128) {
                    nonAscii.add(c);
                }
            }
        }
        others = new char[nonAscii.size()];
        int o = 0;
        for (char c : nonAscii) {
            others[o++] = c;
        }
        int symbols = 1;
        for (String literal : literals) {
            for (char c : literal.toCharArray()) {
                if (c < 128 && asciiSymbols[c] == NONE) {
                    asciiSymbols[c] = symbols++;
                }
            }
        }
        int asciiCount = symbols;
        width = asciiCount + others.length;
        for (char c : new char[] {'\t', '\n', 0x0B, '\f', '\r'}) {
            asciiSymbols[c] = asciiSymbols[' '];
        }

        // the trie
        List<int[]> next = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        next.add(newRow());
        ends.add(new ArrayList<>());
        for (int id = 0; id < literals.size(); id++) {
            int state = 0;
            for (char c : literals.get(id).toCharArray()) {
                int symbol = symbol(c, asciiCount);
                if (next.get(state)[symbol] < 0) {
                    next.get(state)[symbol] = next.size();
                    next.add(newRow());
                    ends.add(new ArrayList<>());
                }
                state = next.get(state)[symbol];
            }
            ends.get(state).add(id);
        }

        // breadth first: a missing transition goes where the failure state's would; outputs include the failure's
        int states = next.size();
        int[] table = new int[states * width];
        int[] failure = new int[states];
        int[][] out = new int[states][];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int symbol = 0; symbol < width; symbol++) {
            int child = next.get(0)[symbol];
            table[symbol] = Math.max(child, 0);
            if (child > 0) {
                queue.add(child);
            }
        }
        out[0] = null;
        while (!queue.isEmpty()) {
            int state = queue.poll();
            TreeSet<Integer> found = new TreeSet<>(ends.get(state));
            if (out[failure[state]] != null) {
                for (int id : out[failure[state]]) {
                    found.add(id);
                }
            }
            out[state] = found.isEmpty()
                    ? null
                    : found.stream().mapToInt(Integer::intValue).toArray();
            for (int symbol = 0; symbol < width; symbol++) {
                int child = next.get(state)[symbol];
                if (child > 0) {
                    failure[child] = table[failure[state] * width + symbol];
                    table[state * width + symbol] = child;
                    queue.add(child);
                } else {
                    table[state * width + symbol] = table[failure[state] * width + symbol];
                }
            }
        }
        this.transitions = table;
        this.outputs = out;
    }

    /** The indices (into the constructor's list) of the literals that occur in {@code text}. */
    BitSet find(CharSequence text) {
        BitSet found = new BitSet(literals);
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            int symbol = c < 128 ? asciiSymbols[c] : otherSymbol(c);
            state = symbol == NONE ? 0 : transitions[state * width + symbol];
            int[] ending = outputs[state];
            if (ending != null) {
                for (int id : ending) {
                    found.set(id);
                }
            }
        }
        return found;
    }

    private int symbol(char c, int asciiCount) {
        return c < 128 ? asciiSymbols[c] : asciiCount + Arrays.binarySearch(others, c);
    }

    private int otherSymbol(char c) {
        int i = Arrays.binarySearch(others, c);
        return i < 0 ? NONE : width - others.length + i;
    }

    private int[] newRow() {
        int[] row = new int[width];
        Arrays.fill(row, -1);
        return row;
    }
}
