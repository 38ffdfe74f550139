package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import io.frostbyte.policy.InjectionCategory.Severity;
import io.frostbyte.policy.InjectionNormalizer.Marker;
import io.frostbyte.policy.InjectionNormalizer.Normalized;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt-injection scorer {@value #VERSION} (spec/03 §3.4). Scores one chunk: each window (one sentence, or two
 * consecutive sentences, at most {@value #MAX_WINDOW} characters) scores {@code min(1, max_weight + 0.1 × min(3,
 * distinct − 1))}; the chunk scores the maximum. Deterministic: the same text always gets the same verdict.
 *
 * <p>Thread-safe and immutable.
 */
public final class InjectionScorer {
    public static final String VERSION = "fb-inj/1.0.0";
    public static final double DEFAULT_FLAG_THRESHOLD = 0.3;
    public static final double DEFAULT_QUARANTINE_THRESHOLD = 0.7;
    static final int MAX_WINDOW = 600;
    private static final double MENTION_FACTOR = 0.35;
    private static final int MAX_DECODED_PAYLOADS = 64;

    private static final Map<InjectionCategory, List<Pattern>> PATTERNS = Map.ofEntries(
            Map.entry(
                    InjectionCategory.DIRECT_INSTRUCTION_OVERRIDE,
                    patterns(
                            "\\b(?:ignore|disregard|forget|override|bypass)\\s+(?:about\\s+)?(?:all\\s+|any\\s+|the\\s+|your\\s+){0,2}"
                                    + "(?:previous|prior|earlier|above|preceding|original|system)\\s+(?:instructions?|prompts?"
                                    + "|directions?|directives?|rules|guidelines|context|tasks?|assignments?|orders|commands"
                                    + "|information)\\b",
                            "\\bforget\\s+(?:about\\s+)?(?:everything|all)\\s+(?:above|before|previous|we\\s+discussed"
                                    + "|you\\s+(?:were|have\\s+been)\\s+told)",
                            "\\b(?:ignore|disregard|forget)\\s+(?:all\\s+)?(?:your|the)\\s+(?:instructions|assignments|tasks)\\b",
                            "\\b(?:vergiss|vergessen\\s+sie|ignoriere|ignorieren\\s+sie)\\s+(?:nun\\s+|jetzt\\s+)?"
                                    + "(?:alles|alle|die\\s+(?:obigen|vorherigen|bisherigen))\\b",
                            "\\b(?:olvida|olvide|ignora)\\s+(?:todo|todas\\s+las\\s+instrucciones)\\b")),
            Map.entry(
                    InjectionCategory.ROLE_ASSUMPTION,
                    patterns(
                            "\\byou\\s+are\\s+now\\s+(?:an?\\s+|the\\s+)?(?:\\w+\\s+){0,2}(?:assistant|ai|model|chatbot|dan"
                                    + "|jailbroken|unrestricted|unfiltered|uncensored|developer\\s+mode)\\b",
                            "\\b(?:act|behave)\\s+as\\s+if\\s+you\\s+(?:have|had)\\s+no\\s+(?:restrictions|rules|limits)",
                            "\\bpretend\\s+(?:that\\s+)?you\\s+have\\s+no\\s+(?:restrictions|rules)")),
            Map.entry(
                    InjectionCategory.DELIMITER_INJECTION,
                    patterns(
                            "<\\|(?:im_start|im_end|system|endoftext|begin_of_text|start_header_id)\\|>",
                            "\\[/?inst\\]",
                            "<</?sys>>",
                            "```\\s*system\\b",
                            "(?m)^\\s{0,3}#{1,6}\\s*instructions?\\s*:")),
            Map.entry(
                    InjectionCategory.JAILBREAK_ATTEMPT,
                    patterns(
                            "\\byou\\s+have\\s+no\\s+(?:content\\s+)?(?:polic(?:y|ies)|restrictions|filters)",
                            "\\b(?:ignore|bypass|disable)\\s+(?:your\\s+|all\\s+|the\\s+)?(?:safety|content)\\s+"
                                    + "(?:guidelines|filters?|polic(?:y|ies)|training)",
                            "\\b(?:dan|developer)\\s+mode\\s+(?:enabled|activated|on)\\b")),
            Map.entry(
                    InjectionCategory.SYSTEM_PROMPT_LEAKAGE,
                    patterns(
                            "\\b(?:repeat|reveal|print|show|output)\\s+(?:me\\s+)?(?:all\\s+)?(?:your|the)\\s+(?:full\\s+|hidden\\s+"
                                    + "|initial\\s+|entire\\s+)?(?:system\\s+prompt|system\\s+message|instructions|prompt\\s+texts?)",
                            "\\bwhat\\s+(?:is|are)\\s+your\\s+(?:system\\s+prompt|initial\\s+instructions|hidden\\s+instructions)")),
            Map.entry(
                    InjectionCategory.MULTI_TURN_MANIPULATION,
                    patterns("\\bin\\s+(?:your|the)\\s+(?:next|following|every)\\s+(?:response|reply|answer)s?,?\\s+"
                            + "(?:always|you\\s+must|never)\\b")),
            Map.entry(
                    InjectionCategory.OBFUSCATION_MARKER,
                    patterns(
                            "\\b(?:decode|decrypt|rot13)\\s+(?:this|the\\s+following)\\s?:",
                            "\\b(?:execute|run|eval)\\s?:\\s?[a-z0-9+/=]{20,}+")),
            Map.entry(
                    InjectionCategory.PERSONA_INSTRUCTION,
                    patterns(
                            "\\b(?:i\\s+want\\s+you\\s+to|you\\s+(?:will|must|should)|please)\\s+act\\s+as\\b",
                            "(?m)^\\s{0,3}act\\s+as\\s+(?:an?|the|my)\\b",
                            "\\bpretend\\s+(?:that\\s+)?(?:you\\s+are|to\\s+be)\\b",
                            "\\bnow\\s+you\\s+are\\b",
                            "\\bstell\\s+dir\\s+vor,?\\s+du\\s+bist\\b",
                            "\\b(?:jetzt|nun)\\s+bist\\s+du\\b",
                            "\\bich\\s+möchte,?\\s+dass\\s+sie\\s+als\\b")),
            Map.entry(
                    InjectionCategory.TASK_HIJACK,
                    patterns(
                            "\\b(?:focus|concentrate)\\s+on\\s+(?:your|the)\\s+new\\s+task",
                            "\\bnew\\s+(?:tasks?|instructions)\\s+follow",
                            "\\b(?:konzentriere\\s+dich|konzentrieren\\s+sie\\s+sich)\\s+(?:jetzt\\s+|nun\\s+)?auf\\s+"
                                    + "(?:deine|ihre|die)\\s+neue",
                            "\\b(?:nun|jetzt)\\s+folgen\\s+(?:neue|weitere)\\s+(?:aufgaben|anweisungen)")),
            Map.entry(
                    InjectionCategory.INSTRUCTION_LIKE_IMPERATIVE,
                    patterns(
                            "\\b(?:do\\s+not\\s+mention|never\\s+reveal|always\\s+say|you\\s+must\\s+(?:respond|answer|reply|say))\\b")),
            Map.entry(
                    InjectionCategory.SECOND_PERSON_COMMAND,
                    patterns(
                            "\\b(?:your\\s+new\\s+(?:role|task|objective)\\s+is|from\\s+now\\s+on,?\\s+you\\s+(?:will|must|are))\\b")),
            Map.entry(
                    InjectionCategory.GENERIC_OVERRIDE,
                    patterns("\\bnew\\s+instructions?\\s?:", "(?m)^\\s{0,3}(?:system|assistant)\\s?:")));

