package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offline PII detector {@value #VERSION} (spec/03 §3.3): validated detectors, not bare regular expressions.
 *
 * <p>Every pattern is either bounded or possessive and anchored by a look-behind, so a scan is linear in the text
 * length (no catastrophic backtracking). NAME and ADDRESS are heuristic (gazetteers, shapes and context words).
 *
 * <p>Cost: a detector runs only when the text has what each of its candidates needs (an {@code @}, enough digits, a
 * cue word), and cue words are tried only at word starts; neither changes a result ({@code GateOutputsTest}).
 *
 * <p>Thread-safe and immutable; holds no text between calls.
 */
public final class PiiDetector {
    public static final String VERSION = "fb-pii/1.0.0";
    /** Default region for numbers written without a country code. */
    public static final String DEFAULT_REGION = "US";

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** Regions tried for nationally written numbers next to a phone word (bounded: each try is a parse). */
    private static final List<String> REGIONS = List.of(
            "AR", "AT", "AU", "BE", "BR", "CA", "CH", "CN", "CY", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "GR", "HU",
            "IE", "IL", "IN", "IS", "IT", "JP", "KR", "MX", "NL", "NO", "NZ", "PL", "PT", "RO", "RU", "SE", "SG", "SK",
            "TR", "UA", "US", "ZA");

    static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9][A-Za-z0-9._%+\\-]{0,63}+@"
            + "(?:[A-Za-z0-9\\-]{1,63}+\\.(?=[A-Za-z0-9])){1,8}+[A-Za-z]{2,24}+(?![A-Za-z0-9\\-])");
    static final Pattern SSN_DASHED = Pattern.compile("(?<![\\d\\-])\\d{3}-\\d{2}-\\d{4}(?![\\d\\-])");
    static final Pattern SSN_PLAIN = Pattern.compile("(?<![\\d\\-])\\d{3} ?\\d{2} ?\\d{4}(?![\\d\\-])");
    static final Pattern SSN_CUE =
            Pattern.compile("(?i)(?<![a-z])(?:ssn|social\\s+security|soc\\.\\s*sec\\.)(?![a-z])");
    /** The first letter of {@link #SSN_CUE}'s words (see {@link ContextIndex#atWordStarts}). */
    static final String SSN_CUE_FIRST_LETTERS = "s";

    static final Pattern DIGIT_RUN = Pattern.compile("(?<!\\d)\\d{1,19}+(?:[ \\-]\\d{1,19}+){0,9}+(?!\\d)");
    static final Pattern IBAN = Pattern.compile(
            "(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]{4}){2,7}+(?: ?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])");
    static final Pattern ACCOUNT = Pattern.compile("(?i)(?<![a-z])(?:account|acct|a/c)"
            + "(?:\\s{0,3}(?:no|number|num|nr)\\.?)?\\s{0,3}[:#]?\\s{0,3}(\\d[\\d\\- ]{4,24}+)");
    private static final String MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
            + "|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    static final Pattern DATE = Pattern.compile("(?i)(?<![\\d/.\\-])(?:\\d{1,2}[/.\\-]\\d{1,2}[/.\\-](?:\\d{4}|\\d{2})"
            + "|\\d{4}[/\\-]\\d{1,2}[/\\-]\\d{1,2})(?![\\d/\\-])"
            + "|(?<![a-z0-9])(?:\\d{1,2}(?:st|nd|rd|th)?\\s(?:of\\s)?" + MONTH + "\\.?,?\\s\\d{4}"
            + "|" + MONTH + "\\.?\\s\\d{1,2}(?:st|nd|rd|th)?,?\\s\\d{4})(?![a-z0-9])");
    static final Pattern DOB_CUE =
            Pattern.compile("(?i)(?<![a-z])(?:dob|d\\.o\\.b\\.?|date\\s+of\\s+birth|birth\\s*date|born)(?![a-z])");
    /** The first letters of {@link #DOB_CUE}'s words (see {@link ContextIndex#atWordStarts}). */
    static final String DOB_CUE_FIRST_LETTERS = "db";

    static final Pattern PHONE_CANDIDATE =
            Pattern.compile("(?<![\\w+.\\-])(?:\\+|\\(\\+?)?\\d[\\d ().\\-]{5,24}+(?:\\s?(?:x|ext\\.?)\\s?\\d{1,6}+)?");
    static final Pattern PHONE_CUE = Pattern.compile("(?i)(?<![a-z])(?:phone|tel|telephone|mobile|cell|fax"
            + "|call|office|desk|contact|whatsapp|sms|ph|dial|reach|answering|registered)(?![a-z])");
    /** The first letters of {@link #PHONE_CUE}'s words (see {@link ContextIndex#atWordStarts}). */
    static final String PHONE_CUE_FIRST_LETTERS = "ptmcfodwsra";
    /** A trailing extension ("x 12", "ext. 345"), which does not count as digits of the number. */
    private static final Pattern EXTENSION = Pattern.compile("(?i)\\s?(?:x|ext\\.?)\\s?\\d+$");
    /** A date or a date-time ("2015-12-22 04:34") is never a phone number. */
    private static final Pattern DATE_LIKE = Pattern.compile(
            "^(?:\\d{4}[\\-/.]\\d{1,2}[\\-/.]\\d{1,2}" + "|\\d{1,2}[\\-/.]\\d{1,2}[\\-/.]\\d{4})(?!\\d)");

    static final Pattern ID_CUE = Pattern.compile("(?i)(?<![a-z])(?:passport|licen[cs]e|dl|mrn|medical\\s+record"
            + "|ssn|social\\s+security|account|acct|card|cc|iban)(?![a-z])");
    /** The first letters of {@link #ID_CUE}'s words (see {@link ContextIndex#atWordStarts}). */
    static final String ID_CUE_FIRST_LETTERS = "pldmsaci";

    private static final Pattern ID_TOKEN = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9\\-]{0,24}+");
    /**
     * Where a match of each {@link #ID_CUES} expression can start: the first letter of its words after no ASCII letter,
     * as its look-behind {@code (?i)(?<![a-z])} requires (case folding is ASCII-only without {@code UNICODE_CASE}).
     */
    static final Map<PiiType, CandidateStarts> ID_CUE_STARTS = Map.of(
            PiiType.PASSPORT, CandidateStarts.asciiWordStarts("p"),
            PiiType.DRIVERS_LICENSE, CandidateStarts.asciiWordStarts("d"),
            PiiType.MEDICAL_RECORD, CandidateStarts.asciiWordStarts("m"));
    /** Where an {@link #ACCOUNT} match can start: an "a" after no ASCII letter. */
    static final CandidateStarts ACCOUNT_STARTS = CandidateStarts.asciiWordStarts("a");
    /** Where an {@link #IBAN} can start: two ASCII letters, then two digits, after no ASCII letter or digit. */
    static final CandidateStarts IBAN_STARTS = CandidateStarts.of(
            c -> Checksums.isLetter((char) c),
            c -> Checksums.isLetterOrDigit((char) c),
            (text, position) -> position + 3 < text.length()
                    && Checksums.isLetter(text.charAt(position + 1))
                    && Checksums.isDigit(text.charAt(position + 2))
                    && Checksums.isDigit(text.charAt(position + 3)));
    /**
     * Where a {@link #DATE} can start: a digit or a month's first letter, after no digit (both of its look-behinds
     * refuse one); a month only after no ASCII letter either.
     */
    static final CandidateStarts DATE_STARTS = CandidateStarts.of(
            c -> Checksums.isDigit((char) c) || "jfmasondJFMASOND".indexOf(c) >= 0,
            c -> Checksums.isDigit((char) c),
            (text, position) -> Checksums.isDigit(text.charAt(position))
                    || position == 0
                    || !Checksums.isLetter(text.charAt(position - 1)));
    /**
     * Where a {@link #PHONE_CANDIDATE} can start: a {@code +}, a {@code (} or a digit, after none of the characters
     * its look-behind refuses ({@code [\w+.\-]}, digits included).
     */
    static final CandidateStarts PHONE_STARTS = CandidateStarts.of(
            c -> Checksums.isDigit((char) c) || c == '+' || c == '(',
            c -> Checksums.isLetterOrDigit((char) c) || c == '_' || c == '+' || c == '.' || c == '-',
            null);

    static final Map<PiiType, Pattern> ID_CUES = Map.of(
            PiiType.PASSPORT,
            Pattern.compile("(?i)(?<![a-z])passport(?:\\s{0,3}(?:no\\.?|number|num|#|id))?"),
            PiiType.DRIVERS_LICENSE,
            Pattern.compile("(?i)(?<![a-z])(?:driver'?s?\\s{1,3}licen[cs]e|driving\\s{1,3}licen[cs]e|dl\\s{0,2}#"
                    + "|dl\\s{1,3}(?:no|number))(?:\\s{0,3}(?:no\\.?|number|num|#|id))?"),
            PiiType.MEDICAL_RECORD,
            Pattern.compile(
                    "(?i)(?<![a-z])(?:mrn|medical\\s{1,3}record(?:\\s{0,3}(?:no\\.?|number|num|#))?)(?![a-z])"));

    /** A dashed or plain SSN has nine digits. */
    private static final int SSN_DIGITS = 9;
    /** The shortest card number {@link #cards} accepts. */
    private static final int MIN_CARD_DIGITS = 13;
    /** An account number is kept with six digits or more. */
    private static final int MIN_ACCOUNT_DIGITS = 6;
    /** The shortest {@link #DATE}: {@code 1/2/34}. */
    private static final int MIN_DATE_DIGITS = 4;
    /** A phone number is kept with seven digits or more (next to a phone word; nine otherwise). */
    private static final int MIN_PHONE_DIGITS = 7;
    /** One of these (lower case) is in every match of {@link #ACCOUNT}. */
    static final List<String> ACCOUNT_LITERALS = List.of("account", "acct", "a/c");
    /** One of these (lower case) is in every match of {@link #DOB_CUE}; a date is kept only next to one. */
    static final List<String> DOB_CUE_LITERALS = List.of("dob", "d.o.b", "birth", "born");
    /** Per identifier type, one of these (lower case) is in every match of its cue. */
    static final Map<PiiType, List<String>> ID_CUE_LITERALS = Map.of(
            PiiType.PASSPORT, List.of("passport"),
            PiiType.DRIVERS_LICENSE, List.of("licen", "dl"),
            PiiType.MEDICAL_RECORD, List.of("mrn", "medical"));

    private final Set<String> allowedValues;
    private final Set<String> allowedEmailDomains;
    private final NameAddressHeuristics heuristics;

    /** A detector with an empty allowlist. */
    public PiiDetector() {
        this(List.of());
    }

    /**
     * @param allowlist tenant {@code pii_allowlist}: exact values, or {@code @domain} for every e-mail address of a
     *     domain; matching values are never reported
     */
    public PiiDetector(List<String> allowlist) {
        requireNonNull(allowlist, "allowlist is null");
        Set<String> values = new TreeSet<>();
        Set<String> domains = new TreeSet<>();
        for (String entry : allowlist) {
            requireNonNull(entry, "allowlist entry is null");
            if (entry.startsWith("@") && entry.length() > 1) {
                domains.add(entry.toLowerCase(Locale.ROOT));
            } else {
                values.add(entry);
            }
        }
        this.allowedValues = Set.copyOf(values);
        this.allowedEmailDomains = Set.copyOf(domains);
        this.heuristics = NameAddressHeuristics.shared();
    }

    /**
     * Finds PII in {@code text}.
     *
     * @return non-overlapping spans in code points, ordered by start; overlaps resolved as spec/03 says (longest span
     *     wins, ties by {@link PiiType} order)
     */
    public List<PiiSpan> detect(String text) {
        return detect(text, java.util.EnumSet.allOf(PiiType.class));
    }

    /**
     * Finds PII of the given types only (a tenant's {@code pii_types}): candidates of other types are dropped before
     * overlaps are resolved, so a disabled type never hides an enabled one.
     *
     * @return non-overlapping spans in code points, ordered by start
     */
    public List<PiiSpan> detect(String text, Set<PiiType> types) {
        requireNonNull(text, "text is null");
        requireNonNull(types, "types is null");
        List<Candidate> found = new ArrayList<>();
        // Each detector below runs only when the text has what every one of its candidates needs (an '@', enough
        // digits, a cue word): skipping it otherwise changes no result and spares a regular-expression scan.
        int digits = RegexPrefilters.digits(text);
        String folded = digits > 0 ? RegexPrefilters.asciiLowerCase(text) : "";
        if (text.indexOf('@') >= 0) {
            emails(text, found);
        }
        if (digits >= SSN_DIGITS) {
            ssns(text, found);
        }
        if (digits >= MIN_CARD_DIGITS) {
            cards(text, found);
        }
        if (RegexPrefilters.hasIbanStart(text)) {
            ibans(text, found);
        }
        if (digits >= MIN_ACCOUNT_DIGITS && containsAny(folded, ACCOUNT_LITERALS)) {
            accounts(text, found);
        }
        if (digits >= MIN_DATE_DIGITS && containsAny(folded, DOB_CUE_LITERALS)) {
            dates(text, found);
        }
        if (digits > 0) {
            identifiers(text, folded, found);
        }
        if (digits >= MIN_PHONE_DIGITS) {
            phones(text, found);
        }
        heuristics.names(text, found);
        if (digits > 0) {
            heuristics.addresses(text, found);
        }
        if (!types.containsAll(java.util.EnumSet.allOf(PiiType.class))) {
            found.removeIf(candidate -> !types.contains(candidate.type()));
        }
        return toCodePoints(text, resolve(allowed(text, found)));
    }

    private static void emails(String text, List<Candidate> out) {
        Matcher m = EMAIL.matcher(text);
        for (int from = 0; findEmail(m, text, from); from = CandidateStarts.after(m)) {
            String domain = text.substring(text.indexOf('@', m.start()) + 1, m.end());
            if (validDomain(domain)) {
                out.add(new Candidate(PiiType.EMAIL, m.start(), m.end()));
            }
        }
    }

    /**
     * The next {@link #EMAIL} match at or after {@code from}, as {@code m.find()} from there would find it, trying the
     * expression at one position per {@code @} only. The local part is possessive and its characters never include
     * {@code @}, and the look-behind refuses a local-part character before the match; so a match whose {@code @} is at
     * {@code at} starts exactly where the unbroken run of local-part characters before {@code at} starts, and that run
     * is 1 to 64 characters long. A run that goes on further back, or starts before {@code from}, starts no match that
     * {@code find} from {@code from} could return (any later position in it follows a local-part character). The
     * {@code @}s are in text order and so are their runs' starts, so the first match found is the leftmost.
     *
     * @return whether a match was found; {@code m} then holds it
     */
    static boolean findEmail(Matcher m, String text, int from) {
        m.useTransparentBounds(true).useAnchoringBounds(false);
        for (int at = text.indexOf('@', from); at >= 0; at = text.indexOf('@', at + 1)) {
            int start = at;
            int limit = Math.max(from, at - 64);
            while (start > limit && isLocalPart(text.charAt(start - 1))) {
                start--;
            }
            if (start == at || (start > 0 && isLocalPart(text.charAt(start - 1)))) {
                continue;
            }
            m.region(start, text.length());
            if (m.lookingAt()) {
                return true;
            }
        }
        return false;
    }

    /** {@code [A-Za-z0-9._%+\-]}: a character of an e-mail address's local part as {@link #EMAIL} has it. */
    private static boolean isLocalPart(char c) {
        return Checksums.isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean validDomain(String domain) {
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
        }
        return true;
    }

    private static void ssns(String text, List<Candidate> out) {
        Matcher dashed = SSN_DASHED.matcher(text);
        for (int from = 0;
                CandidateStarts.find(dashed, text, from, CandidateStarts.DIGITS);
                from = CandidateStarts.after(dashed)) {
            if (Checksums.ssn(Checksums.digitsOf(dashed.group()))) {
                out.add(new Candidate(PiiType.SSN, dashed.start(), dashed.end()));
            }
        }
        ContextIndex cues = null; // built at the first valid number: most texts have none
        Matcher plain = SSN_PLAIN.matcher(text);
        for (int from = 0;
                CandidateStarts.find(plain, text, from, CandidateStarts.DIGITS);
                from = CandidateStarts.after(plain)) {
            if (!Checksums.ssn(Checksums.digitsOf(plain.group()))) {
                continue;
            }
            if (cues == null) {
                cues = ContextIndex.atWordStarts(SSN_CUE, text, SSN_CUE_FIRST_LETTERS);
            }
            if (cues.near(plain.start(), plain.end(), 30, 30)) {
                out.add(new Candidate(PiiType.SSN, plain.start(), plain.end()));
            }
        }
    }

    private static void cards(String text, List<Candidate> out) {
        Matcher m = DIGIT_RUN.matcher(text);
        for (int from = 0;
                CandidateStarts.find(m, text, from, CandidateStarts.DIGITS);
                from = CandidateStarts.after(m)) {
            List<int[]> groups = new ArrayList<>();
            int groupStart = -1;
            for (int i = m.start(); i <= m.end(); i++) {
                boolean digit = i < m.end() && Checksums.isDigit(text.charAt(i));
                if (digit && groupStart < 0) {
                    groupStart = i;
                } else if (!digit && groupStart >= 0) {
                    groups.add(new int[] {groupStart, i});
                    groupStart = -1;
                }
            }
            Candidate best = null;
            for (int first = 0; first < groups.size(); first++) {
                int digits = 0;
                for (int last = first; last < groups.size(); last++) {
                    digits += groups.get(last)[1] - groups.get(last)[0];
                    if (digits > 19) {
                        break;
                    }
                    int start = groups.get(first)[0];
                    int end = groups.get(last)[1];
                    if (digits >= 13
                            && cardGrouping(groups.subList(first, last + 1))
                            && (best == null || end - start > best.end() - best.start())
                            && Checksums.luhn(Checksums.digitsOf(text.subSequence(start, end)))) {
                        best = new Candidate(PiiType.FINANCIAL_ACCOUNT, start, end);
                    }
                }
            }
            if (best != null) {
                out.add(best);
            }
        }
    }

    /** One unbroken run, groups of four (the last may be shorter), or the 4-6-5 / 4-6-4 layouts of Amex and Diners. */
    private static boolean cardGrouping(List<int[]> groups) {
        int n = groups.size();
        if (n == 1) {
            return true;
        }
        int[] lengths = groups.stream().mapToInt(g -> g[1] - g[0]).toArray();
        if (n == 3 && lengths[0] == 4 && lengths[1] == 6 && (lengths[2] == 5 || lengths[2] == 4)) {
            return true;
        }
        for (int i = 0; i < n - 1; i++) {
            if (lengths[i] != 4) {
                return false;
            }
        }
        return lengths[n - 1] <= 4;
    }

    private static void ibans(String text, List<Candidate> out) {
        Matcher m = IBAN.matcher(text);
        for (int from = 0; CandidateStarts.find(m, text, from, IBAN_STARTS); from = CandidateStarts.after(m)) {
            if (Checksums.iban(Checksums.alphanumericsOf(m.group()))) {
                out.add(new Candidate(PiiType.FINANCIAL_ACCOUNT, m.start(), m.end()));
            }
        }
    }

    private static void accounts(String text, List<Candidate> out) {
        Matcher m = ACCOUNT.matcher(text);
        for (int from = 0; CandidateStarts.find(m, text, from, ACCOUNT_STARTS); from = CandidateStarts.after(m)) {
            int start = m.start(1);
            int end = trimToDigit(text, start, m.end(1));
            if (Checksums.digitsOf(text.subSequence(start, end)).length() >= 6) {
                out.add(new Candidate(PiiType.FINANCIAL_ACCOUNT, start, end));
            }
        }
    }

    private static void dates(String text, List<Candidate> out) {
        ContextIndex cues = ContextIndex.atWordStarts(DOB_CUE, text, DOB_CUE_FIRST_LETTERS);
        Matcher m = DATE.matcher(text);
        for (int from = 0; CandidateStarts.find(m, text, from, DATE_STARTS); from = CandidateStarts.after(m)) {
            if (cues.near(m.start(), m.end(), 40, 40) && plausibleDate(m.group())) {
                out.add(new Candidate(PiiType.DOB, m.start(), m.end()));
            }
        }
    }

    private static boolean plausibleDate(String date) {
        String[] parts = date.split("[/.\\-]");
        if (parts.length != 3 || !Checksums.isDigit(date.charAt(0))) {
            return true;
        }
        int a = Integer.parseInt(parts[0]);
        int b = Integer.parseInt(parts[1]);
        if (parts[0].length() == 4) {
            return b >= 1 && b <= 12 && Integer.parseInt(parts[2]) >= 1 && Integer.parseInt(parts[2]) <= 31;
        }
        return a >= 1 && b >= 1 && ((a <= 12 && b <= 31) || (a <= 31 && b <= 12));
    }

    /** @param folded {@code text} with ASCII letters in lower case, as the cues match it */
    private static void identifiers(String text, String folded, List<Candidate> out) {
        for (PiiType type : List.of(PiiType.PASSPORT, PiiType.DRIVERS_LICENSE, PiiType.MEDICAL_RECORD)) {
            if (!containsAny(folded, ID_CUE_LITERALS.get(type))) {
                continue;
            }
            Matcher cue = ID_CUES.get(type).matcher(text);
            CandidateStarts cueStarts = ID_CUE_STARTS.get(type);
            Matcher token = ID_TOKEN.matcher(text).useTransparentBounds(true);
            for (int from = 0; CandidateStarts.find(cue, text, from, cueStarts); from = CandidateStarts.after(cue)) {
                int cueEnd = cue.end();
                token.region(cueEnd, Math.min(text.length(), cueEnd + 30 + 25));
                while (token.find() && token.start() <= cueEnd + 30) {
                    int end = token.end();
                    while (end > token.start() && text.charAt(end - 1) == '-') {
                        end--;
                    }
                    String id = text.substring(token.start(), end);
                    int length = id.length();
                    if (length >= 6 && length <= 20 && !Checksums.digitsOf(id).isEmpty()) {
                        out.add(new Candidate(type, token.start(), end));
                        break;
                    }
                }
            }
        }
    }

    /**
     * Phone-shaped candidates (one linear pass), each checked with libphonenumber's {@code findNumbers} for the default
     * region (international numbers carry their own code); numbers written nationally for another region count
     * only next to a phone word. libphonenumber never sees more than one short candidate at a time: its matcher is
     * too slow for megabytes of text.
     *
     * <p>libphonenumber's answers depend on the candidate's characters only (a span it finds is checked by {@link
     * #plausiblePhone} on those characters too), so each distinct candidate is checked once per call and the answer
     * reused where the same string recurs: a long document repeats its numbers (letterheads, footers, tables).
     */
    private static void phones(String text, List<Candidate> out) {
        ContextIndex phoneCues = ContextIndex.atWordStarts(PHONE_CUE, text, PHONE_CUE_FIRST_LETTERS);
        ContextIndex idCues = ContextIndex.atWordStarts(ID_CUE, text, ID_CUE_FIRST_LETTERS);
        Map<String, List<int[]>> numbersByCandidate = new HashMap<>();
        Map<String, Boolean> possibleByCandidate = new HashMap<>();
        Matcher m = PHONE_CANDIDATE.matcher(text);
        for (int from = 0; CandidateStarts.find(m, text, from, PHONE_STARTS); from = CandidateStarts.after(m)) {
            int start = m.start();
            int end = trimToDigit(text, start, m.end());
            String candidate = text.substring(start, end);
            if (DATE_LIKE.matcher(candidate).find() || introducedAsId(phoneCues, idCues, start)) {
                continue;
            }
            boolean cued = phoneCues.near(start, end, 30, 12);
            if (!plausiblePhone(text, start, end, cued ? 7 : 9)) {
                continue;
            }
            List<int[]> numbers = numbersByCandidate.computeIfAbsent(candidate, PiiDetector::validNumbers);
            for (int[] number : numbers) {
                out.add(new Candidate(PiiType.PHONE, start + number[0], start + number[1]));
            }
            if (numbers.isEmpty()
                    && cued
                    && possibleByCandidate.computeIfAbsent(candidate, PiiDetector::possibleSomewhere)) {
                out.add(new Candidate(PiiType.PHONE, start, end));
            }
        }
    }

    /** The spans (within {@code candidate}) of the valid numbers libphonenumber finds in it that are plausible. */
    private static List<int[]> validNumbers(String candidate) {
        List<int[]> numbers = new ArrayList<>(1);
        for (PhoneNumberMatch match :
                PHONES.findNumbers(candidate, DEFAULT_REGION, PhoneNumberUtil.Leniency.VALID, 4)) {
            if (plausiblePhone(candidate, match.start(), match.end(), 9)) {
                numbers.add(new int[] {match.start(), match.end()});
            }
        }
        return numbers;
    }

    /**
     * Digits between {@code minimum} (9 as spec/03 says; 7 for a number next to a phone word, as local numbers are
     * written) and 17, extension excluded.
     */
    private static boolean plausiblePhone(String text, int start, int end, int minimum) {
        String raw = text.substring(start, end);
        String withoutExtension = EXTENSION.matcher(raw).replaceFirst("");
        String digits = Checksums.digitsOf(withoutExtension);
        if (digits.length() < minimum || digits.length() > 17) {
            return false;
        }
        // a bare 13+ digit run is a card or account number, never a phone number written by a person
        return !(digits.length() >= 13 && digits.length() == withoutExtension.length());
    }

    private static boolean introducedAsId(ContextIndex phoneCues, ContextIndex idCues, int start) {
        int idCue = idCues.cueEndingBefore(start, 30);
        return idCue >= 0 && phoneCues.cueEndingBefore(start, 30) < idCue;
    }

    /**
     * Next to a phone word, a number that libphonenumber finds possible (right length) for its own country code or,
     * written nationally, for one of {@link #REGIONS}; an extension is allowed.
     */
    private static boolean possibleSomewhere(String candidate) {
        String number = EXTENSION.matcher(candidate).replaceFirst("");
        if (number.startsWith("+") || number.startsWith("(+")) {
            return possible(number, "ZZ");
        }
        for (String region : REGIONS) {
            if (possible(number, region)) {
                return true;
            }
        }
        return false;
    }

    private static boolean possible(String candidate, String region) {
        try {
            PhoneNumber number = PHONES.parse(candidate, region);
            return PHONES.isValidNumber(number) || PHONES.isPossibleNumber(number);
        } catch (NumberParseException e) {
            return false;
        }
    }

    private static boolean containsAny(String text, List<String> literals) {
        for (String literal : literals) {
            if (text.contains(literal)) {
                return true;
            }
        }
        return false;
    }

    private static int trimToDigit(String text, int start, int end) {
        while (end > start && !Checksums.isDigit(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private List<Candidate> allowed(String text, List<Candidate> found) {
        if (allowedValues.isEmpty() && allowedEmailDomains.isEmpty()) {
            return found;
        }
        List<Candidate> kept = new ArrayList<>(found.size());
        for (Candidate c : found) {
            String value = text.substring(c.start(), c.end());
            boolean allowed = allowedValues.contains(value)
                    || (c.type() == PiiType.EMAIL
                            && allowedEmailDomains.contains(
                                    value.substring(value.indexOf('@')).toLowerCase(Locale.ROOT)));
            if (!allowed) {
                kept.add(c);
            }
        }
        return kept;
    }

    /** Longest span wins, ties by type order then position; the survivors in text order. */
    static List<Candidate> resolve(List<Candidate> found) {
        List<Candidate> byPriority = new ArrayList<>(found);
        byPriority.sort(Comparator.comparingInt((Candidate c) -> c.end() - c.start())
                .reversed()
                .thenComparing(Candidate::type)
                .thenComparingInt(Candidate::start));
        TreeMap<Integer, Candidate> accepted = new TreeMap<>();
        for (Candidate c : byPriority) {
            Map.Entry<Integer, Candidate> before = accepted.floorEntry(c.start());
            if (before != null && before.getValue().end() > c.start()) {
                continue;
            }
            Map.Entry<Integer, Candidate> after = accepted.ceilingEntry(c.start());
            if (after != null && after.getKey() < c.end()) {
                continue;
            }
            accepted.put(c.start(), c);
        }
        return List.copyOf(accepted.values());
    }

    /** Converts sorted UTF-16 ranges to code-point ranges in one pass. */
    private static List<PiiSpan> toCodePoints(String text, List<Candidate> sorted) {
        List<PiiSpan> spans = new ArrayList<>(sorted.size());
        int utf16 = 0;
        int codePoints = 0;
        for (Candidate c : sorted) {
            codePoints += Character.codePointCount(text, utf16, c.start());
            int start = codePoints;
            codePoints += Character.codePointCount(text, c.start(), c.end());
            utf16 = c.end();
            spans.add(new PiiSpan(c.type(), start, codePoints));
        }
        return List.copyOf(spans);
    }

    /** A detection in UTF-16 indices, before overlap resolution. */
    record Candidate(PiiType type, int start, int end) {}
}
