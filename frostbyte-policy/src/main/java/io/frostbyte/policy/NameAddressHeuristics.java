package io.frostbyte.policy;

import io.frostbyte.policy.PiiDetector.Candidate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heuristic NAME and ADDRESS detection without a model: embedded gazetteers (given names, street types), word shapes
 * and context cues. Expect misses on names the gazetteer lacks and no context introduces; spec/03 lets an ONNX model
 * replace this when one is configured.
 */
final class NameAddressHeuristics {
    private static final int MAX_NAME_WORDS = 4;
    private static final Pattern NAME_CUE =
            Pattern.compile("(?i)(?:(?<![a-z])(?:my\\s+name\\s+is|name\\s*:|names?\\s+is"
                    + "|i\\s+am|i'm|this\\s+is|dear|mr|mrs|ms|miss|mx|dr|prof|sir|madam|named|called|signed|by|regards,?"
                    + "|sincerely,?|attn|patient|customer|employee|contact)\\.?:?\\s{1,4})$");
    private static final Pattern TITLE = Pattern.compile("(?i)(?<![a-z])(?:mr|mrs|ms|miss|mx|dr|prof)\\.?\\s{1,4}$");
    private static final Pattern HOUSE_NUMBER = Pattern.compile("(?<![\\p{L}\\d\\-])\\d{1,6}[A-Za-z]?(?=[ \\t])");
    private static final Pattern MILITARY =
            Pattern.compile("(?<![A-Za-z])(?:PSC|Unit|USNS|USS|USCGC) \\d{3,5}(?: [A-Z][a-z]+)?,? Box \\d{3,5}");
    private static final Pattern STREET_NUMBER = Pattern.compile("\\G \\d{1,5}[A-Za-z]?(?![\\d])");
    private static final Pattern SECONDARY = Pattern.compile(
            "\\G,?\\s{1,3}(?:apt|apartment|suite|ste|unit|floor|fl|room|box)"
                    + "\\.?\\s{0,3}#?\\s{0,3}[A-Za-z0-9\\-]{1,8}+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CONTINUATION = Pattern.compile(
            "\\G[ \\t]{0,3}(?:,[ \\t]{0,3}|\\n[ \\t]{0,3},?[ \\t]{0,3})([\\p{Lu}\\d][\\p{L}\\d .'()\\-]{0,39}+)");
    private static final Pattern LABEL =
            Pattern.compile("(?i)^(?:phone|tel|mobile|fax|desk|e-?mail|website|name|dob)\\b");
    private static final Set<String> NOT_NAMES = Set.of(
            "the",
            "a",
            "an",
            "i",
            "this",
            "that",
            "it",
            "he",
            "she",
            "we",
            "they",
            "you",
            "my",
            "our",
            "your",
            "his",
            "her",
            "their",
            "not",
            "no",
            "yes",
            "and",
            "or",
            "but",
            "if",
            "in",
            "on",
            "at",
            "of",
            "for",
            "to",
            "from",
            "with",
            "as",
            "is",
            "are",
            "was",
            "am",
            "be",
            "sorry",
            "here",
            "there",
            "hello",
            "hi",
            "thanks",
            "please",
            "street",
            "road",
            "avenue",
            "phone",
            "email",
            "address",
            "date",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "january",
            "february",
            "march",
            "april",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "god",
            "mom",
            "dad",
            "what",
            "why",
            "how",
            "who",
            "when",
            "where",
            "which",
            "can",
            "could",
            "would",
            "will",
            "do",
            "does",
            "did",
            "have",
            "has",
            "so",
            "just",
            "also",
            "very",
            "really",
            "going",
            "looking",
            "happy",
            "glad",
            "interested",
            "calling",
            "writing");

    private static final NameAddressHeuristics SHARED =
            new NameAddressHeuristics(load("first-names.txt"), load("street-suffixes.txt"), load("street-endings.txt"));

    private final Set<String> givenNames;
    private final Set<String> streetTypes;
    private final List<String> streetEndings;

    private NameAddressHeuristics(Set<String> givenNames, Set<String> streetTypes, Set<String> streetEndings) {
        this.givenNames = givenNames;
        this.streetTypes = streetTypes;
        this.streetEndings = List.copyOf(new TreeSet<>(streetEndings));
    }

    static NameAddressHeuristics shared() {
        return SHARED;
    }