    private static final Pattern NEGATION = Pattern.compile("\\b(?:not|never|don't|dont|no)\\b");
    private static final Pattern DISCUSSION_CUE = Pattern.compile("\\b(?:example|e\\.g\\.|such\\s+as|phrases?|called"
            + "|known\\s+as|injections?|attacks?|attackers?|malicious|detect\\w*|filter\\w*)\\b");
    private static final Pattern BASE64 = Pattern.compile("(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{24,4096}+={0,2}");
    private static final Pattern ROT13 = Pattern.compile("\\brot-?13\\b");
    private static final Set<InjectionCategory> PAYLOAD_CATEGORIES = EnumSet.of(
            InjectionCategory.DIRECT_INSTRUCTION_OVERRIDE,
            InjectionCategory.ROLE_ASSUMPTION,
            InjectionCategory.JAILBREAK_ATTEMPT,
            InjectionCategory.SYSTEM_PROMPT_LEAKAGE,
            InjectionCategory.PERSONA_INSTRUCTION);

    private final double flagThreshold;
    private final double quarantineThreshold;

    /** A scorer with the default thresholds (flag 0.3, quarantine 0.7). */
    public InjectionScorer() {
        this(DEFAULT_FLAG_THRESHOLD, DEFAULT_QUARANTINE_THRESHOLD);
    }

