package io.frostbyte.policy;

import io.frostbyte.policy.PiiDetector.Candidate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    /** Words that introduce a name, with the space after them: a name may start where one of these ends. */
    static final Pattern NAME_CUE = Pattern.compile("(?i)(?<![a-z])(?:my\\s+name\\s+is|name\\s*:|names?\\s+is"
            + "|i\\s+am|i'm|this\\s+is|dear|mr|mrs|ms|miss|mx|dr|prof|sir|madam|named|called|signed|by|regards,?"
            + "|sincerely,?|attn|patient|customer|employee|contact)\\.?:?\\s{1,4}+");
    /** The first letters of {@link #NAME_CUE}'s words (see {@link ContextIndex#atWordStarts}). */
    static final String NAME_CUE_FIRST_LETTERS = "mnitdpscbrae";

    static final Pattern HOUSE_NUMBER = Pattern.compile("(?<![\\p{L}\\d\\-])\\d{1,6}[A-Za-z]?(?=[ \\t])");
    static final Pattern MILITARY =
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

    /** Words that end a run of capitalized words as an organisation, not a person. */
    private static final Set<String> ORGANISATION_WORDS = Set.of(
            "inc",
            "ltd",
            "llc",
            "plc",
            "gmbh",
            "corp",
            "co",
            "company",
            "group",
            "bank",
            "investments",
            "holdings",
            "partners",
            "associates",
            "technologies",
            "solutions",
            "systems",
            "services",
            "consulting",
            "university",
            "college",
            "school",
            "foundation",
            "institute",
            "international",
            "hospital",
            "airlines",
            "records",
            "studios",
            "press");
    /** Lower-case particles inside a name ("Ludwig van Beethoven") or a street ("Via dei Fiorentini"). */
    private static final Set<String> PARTICLES = Set.of(
            "van", "von", "de", "der", "den", "del", "della", "dei", "di", "da", "do", "dos", "das", "du", "des", "la",
            "le", "les", "ter", "ten", "bin", "al", "el", "y");
    /** A street name that starts with its type ("Via Tasso 129", "Rua João Pessoa 1636", "ul. Miła 53"). */
    static final Pattern PREFIXED_STREET = Pattern.compile("(?<![\\p{L}\\d])(?:Via|Viale|Vicolo|Piazza|Piazzale"
            + "|Corso|Largo|Rua|Avenida|Avda\\.?|Av\\.?|Alameda|Calle|C/|Camino|Carrer|Paseo|Plaza|Praça|Travessa|Rue"
            + "|Avenue|Boulevard|Bd|Chemin|Allée|Impasse|Quai|Strada|Calea|Bulevardul|ul\\.|ulica|Aleja|al\\.)"
            + "(?: (?:\\p{Lu}[\\p{L}'’\\-]{0,24}+\\.?|de|del|della|dei|di|da|do|dos|das|du|des|la|le|les|d'|l')){1,5}+"
            + " \\d{1,5}[A-Za-z]?(?![\\p{L}\\d])");
    /** {@link #PREFIXED_STREET}'s street types with the character after them, one of which each match contains. */
    static final List<String> STREET_PREFIXES = List.of(
            "Via ",
            "Viale ",
            "Vicolo ",
            "Piazza ",
            "Piazzale ",
            "Corso ",
            "Largo ",
            "Rua ",
            "Avenida ",
            "Avda ",
            "Avda.",
            "Av ",
            "Av.",
            "Alameda ",
            "Calle ",
            "C/ ",
            "Camino ",
            "Carrer ",
            "Paseo ",
            "Plaza ",
            "Praça ",
            "Travessa ",
            "Rue ",
            "Avenue ",
            "Boulevard ",
            "Bd ",
            "Chemin ",
            "Allée ",
            "Impasse ",
            "Quai ",
            "Strada ",
            "Calea ",
            "Bulevardul ",
            "ul. ",
            "ulica ",
            "Aleja ",
            "al. ");
    /** Hungarian and similar: "Kálmán Imre u. 12.", "Rákóczi út 13.", "Árpád fejedelem útja 62.". */
    static final Pattern SUFFIXED_STREET = Pattern.compile("(?<![\\p{L}\\d])\\p{Lu}[\\p{L}\\-]{1,24}+"
            + "(?: [\\p{L}][\\p{L}\\-]{1,24}+){0,2}+ (?:u\\.|út|utca|útja|tér|krt\\.|körút) \\d{1,4}\\.?");

    static final Pattern PO_BOX =
            Pattern.compile("(?<![\\p{L}\\d])(?:P\\.? ?O\\.? ?Box|PO Box|Post Office Box) \\d{1,6}+(?![\\d])");
    static final Pattern SHIP =
            Pattern.compile("(?<![A-Za-z])(?:USNS|USS|USNV|USCGC) \\p{Lu}\\p{L}{1,20}+\\n? ?[FAD]PO A[AEP] \\d{5}");
    /** "20789 Allika 46", "5850 Jana Nerudy 894": a number, one to three capitalized words, a house number. */
    static final Pattern NUMBERED_STREET = Pattern.compile(
            "(?<![\\p{L}\\d\\-.,])\\d{1,6} "
                    + "\\p{Lu}[\\p{L}'’\\-]{1,24}+(?: \\p{Lu}[\\p{L}'’\\-]{1,24}+){0,2}+ \\d{1,5}[A-Za-z]?(?![\\p{L}\\d:/.,]\\d)");

    private static final Pattern ADDRESS_CUE = Pattern.compile(
            "(?i)(?:address|lives (?:on|at)|located at|return to|sent to|deliver(?:ed)? to|ship(?:ped)? to)\\W{0,4}$");
    private static final Pattern LEADING_NUMBER = Pattern.compile("(?<![\\p{L}\\d\\-])\\d{1,6} $");

    /**
     * Where {@link #endingStreet} can start: a capital after no letter or digit whose run of letters is followed by an
     * optional dot, a space and a digit. Every match is one word of letters (capital, letters, a street ending, all
     * letters) and then {@code \.? \d}, so its letters are exactly the run of letters that starts there; a position
     * where that run is not followed so cannot start a match, and the expression (with its alternation of endings,
     * tried at every split of the word) is not run there.
     */
    static final CandidateStarts ENDING_STREET_STARTS = CandidateStarts.of(
            c -> Character.getType(c) == Character.UPPERCASE_LETTER || Character.isHighSurrogate((char) c),
            c -> Checksums.isDigit((char) c) || Character.isLetter(c),
            NameAddressHeuristics::wordThenNumber);

    private static final NameAddressHeuristics SHARED = new NameAddressHeuristics(
            union(load("first-names.txt"), load("given-names.txt")),
            load("surnames.txt"),
            load("street-suffixes.txt"),
            load("street-endings.txt"));

    private final Set<String> givenNames;
    private final Set<String> surnames;
    private final Set<String> streetTypes;
    private final List<String> streetEndings;
    final Pattern endingStreet;
    private final List<Street> streets;

    /**
     * A street pattern, literals one of which each of its matches contains (none: no such literal), so that text
     * lacking them all is not scanned, and where its matches can start.
     */
    private record Street(Pattern pattern, List<String> literals, CandidateStarts starts) {
        boolean mayMatch(String text) {
            return literals.isEmpty() || literals.stream().anyMatch(text::contains);
        }
    }

    private NameAddressHeuristics(
            Set<String> givenNames, Set<String> surnames, Set<String> streetTypes, Set<String> streetEndings) {
        this.givenNames = givenNames;
        this.surnames = surnames;
        this.streetTypes = streetTypes;
        this.streetEndings = List.copyOf(new TreeSet<>(streetEndings));
        // "Ziegelgasse 19", "Søndergade 52": one word ending in a street type, then the house number
        this.endingStreet = Pattern.compile("(?<![\\p{L}\\d])\\p{Lu}\\p{L}{2,30}(?:"
                + String.join("|", this.streetEndings)
                + ")\\.? \\d{1,5}[A-Za-z]?(?![\\p{L}\\d])");
        this.streets = List.of(
                new Street(PREFIXED_STREET, STREET_PREFIXES, CandidateStarts.literals(STREET_PREFIXES)),
                new Street(
                        SUFFIXED_STREET,
                        List.of(" u.", " út", " utca", " tér", " krt.", " körút"),
                        CandidateStarts.UPPER_CASE_WORDS),
                new Street(endingStreet, List.of(), ENDING_STREET_STARTS),
                new Street(PO_BOX, List.of("Box"), CandidateStarts.literals(List.of("P"))),
                new Street(MILITARY, List.of("Box"), CandidateStarts.literals(List.of("PSC", "Unit", "US"))),
                new Street(SHIP, List.of("PO A"), CandidateStarts.literals(List.of("US"))));
    }

    /** Whether the word of letters at {@code position} is an upper-case letter's and is followed by {@code \.? \d}. */
    private static boolean wordThenNumber(String text, int position) {
        if (!CandidateStarts.upperCase(text, position)) {
            return false;
        }
        int i = position;
        int length = text.length();
        while (i < length) {
            int c = text.codePointAt(i);
            if (!Character.isLetter(c)) {
                break;
            }
            i += Character.charCount(c);
        }
        if (i < length && text.charAt(i) == '.') {
            i++;
        }
        return i + 1 < length && text.charAt(i) == ' ' && Checksums.isDigit(text.charAt(i + 1));
    }

    static NameAddressHeuristics shared() {
        return SHARED;
    }

    /**
     * Runs of capitalized words (with initials and particles) on one line: a line break ends a name, because forms and
     * letterheads put one field per line. A run counts when a context word introduces it, when it has two or more
     * words one of which is a known given name or surname, or when it is one known given name. A surname or given name
     * of an accepted run also counts where it stands alone elsewhere in the text.
     */
    void names(String text, List<Candidate> out) {
        ContextIndex cues = ContextIndex.atWordStarts(NAME_CUE, text, NAME_CUE_FIRST_LETTERS);
        int length = text.length();
        List<Candidate> found = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        int i = 0;
        while (i < length) {
            int start = i;
            int end = wordEnd(text, start);
            if (end == start) {
                i += Character.charCount(text.codePointAt(i));
                continue;
            }
            if (start > 0 && Character.isLetterOrDigit(text.codePointBefore(start))) {
                i = end;
                continue;
            }
            boolean cued = cues.cueEndingBefore(start, 0) == start;
            if (!capitalized(text, start, end)) {
                int lowerEnd = lowerCaseName(text, start, end, cued);
                if (lowerEnd > 0) {
                    found.add(new Candidate(PiiType.NAME, start, lowerEnd));
                    i = lowerEnd;
                } else {
                    i = end;
                }
                continue;
            }
            // collect the run: capitalized words, initials and particles separated by single spaces
            List<int[]> words = new ArrayList<>();
            words.add(new int[] {start, end});
            int next = end;
            while (words.size() < MAX_NAME_WORDS + 1 && next < length && text.charAt(next) == ' ') {
                int followStart = next + 1;
                int followEnd = wordEnd(text, followStart);
                if (followEnd == followStart) {
                    break;
                }
                String follow = text.substring(followStart, followEnd);
                boolean initial = followEnd == followStart + 1 && Character.isUpperCase(text.charAt(followStart));
                boolean particle = PARTICLES.contains(follow) && followEnd < length && text.charAt(followEnd) == ' ';
                if (initial && followEnd < length && text.charAt(followEnd) == '.') {
                    followEnd++;
                } else if (!initial && !particle && !capitalized(text, followStart, followEnd)) {
                    break;
                }
                words.add(new int[] {followStart, followEnd});
                next = followEnd;
                if (stripPossessive(follow).length() < follow.length()) {
                    break;
                }
            }
            int accepted = acceptRun(text, words, cued);
            if (accepted > 0) {
                int runStart = words.get(accepted >> 8)[0];
                int last = (accepted & 0xff) - 1;
                int runEnd = words.get(last)[0]
                        + stripPossessive(text.substring(words.get(last)[0], words.get(last)[1]))
                                .replaceAll("\\.$", "")
                                .length();
                if (text.charAt(words.get(last)[1] - 1) == '.' && words.get(last)[1] - words.get(last)[0] == 2) {
                    runEnd = words.get(last)[1];
                }
                found.add(new Candidate(PiiType.NAME, runStart, runEnd));
                for (int w = accepted >> 8; w <= last; w++) {
                    String word = lower(text, words.get(w));
                    if (word.length() >= 3
                            && (givenNames.contains(word) || surnames.contains(word) || words.size() > 1)) {
                        known.add(word);
                    }
                }
            }
            i = words.size() > 1 ? words.get(words.size() - 1)[1] : end;
        }
        out.addAll(found);
        if (!known.isEmpty()) {
            mentions(text, found, known, out);
        }
    }

    /**
     * Whether a run of words is a name: returns {@code first << 8 | (last + 1)} of the words kept, or 0. Leading words
     * that are neither names nor cued ("Maybe", "Why") are dropped; a run naming an organisation is refused.
     */
    private int acceptRun(String text, List<int[]> words, boolean cued) {
        int n = Math.min(words.size(), MAX_NAME_WORDS + 1);
        int first = -1;
        int evidence = 0;
        for (int w = 0; w < n; w++) {
            String word = lower(text, words.get(w));
            if (ORGANISATION_WORDS.contains(word) || streetTypes.contains(word) && w > 0) {
                return 0;
            }
            if (givenNames.contains(word) || surnames.contains(word)) {
                evidence++;
                if (first < 0) {
                    first = w;
                }
            }
        }
        if (cued) {
            first = 0;
        }
        if (first < 0) {
            return 0;
        }
        int last = n - 1;
        while (last > first && isParticleOrInitial(text, words.get(last))) {
            last--;
        }
        String head = lower(text, words.get(first));
        if (NOT_NAMES.contains(head)) {
            return 0;
        }
        int kept = last - first + 1;
        if (kept > MAX_NAME_WORDS) {
            return 0;
        }
        boolean single = kept == 1;
        if (single && !cued) {
            // one word: a given name anywhere, a surname only inside a sentence
            boolean given = givenNames.contains(head);
            boolean surname = surnames.contains(head) && !sentenceStart(text, words.get(first)[0]);
            if (!given && !surname) {
                return 0;
            }
        }
        if (!single && !cued && evidence == 0) {
            return 0;
        }
        return first << 8 | (last + 1);
    }

    /** "patricia desrosiers": two lower-case words, a known given name then a known surname. */
    private int lowerCaseName(String text, int start, int end, boolean cued) {
        String word = text.substring(start, end);
        if (!givenNames.contains(word) || end >= text.length() || text.charAt(end) != ' ') {
            return cued && givenNames.contains(word) && !NOT_NAMES.contains(word) ? end : -1;
        }
        int followEnd = wordEnd(text, end + 1);
        String follow = text.substring(end + 1, followEnd);
        if (followEnd > end + 1 && follow.equals(follow.toLowerCase(Locale.ROOT)) && surnames.contains(follow)) {
            return followEnd;
        }
        return cued && !NOT_NAMES.contains(word) ? end : -1;
    }

    /** Stand-alone later mentions of a name already found ("Faina D. Yefremova ... early Yefremova"). */
    private static void mentions(String text, List<Candidate> found, Set<String> known, List<Candidate> out) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            int end = wordEnd(text, i);
            if (end == i) {
                i += Character.charCount(text.codePointAt(i));
                continue;
            }
            if ((i == 0 || !Character.isLetterOrDigit(text.codePointBefore(i)))
                    && capitalized(text, i, end)
                    && known.contains(stripPossessive(text.substring(i, end)).toLowerCase(Locale.ROOT))) {
                int start = i;
                int stop = start + stripPossessive(text.substring(start, end)).length();
                if (!overlapsAny(found, start, stop)) {
                    out.add(new Candidate(PiiType.NAME, start, stop));
                }
            }
            i = end;
        }
    }

    /** {@code found} is in text order and non-overlapping (one left-to-right pass), so a binary search suffices. */
    private static boolean overlapsAny(List<Candidate> found, int start, int end) {
        int low = 0;
        int high = found.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Candidate c = found.get(mid);
            if (c.end() <= start) {
                low = mid + 1;
            } else if (c.start() >= end) {
                high = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    void addresses(String text, List<Candidate> out) {
        Matcher number = HOUSE_NUMBER.matcher(text);
        int covered = 0;
        for (int from = 0;
                CandidateStarts.find(number, text, from, CandidateStarts.DIGITS);
                from = CandidateStarts.after(number)) {
            if (number.start() < covered) {
                continue;
            }
            int streetEnd = streetAfterNumber(text, number.end());
            if (streetEnd < 0) {
                continue;
            }
            int end = extend(text, streetEnd);
            out.add(new Candidate(PiiType.ADDRESS, leading(text, number.start()), end));
            covered = end;
        }
        Matcher numbered = NUMBERED_STREET.matcher(text);
        for (int from = 0;
                CandidateStarts.find(numbered, text, from, CandidateStarts.DIGITS);
                from = CandidateStarts.after(numbered)) {
            int end = extend(text, numbered.end());
            boolean cued = ADDRESS_CUE
                    .matcher(text)
                    .region(Math.max(0, numbered.start() - 24), numbered.start())
                    .find();
            if (end > numbered.end() || cued) {
                out.add(new Candidate(PiiType.ADDRESS, numbered.start(), end));
            }
        }
        if (!RegexPrefilters.hasSpaceThenDigit(text)) {
            return; // each street pattern ends in a space and a number
        }
        for (Street street : streets) {
            if (!street.mayMatch(text)) {
                continue;
            }
            Matcher m = street.pattern().matcher(text);
            for (int from = 0; CandidateStarts.find(m, text, from, street.starts()); from = CandidateStarts.after(m)) {
                out.add(new Candidate(PiiType.ADDRESS, leading(text, m.start()), extend(text, m.end())));
            }
        }
    }

    /** Takes in a house number or postcode written just before the street ("20789 Allika 46"). */
    private static int leading(String text, int start) {
        Matcher m = LEADING_NUMBER.matcher(text).region(Math.max(0, start - 8), start);
        return m.find() ? m.start() : start;
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
            if (!capitalized(text, start, end) && !(words > 0 && PARTICLES.contains(word))) {
                return -1;
            }
            for (String ending : streetEndings) {
                if (word.length() > ending.length() + 2 && word.endsWith(ending)) {
                    Matcher houseNumber = STREET_NUMBER.matcher(text).region(end, Math.min(text.length(), end + 8));
                    return houseNumber.lookingAt() ? houseNumber.end() : end;
                }
            }
            i = end;
        }
        return -1;
    }

    /**
     * Apartment or suite, then up to five city / region / country / postcode lines or comma segments (one blank line
     * allowed inside the block). Every step is anchored with {@code lookingAt} on a short region, so the cost is
     * bounded per address.
     */
    private static int extend(String text, int from) {
        int end = from;
        Matcher secondary = SECONDARY.matcher(text);
        for (int units = 0; units < 2; units++) {
            secondary.region(end, Math.min(text.length(), end + 32));
            if (!secondary.lookingAt()) {
                break;
            }
            end = secondary.end();
        }
        Matcher continuation = CONTINUATION.matcher(text);
        for (int segments = 0; segments < 5; segments++) {
            int at = end;
            if (text.startsWith("\n\n", at) || text.startsWith("\n \n", at)) {
                at = text.indexOf('\n', at + 1);
            }
            continuation.region(at, Math.min(text.length(), at + 48));
            if (!continuation.lookingAt()) {
                break;
            }
            String segment = continuation.group(1).strip();
            if (segment.isEmpty() || LABEL.matcher(segment).find() || !addressLike(segment)) {
                break;
            }
            end = continuation.start(1) + continuation.group(1).stripTrailing().length();
        }
        return end;
    }

    /** A city, region, country or postcode: capitalized or upper-case words, codes and numbers, no sentence. */
    private static boolean addressLike(String segment) {
        String[] words = segment.split("[ ,]+");
        if (words.length > 6 || NOT_NAMES.contains(words[0].toLowerCase(Locale.ROOT))) {
            return false;
        }
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            int c = word.codePointAt(0);
            if (!(Character.isUpperCase(c) || Character.isDigit(c) || c == '(') && !PARTICLES.contains(word)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sentenceStart(String text, int start) {
        int i = start - 1;
        while (i >= 0 && text.charAt(i) == ' ') {
            i--;
        }
        return i < 0 || ".!?:\n\"“(".indexOf(text.charAt(i)) >= 0;
    }

    private static String lower(String text, int[] word) {
        String w = stripPossessive(text.substring(word[0], word[1]));
        return (w.endsWith(".") ? w.substring(0, w.length() - 1) : w).toLowerCase(Locale.ROOT);
    }

    private static boolean isParticleOrInitial(String text, int[] word) {
        String w = text.substring(word[0], word[1]);
        return PARTICLES.contains(w);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
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