    void names(String text, List<Candidate> out) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            int start = i;
            int end = wordEnd(text, start);
            if (end == start) {
                i += Character.charCount(text.codePointAt(i));
                continue;
            }
            if (!capitalized(text, start, end)
                    || (start > 0 && Character.isLetterOrDigit(text.codePointBefore(start)))) {
                i = end;
                continue;
            }
            String word = stripPossessive(text.substring(start, end)).toLowerCase(Locale.ROOT);
            boolean given = givenNames.contains(word);
            boolean cued = !NOT_NAMES.contains(word) && cueBefore(text, start);
            if (!given && !cued) {
                i = end;
                continue;
            }
            int nameEnd = start + stripPossessive(text.substring(start, end)).length();
            int words = 1;
            int next = end;
            while (words < MAX_NAME_WORDS && next < length && text.charAt(next) == ' ') {
                int followStart = next + 1;
                int followEnd = wordEnd(text, followStart);
                boolean initial = followEnd == followStart + 1
                        && followEnd < length
                        && text.charAt(followEnd) == '.'
                        && Character.isUpperCase(text.charAt(followStart));
                if (initial) {
                    followEnd++;
                } else if (followEnd == followStart
                        || !capitalized(text, followStart, followEnd)
                        || NOT_NAMES.contains(
                                text.substring(followStart, followEnd).toLowerCase(Locale.ROOT))
                        || streetTypes.contains(
                                text.substring(followStart, followEnd).toLowerCase(Locale.ROOT))) {
                    break;
                }
                String follow = stripPossessive(text.substring(followStart, followEnd));
                nameEnd = followStart + follow.length();
                next = followEnd;
                words++;
                if (follow.length() < followEnd - followStart) {
                    break;
                }
            }
            if (words > 1 || cued) {
                out.add(new Candidate(PiiType.NAME, start, nameEnd));
            }
            i = Math.max(next, end);
        }
    }

    void addresses(String text, List<Candidate> out) {
        Matcher number = HOUSE_NUMBER.matcher(text);
        int covered = 0;
        while (number.find()) {
            if (number.start() < covered) {
                continue;
            }
            int streetEnd = streetAfterNumber(text, number.end());
            if (streetEnd < 0) {
                continue;
            }
            int end = extend(text, streetEnd);
            out.add(new Candidate(PiiType.ADDRESS, number.start(), end));
            covered = end;
        }
        Matcher military = MILITARY.matcher(text);
        while (military.find()) {
            out.add(new Candidate(PiiType.ADDRESS, military.start(), extend(text, military.end())));
        }
    }

    /** End of "Main Street" or "Koskikatu 25" after a house number, at most four words on, or -1. */
    private int streetAfterNumber(String text, int from) {
        int i = from;
        for (int words = 0;
                words < 5 && i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t');
                words++) {
            int start = i + 1;
            int end = wordEnd(text, start);
            if (end == start) {
                return -1;
            }
            String word = text.substring(start, end).toLowerCase(Locale.ROOT);
            int afterDot = word.length() <= 4 && end < text.length() && text.charAt(end) == '.' ? end + 1 : end;
            if (words > 0 && streetTypes.contains(word)) {
                return afterDot;
            }
            if (!capitalized(text, start, end)) {
                return -1;
            }
            for (String ending : streetEndings) {
                if (word.length() > ending.length() + 2 && word.endsWith(ending)) {
                    Matcher houseNumber = STREET_NUMBER.matcher(text);
                    return houseNumber.find(end) ? houseNumber.end() : end;
                }
            }
            i = end;
        }
        return -1;
    }

    /** Apartment, then up to four city / region / country lines or comma segments. */
    private static int extend(String text, int from) {
        int end = from;
        Matcher secondary = SECONDARY.matcher(text);
        if (secondary.find(end)) {
            end = secondary.end();
        }
        Matcher continuation = CONTINUATION.matcher(text);
        for (int segments = 0; segments < 4 && continuation.find(end); segments++) {
            String segment = continuation.group(1).strip();
            if (segment.isEmpty() || LABEL.matcher(segment).find()) {
                break;
            }
            end = continuation.start(1) + continuation.group(1).stripTrailing().length();
        }
        return end;
    }

    private static boolean cueBefore(String text, int start) {
        int from = Math.max(0, start - 24);
        Matcher m = NAME_CUE.matcher(text).region(from, start);
        return m.find() || TITLE.matcher(text).region(from, start).find();
    }

    private static int wordEnd(String text, int start) {
        int i = start;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (Character.isLetter(c)) {
                i += Character.charCount(c);
            } else if ((c == '\'' || c == '-' || c == '’')
                    && i > start
                    && i + 1 < text.length()
                    && Character.isLetter(text.codePointAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean capitalized(String text, int start, int end) {
        if (end - start < 2 || !Character.isUpperCase(text.codePointAt(start))) {
            return false;
        }
        for (int i = start + 1; i < end; i++) {
            if (Character.isLowerCase(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String stripPossessive(String word) {
        if (word.endsWith("'s") || word.endsWith("’s")) {
            return word.substring(0, word.length() - 2);
        }
        return word;
    }

    private static Set<String> load(String resource) {
        try (InputStream in = NameAddressHeuristics.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("gazetteer resource missing: " + resource);
            }
            Set<String> words = new TreeSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read gazetteer " + resource, e);
        }
    }
}