    public InjectionScorer(double flagThreshold, double quarantineThreshold) {
        InjectionAction.of(0, flagThreshold, quarantineThreshold);
        this.flagThreshold = flagThreshold;
        this.quarantineThreshold = quarantineThreshold;
    }

    /** Scores one chunk of stored (unnormalized) text. */
    public InjectionVerdict score(String chunk) {
        requireNonNull(chunk, "chunk is null");
        Normalized normalized = InjectionNormalizer.normalize(chunk);
        String text = normalized.text();
        int[] sentences = sentences(text);
        List<Hit> hits = new ArrayList<>();
        for (Map.Entry<InjectionCategory, List<Pattern>> entry : PATTERNS.entrySet()) {
            for (Pattern pattern : entry.getValue()) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    double weight = entry.getKey().severity().weight();
                    if (entry.getKey().severity() != Severity.LOW && mention(text, sentences, m.start(), m.end())) {
                        weight *= MENTION_FACTOR;
                    }
                    hits.add(new Hit(entry.getKey(), m.start(), weight));
                }
            }
        }
        for (Marker marker : normalized.markers()) {
            hits.add(new Hit(
                    marker.category(),
                    marker.position(),
                    marker.category().severity().weight()));
        }
        decodedPayloads(normalized, hits);
        hits.sort(Comparator.comparingInt(Hit::position).thenComparing(Hit::category));

        double best = 0;
        EnumSet<InjectionCategory> categories = EnumSet.noneOf(InjectionCategory.class);
        int count = sentences.length / 2;
        for (int s = 0; s < count; s++) {
            int start = sentences[2 * s];
            int end = sentences[2 * s + 1];
            best = Math.max(best, window(hits, normalized, start, end, categories));
            if (s + 1 < count && sentences[2 * s + 3] - start <= MAX_WINDOW) {
                best = Math.max(best, window(hits, normalized, start, sentences[2 * s + 3], categories));
            }
        }
        double score = Math.round(best * 10_000) / 10_000.0;
        return new InjectionVerdict(score, InjectionAction.of(score, flagThreshold, quarantineThreshold), categories);
    }

    private static double window(
            List<Hit> hits, Normalized normalized, int start, int end, EnumSet<InjectionCategory> seen) {
        double[] weights = new double[InjectionCategory.values().length];
        int from = firstHitAtOrAfter(hits, start);
        for (int i = from; i < hits.size() && hits.get(i).position() < end; i++) {
            Hit hit = hits.get(i);
            weights[hit.category().ordinal()] = Math.max(weights[hit.category().ordinal()], hit.weight());
        }
        int invisible = countInRange(normalized.invisible(), normalized.invisibleCount(), start, end);
        if (invisible > 0 && invisible > 0.01 * (end - start + invisible)) {
            weights[InjectionCategory.INVISIBLE_CHARS.ordinal()] = Math.max(
                    weights[InjectionCategory.INVISIBLE_CHARS.ordinal()],
                    InjectionCategory.INVISIBLE_CHARS.severity().weight());
        }
        double max = 0;
        int distinct = 0;
        for (InjectionCategory category : InjectionCategory.values()) {
            double weight = weights[category.ordinal()];
            if (weight > 0) {
                distinct++;
                max = Math.max(max, weight);
                seen.add(category);
            }
        }
        if (distinct == 0) {
            return 0;
        }
        return Math.min(1, max + 0.1 * Math.min(3, distinct - 1));
    }

    /** High and medium matches that are negated or quoted in a discussion count as mentions (× 0.35). */
    private static boolean mention(String text, int[] sentences, int start, int end) {
        int sentence = sentenceOf(sentences, start);
        int sentenceStart = sentences[2 * sentence];
        int sentenceEnd = sentences[2 * sentence + 1];
        String before = text.substring(sentenceStart, start);
        String[] words = before.trim().split("\\s+");
        for (int i = Math.max(0, words.length - 3); i < words.length; i++) {
            if (NEGATION.matcher(words[i]).matches()) {
                return true;
            }
        }
        long quotesBefore = before.chars().filter(c -> c == '"').count();
        boolean quoted = quotesBefore % 2 == 1
                && text.substring(end, Math.max(end, sentenceEnd)).indexOf('"') >= 0;
        return quoted
                && DISCUSSION_CUE
                        .matcher(text)
                        .region(sentenceStart, sentenceEnd)
                        .find();
    }

    /** Base64 payloads that decode to printable text, and text announced as ROT13, are scanned again. */
    private static void decodedPayloads(Normalized normalized, List<Hit> hits) {
        Matcher m = BASE64.matcher(normalized.cased());
        int decoded = 0;
        while (m.find() && decoded < MAX_DECODED_PAYLOADS) {
            String token = m.group();
            if (token.chars().noneMatch(Character::isDigit) && token.chars().noneMatch(c -> c == '+' || c == '/')) {
                continue;
            }
            String plain = decodeBase64(token);
            if (plain != null) {
                decoded++;
                payloadHits(plain, m.start(), hits);
            }
        }
        Matcher rot = ROT13.matcher(normalized.text());
        while (rot.find() && decoded < MAX_DECODED_PAYLOADS) {
            decoded++;
            String following = normalized
                    .text()
                    .substring(rot.end(), Math.min(normalized.text().length(), rot.end() + MAX_WINDOW));
            payloadHits(rot13(following), rot.start(), hits);
        }
    }

    private static void payloadHits(String plain, int position, List<Hit> hits) {
        String text = InjectionNormalizer.normalize(plain).text();
        for (InjectionCategory category : PAYLOAD_CATEGORIES) {
            for (Pattern pattern : PATTERNS.get(category)) {
                if (pattern.matcher(text).find()) {
                    hits.add(new Hit(category, position, category.severity().weight()));
                    hits.add(new Hit(
                            InjectionCategory.OBFUSCATION_MARKER,
                            position,
                            InjectionCategory.OBFUSCATION_MARKER.severity().weight()));
                }
            }
        }
    }

    private static String decodeBase64(String token) {
        try {
            byte[] bytes = Base64.getDecoder().decode(token.length() % 4 == 0 ? token : token.replace("=", ""));
            String plain = new String(bytes, StandardCharsets.UTF_8);
            long printable = plain.chars()
                    .filter(c -> c >= 0x20 && c < 0x7F || c == '\n')
                    .count();
            return printable >= 0.9 * plain.length() ? plain : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String rot13(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append((char) ('a' + (c - 'a' + 13) % 26));
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) ('A' + (c - 'A' + 13) % 26));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Sentence ranges as {@code [start0, end0, start1, end1, …]}: a sentence ends after {@code . ! ?} followed by
     * whitespace, or at a line break; a sentence longer than the window is cut into overlapping pieces.
     */
    static int[] sentences(String text) {
        int[] ranges = new int[32];
        int n = 0;
        int start = 0;
        int length = text.length();
        for (int i = 0; i <= length; i++) {
            boolean boundary = i == length
                    || text.charAt(i) == '\n'
                    || ((text.charAt(i) == '.' || text.charAt(i) == '!' || text.charAt(i) == '?')
                            && (i + 1 == length || text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\n'));
            if (!boundary) {
                continue;
            }
            int end = i == length || text.charAt(i) == '\n' ? i : i + 1;
            for (int pieceStart = start; pieceStart < end || (pieceStart == start && n == 0 && i == length); ) {
                int pieceEnd = Math.min(end, pieceStart + MAX_WINDOW);
                if (n + 2 > ranges.length) {
                    ranges = Arrays.copyOf(ranges, ranges.length * 2);
                }
                ranges[n++] = pieceStart;
                ranges[n++] = pieceEnd;
                if (pieceEnd == end) {
                    break;
                }
                pieceStart = pieceEnd - MAX_WINDOW / 6;
            }
            start = end;
        }
        return Arrays.copyOf(ranges, n);
    }

    private static int sentenceOf(int[] sentences, int position) {
        int low = 0;
        int high = sentences.length / 2 - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (sentences[2 * mid] <= position) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private static int firstHitAtOrAfter(List<Hit> hits, int position) {
        int low = 0;
        int high = hits.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (hits.get(mid).position() < position) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int countInRange(int[] sorted, int size, int start, int end) {
        int from = Arrays.binarySearch(sorted, 0, size, start);
        from = from < 0 ? -from - 1 : lowerBound(sorted, from, start);
        int to = Arrays.binarySearch(sorted, 0, size, end);
        to = to < 0 ? -to - 1 : lowerBound(sorted, to, end);
        return to - from;
    }

    private static int lowerBound(int[] sorted, int index, int value) {
        while (index > 0 && sorted[index - 1] == value) {
            index--;
        }
        return index;
    }

    private static List<Pattern> patterns(String... regexes) {
        return Arrays.stream(regexes).map(Pattern::compile).toList();
    }

    private record Hit(InjectionCategory category, int position, double weight) {}
}
